/** Database row types. One interface per table, named `<Thing>Table`. */
import type { ColumnType } from 'kysely';
export interface InstanceSettingTable {
  key: string;
  value: string;
  updated_at: string;
}

// Directory (migration 20261129T1900-create-directory). Booleans are 0/1 integers.
export interface DirectoryOrganizationTable {
  id: string;
  name: string;
  description: string | null;
  url: string | null;
  email: string | null;
  updated_at: string;
}

export interface DirectoryServiceTable {
  id: string;
  organization_id: string;
  status: string;
  source_locale: string;
  name: string;
  url: string | null;
  email: string | null;
  free: number | null;
  wheelchair: number | null;
  hours_json: string | null;
  hours_alternative_json: string | null;
  region: string | null;
  is_national: number;
  is_sample: number;
  last_verified_at: string | null;
  last_verified_by: string | null;
  search_text: string;
  version: number;
  created_at: string;
  updated_at: string;
  /** the directory revision that last wrote it (migration 20261130T1400) */
  revision: ColumnType<number, number | undefined, number>;
}

export interface DirectoryServiceTranslationTable {
  service_id: string;
  locale: string;
  name: string;
  description: string | null;
  hours_note: string | null;
  transport: string | null;
  front_door: string | null;
  eligibility: string | null;
}

export interface DirectoryServiceTagTable {
  service_id: string;
  kind: string;
  value: string;
}

export interface DirectoryLocationTable {
  id: string;
  service_id: string;
  name: string | null;
  address: string | null;
  postal_code: string | null;
  city: string | null;
  commune_code: string | null;
  latitude: number | null;
  longitude: number | null;
  confidential: number;
  front_door_phone: string | null;
}

export interface DirectoryPhoneTable {
  id: string;
  service_id: string;
  position: number;
  number: string;
  display: string;
  kind: string;
  description: string | null;
}


export interface DirectoryServiceVersionTable {
  service_id: string;
  version: number;
  actor: string;
  action: string;
  changed_at: string;
  changes_json: string;
  snapshot_json: string;
}

export interface DirectoryNoticeTable {
  id: string;
  service_id: string;
  kind: string;
  note: string | null;
  starts_at: string;
  expires_at: string;
  actor: string;
  created_at: string;
}

/** One row (id 1): the revision of the last directory write (migration 20261130T1400). */
export interface DirectoryRevisionTable {
  id: number;
  revision: number;
}

/** A deleted service and the revision that deleted it. */
export interface DirectoryServiceRemovedTable {
  service_id: string;
  revision: number;
}

/** SQLite: an FTS5 table (rowid = the service's rowid); PostgreSQL: service_id and a tsvector body (migration 20261130T1400). */
export interface DirectoryServiceFtsTable {
  service_id: string;
  body: string;
}

// Accounts and the security core (migration 20261129T2000-create-accounts).
// `*_encrypted`: AES-256-GCM under the organization's data key; `*_index`: keyed blind index.
export interface OrganizationTable {
  id: string;
  name: string;
  wrapped_data_key: string;
  created_at: string;
}

export interface PersonAccountTable {
  id: string;
  organization_id: string;
  email_index: string;
  email_encrypted: string;
  role: string;
  status: 'active' | 'disabled';
  password_hash: string | null;
  totp_secret_encrypted: string | null;
  created_at: string;
  /** The last TOTP time step accepted (a code is not accepted twice); null before any. */
  totp_last_step?: number | null;
}

/** One-time recovery codes, stored only as SHA-256 hashes. */
export interface RecoveryCodeTable {
  code_hash: string;
  organization_id: string;
  account_id: string;
  created_at: string;
  used_at: string | null;
}

export interface InvitationTable {
  id: string;
  organization_id: string;
  token_hash: string;
  role: string;
  email_index: string;
  email_encrypted: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionTable {
  id_hash: string;
  organization_id: string;
  account_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  /** When she last proved who she is in this session (sign-in or re-authentication). */
  authenticated_at?: string | null;
}

/** A passkey (WebAuthn credential) of an account (migration 20261130T0350-create-passkeys). */
export interface PasskeyTable {
  id: string;
  organization_id: string;
  account_id: string;
  /** base64url */
  credential_id: string;
  /** base64url of the COSE public key */
  public_key: string;
  /** A string on PostgreSQL (bigint): read it with Number(). */
  counter: number | string;
  /** JSON array of transports (`internal`, `hybrid`, `usb` …). */
  transports: string;
  /** base64url of the WebAuthn user handle: the organization's id and a random part. */
  user_handle: string;
  /** The name she gave it, encrypted with encryptField (bound to the row). */
  name_encrypted: string;
  device_type: string;
  backed_up: number;
  created_at: string;
  last_used_at: string | null;
}

/** A WebAuthn challenge, stored as its SHA-256, single use, a few minutes. Not a tenant table. */
export interface WebauthnChallengeTable {
  challenge_hash: string;
  purpose: string;
  organization_id: string | null;
  /** The invitation, account or session the challenge was made for; null at sign-in. */
  subject: string | null;
  user_handle: string | null;
  created_at: string;
  expires_at: string;
}

/** Ids and actions only, never personal data. */
export interface AuditEntryTable {
  chain: string;
  seq: number;
  at: string;
  organization_id: string | null;
  actor_id: string;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  chain: string;
  seq: number;
  hash: string;
}

// Case tracker (migration 20261130T0300-create-accompaniment). `*_encrypted` under the
// person's own key (notes, identity) or the organization's key (break-the-glass reasons).
export interface CasePersonTable {
  id: string;
  organization_id: string;
  status: 'open' | 'closed' | 'erased';
  wrapped_key: string | null;
  pseudonym_index: string | null;
  pseudonym_encrypted: string | null;
  real_name_encrypted: string | null;
  profile_encrypted: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  purge_after: string | null;
  /** Why it was closed (CLOSE_REASONS in retention.ts); null while open (migration 20261130T0500). */
  closed_reason?: string | null;
}

export interface CaseAssignmentTable {
  organization_id: string;
  person_id: string;
  account_id: string;
  assigned_by: string;
  assigned_at: string;
}

export interface CaseAccessTable {
  id: string;
  organization_id: string;
  person_id: string;
  account_id: string;
  reason_encrypted: string;
  opened_at: string;
  expires_at: string;
}

export interface CaseConsentTable {
  id: string;
  organization_id: string;
  person_id: string;
  /** Comma-separated consent scopes (see consent.ts). */
  scopes: string;
  retention_months: number;
  language: string;
  explained_by: string;
  given_at: string;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
}

export interface CaseProcedureTable {
  id: string;
  organization_id: string;
  person_id: string;
  kind: string;
  state: string;
  since: string | null;
  terminal: number;
  opened_by: string;
  opened_at: string;
  updated_at: string;
}

export interface CaseStepTable {
  id: string;
  organization_id: string;
  procedure_id: string;
  seq: number;
  transition: string;
  at: string;
  fields_json: string;
  note_encrypted: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface CaseDeadlineTable {
  id: string;
  organization_id: string;
  person_id: string;
  procedure_id: string;
  step_seq: number;
  key: string;
  category: string;
  due_at: string;
  closed_at: string | null;
  rule_id: string | null;
  uncertain: number;
}

// Reminders and calendar feeds (migration 20261130T0400-create-reminders). No personal data.
export interface CaseReminderTable {
  id: string;
  organization_id: string;
  person_id: string;
  procedure_id: string;
  deadline_key: string;
  /** With procedure_id and deadline_key, names the deadline (case_deadline rows are replaced at every step). */
  step_seq: number;
  category: string;
  /** The helper reminded. */
  account_id: string;
  /** A rule id of accompaniment/reminders.ts. */
  rule: string;
  due_at: string;
  /** When it should go (ISO UTC). */
  send_at: string;
  status: 'pending' | 'sending' | 'sent' | 'cancelled';
  attempts: number;
  /** Pending: when it may be sent. Sending: when the worker's claim expires. */
  next_attempt_at: string;
  claim_token: string | null;
  /** The last failure's code, or why it was cancelled; never data. */
  outcome: string | null;
  late: number;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CalendarFeedTable {
  id: string;
  organization_id: string;
  account_id: string;
  /** SHA-256 (hex) of the secret in the feed's URL. */
  secret_hash: string;
  locale: string;
  created_at: string;
  revoked_at: string | null;
}

// Her rights over her data (migration 20261130T0500-documents-and-retention).
/** One of her papers: bytes and name encrypted under HER key (document.service.ts). */
export interface CaseDocumentTable {
  id: string;
  organization_id: string;
  person_id: string;
  media_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  /** Bytes of the plaintext. */
  size: number;
  name_encrypted: string;
  uploaded_by: string;
  uploaded_at: string;
  content_encrypted: Buffer;
}

// Appointments (migration 20261130T1000-create-appointments).
/** A meeting with her: place and purpose encrypted under HER key (appointment.service.ts). */
export interface CaseAppointmentTable {
  id: string;
  organization_id: string;
  person_id: string;
  /** An instant, ISO 8601 UTC. */
  starts_at: string;
  duration_minutes: number | null;
  place_encrypted: string;
  purpose_encrypted: string | null;
  /** The staff account going with her. */
  attendee_id: string;
  created_by: string;
  created_at: string;
  cancelled_at: string | null;
  cancelled_by: string | null;
}

/** What stays of a procedure once her record is erased: no person, no day, no note. */
export interface CaseStatisticTable {
  id: string;
  organization_id: string;
  kind: string;
  state: string;
  terminal: number;
  /** YYYY-MM */
  opened_month: string;
  /** JSON: [{ transition, month, fields }] with closed-list fields and departments only. */
  steps_json: string;
  /** YYYY-MM: when the record was erased. */
  kept_month: string;
}

// Participation (migration 20261130T1300-create-participation). See the migration for what
// each store holds, and docs/security.md "Participation" for why contributions have no author.
export interface ParticipationMemberTable {
  account_id: string;
  organization_id: string;
  pseudonym_encrypted: string;
  pseudonym_index: string;
  language: string;
  enrolled_by: string;
  enrolled_at: string;
  left_at: string | null;
}

export interface MemberSignInCodeTable {
  code_hash: string;
  organization_id: string;
  account_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ProxySessionTable {
  id: string;
  organization_id: string;
  facilitator_id: string;
  member_id: string;
  reason_encrypted: string;
  /** The member's session the facilitator uses (session.id_hash). */
  session_id_hash: string;
  started_at: string;
  expires_at: string;
  ended_at: string | null;
}

export interface TrainingModuleTable {
  id: string;
  organization_id: string;
  title: string;
  content: string;
  language: string;
  duration_minutes: number;
  created_by: string;
  created_at: string;
  archived_at: string | null;
}

export interface TrainingCompletionTable {
  organization_id: string;
  module_id: string;
  account_id: string;
  completed_at: string;
  recorded_by: string;
}

export type ConsultationPhase = 'collect' | 'group' | 'agree' | 'write' | 'submit';

export interface ConsultationTable {
  id: string;
  organization_id: string;
  title: string;
  requester: string;
  call_url: string | null;
  /** YYYY-MM-DD */
  deadline: string | null;
  summary: string | null;
  language: string;
  /** The phase open now, or null. */
  phase: ConsultationPhase | null;
  required_module_id: string | null;
  presentation: string | null;
  do_not_publish: number;
  submitted_at: string | null;
  outcome: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ConsultationPhaseTable {
  id: string;
  organization_id: string;
  consultation_id: string;
  phase: ConsultationPhase;
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  closed_by: string | null;
}

export interface ConsultationQuestionTable {
  id: string;
  organization_id: string;
  consultation_id: string;
  position: number;
  label: string;
  text: string;
  chosen: number;
}

export interface WorkshopTable {
  id: string;
  organization_id: string;
  consultation_id: string | null;
  title: string;
  starts_at: string;
  duration_minutes: number;
  place: string;
  /** debate | film_debate | drafting | training | other */
  format: string;
  /** JSON array of account ids */
  facilitators_json: string;
  /** JSON array: interpretation, childcare, transport, meal … */
  services_json: string;
  attendance_code_hash: string | null;
  minutes_encrypted: string | null;
  created_by: string;
  created_at: string;
  cancelled_at: string | null;
}

export interface WorkshopAttendanceTable {
  organization_id: string;
  workshop_id: string;
  account_id: string;
  checked_in_at: string;
  /** code | facilitator */
  method: string;
  recorded_by: string;
}

export type ContributionConsent = 'internal' | 'summarise' | 'quote';

export interface ContributionTable {
  id: string;
  organization_id: string;
  consultation_id: string;
  question_id: string | null;
  /** member | workshop | facilitator */
  source: string;
  workshop_id: string | null;
  present_count: number | null;
  language: string;
  text_encrypted: string | null;
  translation_encrypted: string | null;
  translation_language: string | null;
  /** Who added the translation: member | facilitator (migration 20261130T1320). */
  translation_by: string | null;
  audio_encrypted: string | null;
  audio_type: string | null;
  content_note: string | null;
  consent: ContributionConsent;
  /** draft | submitted | withdrawn */
  status: string;
  /** HMAC under her device-held key (participation/authorship.ts); null when no one may edit it. */
  author_tag: string | null;
  created_on: string;
  updated_on: string;
  withdrawn_on: string | null;
}

export interface ContributionConfirmationTable {
  organization_id: string;
  contribution_id: string;
  account_id: string;
  /** confirmed | corrected */
  verdict: string;
  at: string;
}

export interface ThemeTable {
  id: string;
  organization_id: string;
  consultation_id: string;
  title: string;
  summary: string | null;
  position: number;
  /** suggested | confirmed | rejected | merged */
  status: string;
  merged_into: string | null;
  /** suggested (by Relais) | facilitator | member */
  origin: string;
  created_by: string;
  created_at: string;
}

export interface ThemeContributionTable {
  organization_id: string;
  theme_id: string;
  contribution_id: string;
  /** 1: the facilitators chose to quote it in the submission (20261130T1330; still needs 'quote' consent). */
  quoted: ColumnType<number, number | undefined, number>;
}

export interface ThemeDecisionTable {
  id: string;
  organization_id: string;
  theme_id: string;
  /** confirm | rename | merge | reject */
  action: string;
  detail: string | null;
  workshop_id: string | null;
  decided_by: string;
  decided_at: string;
}

export interface QuestionThemeTable {
  organization_id: string;
  question_id: string;
  theme_id: string;
}

export interface StatementTable {
  id: string;
  organization_id: string;
  consultation_id: string;
  theme_id: string | null;
  text: string;
  language: string;
  /** facilitator | member */
  proposed_by: string;
  /** open | closed | removed */
  status: string;
  created_on: string;
}

export interface StatementVoteTable {
  organization_id: string;
  statement_id: string;
  voter_tag: string;
  /** agree | disagree | unsure */
  vote: string;
  group_language: string | null;
  group_workshop: string | null;
  voted_on: string;
}

export interface RecommendationTable {
  id: string;
  organization_id: string;
  consultation_id: string;
  theme_id: string | null;
  position: number;
  /** draft | voting (adoption vote open) | adopted | withdrawn */
  status: string;
  current_version: number;
  adopted_at: string | null;
  created_by: string;
  created_at: string;
}

export interface RecommendationVersionTable {
  organization_id: string;
  recommendation_id: string;
  version: number;
  text: string;
  note: string | null;
  changed_by: string;
  changed_at: string;
}

export interface RecommendationStatementTable {
  organization_id: string;
  recommendation_id: string;
  statement_id: string;
}

export interface RecommendationVoteTable {
  organization_id: string;
  recommendation_id: string;
  version: number;
  voter_tag: string;
  /** agree | abstain | disagree | block */
  vote: string;
  reason_encrypted: string | null;
  voted_on: string;
}

export interface ParticipationSettingTable {
  organization_id: string;
  hourly_rate_cents: number;
  currency: string;
  updated_by: string;
  updated_at: string;
}

export interface PayEntryTable {
  id: string;
  organization_id: string;
  account_id: string;
  /** attendance | training | review */
  kind: string;
  workshop_id: string | null;
  module_id: string | null;
  worked_on: string;
  minutes: number;
  rate_cents: number;
  amount_cents: number;
  recorded_by: string;
  recorded_at: string;
}

export interface PaymentTable {
  id: string;
  organization_id: string;
  account_id: string;
  amount_cents: number;
  paid_on: string;
  method: string;
  recorded_by: string;
  recorded_at: string;
}

export interface Database {
  instance_setting: InstanceSettingTable;
  directory_organization: DirectoryOrganizationTable;
  directory_service: DirectoryServiceTable;
  directory_service_translation: DirectoryServiceTranslationTable;
  directory_service_tag: DirectoryServiceTagTable;
  directory_location: DirectoryLocationTable;
  directory_phone: DirectoryPhoneTable;
  directory_service_version: DirectoryServiceVersionTable;
  directory_notice: DirectoryNoticeTable;
  directory_revision: DirectoryRevisionTable;
  directory_service_removed: DirectoryServiceRemovedTable;
  directory_service_fts: DirectoryServiceFtsTable;
  organization: OrganizationTable;
  person_account: PersonAccountTable;
  invitation: InvitationTable;
  session: SessionTable;
  recovery_code: RecoveryCodeTable;
  passkey: PasskeyTable;
  webauthn_challenge: WebauthnChallengeTable;
  audit_entry: AuditEntryTable;
  audit_head: AuditHeadTable;
  case_person: CasePersonTable;
  case_assignment: CaseAssignmentTable;
  case_access: CaseAccessTable;
  case_consent: CaseConsentTable;
  case_procedure: CaseProcedureTable;
  case_step: CaseStepTable;
  case_deadline: CaseDeadlineTable;
  case_reminder: CaseReminderTable;
  calendar_feed: CalendarFeedTable;
  case_document: CaseDocumentTable;
  case_statistic: CaseStatisticTable;
  case_appointment: CaseAppointmentTable;
  participation_member: ParticipationMemberTable;
  member_sign_in_code: MemberSignInCodeTable;
  proxy_session: ProxySessionTable;
  training_module: TrainingModuleTable;
  training_completion: TrainingCompletionTable;
  consultation: ConsultationTable;
  consultation_phase: ConsultationPhaseTable;
  consultation_question: ConsultationQuestionTable;
  workshop: WorkshopTable;
  workshop_attendance: WorkshopAttendanceTable;
  contribution: ContributionTable;
  contribution_confirmation: ContributionConfirmationTable;
  theme: ThemeTable;
  theme_contribution: ThemeContributionTable;
  theme_decision: ThemeDecisionTable;
  question_theme: QuestionThemeTable;
  statement: StatementTable;
  statement_vote: StatementVoteTable;
  recommendation: RecommendationTable;
  recommendation_version: RecommendationVersionTable;
  recommendation_statement: RecommendationStatementTable;
  recommendation_vote: RecommendationVoteTable;
  participation_setting: ParticipationSettingTable;
  pay_entry: PayEntryTable;
  payment: PaymentTable;
}
