/**
 * The people and records of the access matrix, made through the app's own services on the
 * database the server under test uses (as the app's role on PostgreSQL). Every cell gets
 * fresh people, so that a request that changes something cannot spoil the next cell.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { inTenant } from '../../src/lib/server/db/tenant';
import { createOrganization } from '../../src/lib/server/accounts/organization.service';
import { acceptInvitation, emailIndex, inviteAccount, startSession } from '../../src/lib/server/accounts/account.service';
import { dataKeyOf } from '../../src/lib/server/accounts/organization.service';
import { insertPasskey } from '../../src/lib/server/accounts/passkey.repository';
import { encryptField } from '../../src/lib/server/crypto/envelope';
import type { Role } from '../../src/lib/server/accounts/roles';
import { HELPER_ROLES } from '../../src/lib/server/accompaniment/person.policy';
import { assignHelper, openPerson, openProcedure, recordStep, type CaseContext } from '../../src/lib/server/accompaniment/person.service';
import { uploadDocument } from '../../src/lib/server/accompaniment/document.service';
import { addAppointment } from '../../src/lib/server/accompaniment/appointment.service';
import { fromParis, parisDateKey, parseDateKey } from '../../src/lib/time/paris-time';
import { formatIsoWeek, isoWeekOfDateKey, parisIsoWeek } from '../../src/lib/time/iso-week';
import { findServiceById, saveServices } from '../../src/lib/server/directory/repository';
import { listNoticesOfService } from '../../src/lib/server/directory/staff.repository';
import { staffActor } from '../../src/lib/server/directory/version-history';
import type { DirectoryService } from '../../src/lib/server/directory/model';
// Participation — members, workshops, training, pay (issue 7, p7-members).
import { blindIndex } from '../../src/lib/server/crypto/envelope';
import { createModule, recordCompletion } from '../../src/lib/server/participation/training.service';
import { createWorkshop, markPresent } from '../../src/lib/server/participation/workshop.service';
import type { ParticipationContext } from '../../src/lib/server/participation/context';
// Participation: consultations and contributions (issue 7).
import { chooseQuestion, createConsultation, switchPhase } from '../../src/lib/server/participation/consultation.service';
import { consultationOf } from '../../src/lib/server/participation/consultation.repository';
import { enterWorkshopBatch, sealAudio, transcribeContribution } from '../../src/lib/server/participation/contribution.service';
import { addMember, findMember } from '../../src/lib/server/participation/member.repository';

export interface Person {
  organizationId: string;
  accountId: string;
  /** Her marker on a page. */
  email: string;
  role: Role;
  /** The cookie of her signed-in session… */
  cookie: string;
  /** …that session's id (the hash the server keeps)… */
  sessionId: string;
  /** …and another live session of hers. */
  spareSessionId: string;
  /** One of her two passkeys (a stored credential; never used to sign in here). */
  passkeyId: string;
  /**
   * Her case record (rows with `cases`): a person of her organization assigned to her when
   * her role can hold cases, opened by another social worker who stays assigned too; with an
   * accommodation request (a deadline within the week).
   */
  case?: CaseRecord;
  /**
   * A help directory service she created (rows with `directory`): its first version names
   * her. The directory is one per instance, not a tenant's: "her" service is hers only by
   * its history.
   */
  service?: ServiceRecord;
  /** Her participation records (rows of the members slice, through their `prepare`). */
  participation?: ParticipationRecord;
  /**
   * A consultation of her organization (rows with `consultation`), made by a coordinator:
   * two questions (the first chosen), collect open, a workshop, one transcribed contribution
   * with a recording, and one workshop line. A member is enrolled in the participation group
   * and was present at the workshop.
   */
  consultation?: ConsultationRecord;
  /** Deliberation (issue 7): a consultation of her organization and its records (rows' `prepare`). */
  deliberation?: DeliberationRecord;
}

// ---- Deliberation (issue 7: themes, statements, recommendations, the submission) ----------
/**
 * A consultation of her organization with one chosen question, a workshop, a submitted
 * contribution, a theme, an open statement and a recommendation under vote. Made fresh for
 * each request (rows' `prepare`), since the requests change them. `title` is its marker.
 */
export interface DeliberationRecord {
  consultationId: string;
  title: string;
  questionId: string;
  themeId: string;
  statementId: string;
  statementText: string;
  recommendationId: string;
  contributionId: string;
}

/**
 * Participation (issue 7, members slice): she is in the group (a participation_member row,
 * whatever her role: the row is what member pages and facilitators' forms name), with a
 * training module and a workshop of her organization (its door code known here).
 */
export interface ParticipationRecord {
  pseudonym: string;
  moduleId: string;
  workshopId: string;
  doorCode: string;
}

export interface ConsultationRecord {
  consultationId: string;
  title: string;
  /** The chosen question, and one not chosen. */
  questionId: string;
  otherQuestionId: string;
  workshopId: string;
  /** A contribution transcribed by a facilitator (no author tag), with a recording. */
  contributionId: string;
  contributionText: string;
  /** A line of the workshop's batch. */
  lineId: string;
}

/** The bytes of every matrix recording (its endpoint shows them). */
export const MATRIX_AUDIO = 'OggS matrix fake recording';

export interface ServiceRecord {
  id: string;
  /** A word of its name found in no other service (to search for it). */
  word: string;
}

export interface CaseRecord {
  id: string;
  pseudonym: string;
  procedureId: string;
  consentId: string;
  /** A helper of her organization who is not assigned to this record. */
  spareHelperId: string;
  /** One of her documents (a small PDF whose text is MATRIX_DOCUMENT). */
  documentId: string;
  /** An appointment with her today at 23:00 (Paris), her helper who opened the record going… */
  appointmentId: string;
  /** …and its week, 'YYYY-Www'. */
  appointmentWeek: string;
}

/** What the matrix's document of every record says (its download shows it). */
export const MATRIX_DOCUMENT = 'Matrix fake document';

export interface Cell {
  /** Who asks, signed in, in organization A. */
  actor: Person;
  /** Someone else of organization A. */
  colleague: Person;
  /** Someone of organization B. */
  stranger: Person;
  /** Ids that exist nowhere. */
  ghost: Person;
}

let counter = 0;

export class World {
  private constructor(
    readonly db: Kysely<Database>,
    readonly masterKey: Buffer,
    readonly organizationA: string,
    readonly organizationB: string
  ) {}

  static async create(db: Kysely<Database>, masterKey: Buffer): Promise<World> {
    const a = await createOrganization(db, masterKey, { name: 'Matrice A', actor: { id: 'cli' } });
    const b = await createOrganization(db, masterKey, { name: 'Matrice B', actor: { id: 'cli' } });
    return new World(db, masterKey, a.id, b.id);
  }

  async person(organizationId: string, role: Role): Promise<Person> {
    const email = `matrix.person.${++counter}.${randomBytes(4).toString('hex')}@example.test`;
    const { token } = await inviteAccount(this.db, this.masterKey, { organizationId, email, role, actor: { id: 'cli' } });
    const { accountId } = await acceptInvitation(this.db, this.masterKey, token);
    const signedIn = await startSession(this.db, { organizationId, accountId });
    const spare = await startSession(this.db, { organizationId, accountId });
    const dataKey = await dataKeyOf(this.db, this.masterKey, organizationId);
    const passkeyIds = [randomUUID(), randomUUID()];
    await inTenant(this.db, organizationId, async (trx) => {
      for (const id of passkeyIds) {
        await insertPasskey(trx, {
          id,
          organization_id: organizationId,
          account_id: accountId,
          credential_id: randomBytes(32).toString('base64url'),
          public_key: randomBytes(77).toString('base64url'),
          counter: 0,
          transports: '["internal"]',
          user_handle: randomBytes(32).toString('base64url'),
          name_encrypted: encryptField(dataKey, 'matrix', { table: 'passkey', column: 'name_encrypted', rowId: id }),
          device_type: 'singleDevice',
          backed_up: 0,
          created_at: new Date().toISOString(),
          last_used_at: null
        });
      }
    });
    return { organizationId, accountId, email, role, cookie: signedIn.token, sessionId: signedIn.sessionId, spareSessionId: spare.sessionId, passkeyId: passkeyIds[0]! };
  }

  ghost(): Person {
    const hash = () => randomBytes(32).toString('hex');
    return { organizationId: randomUUID(), accountId: randomUUID(), email: `matrix.ghost.${randomBytes(4).toString('hex')}@example.test`, role: 'admin', cookie: '', sessionId: hash(), spareSessionId: hash(), passkeyId: randomUUID() };
  }

  async cell(role: Role, cases = false, directory = false, consultation = false): Promise<Cell> {
    const cell = {
      actor: await this.person(this.organizationA, role),
      colleague: await this.person(this.organizationA, 'social_worker'),
      stranger: await this.person(this.organizationB, 'admin'),
      ghost: this.ghost()
    };
    if (cases) {
      for (const person of [cell.actor, cell.colleague, cell.stranger]) person.case = await this.caseOf(person);
      cell.ghost.case = {
        id: randomUUID(),
        pseudonym: `Ghost ${randomBytes(4).toString('hex')}`,
        procedureId: randomUUID(),
        consentId: randomUUID(),
        spareHelperId: randomUUID(),
        documentId: randomUUID(),
        appointmentId: randomUUID(),
        appointmentWeek: formatIsoWeek(parisIsoWeek(new Date()))
      };
    }
    if (directory) {
      for (const person of [cell.actor, cell.colleague, cell.stranger]) person.service = await this.serviceOf(person);
      cell.ghost.service = { id: `matrix-ghost-${randomBytes(6).toString('hex')}`, word: `ghost${randomBytes(6).toString('hex')}` };
    }
    if (consultation) {
      for (const person of [cell.actor, cell.colleague, cell.stranger]) person.consultation = await this.consultationRecordOf(person);
      const ghost = () => randomUUID();
      cell.ghost.consultation = { consultationId: ghost(), title: 'Ghost', questionId: ghost(), otherQuestionId: ghost(), workshopId: ghost(), contributionId: ghost(), contributionText: 'Ghost', lineId: ghost() };
    }
    return cell;
  }

  // ——— Participation (issue 7) ————————————————————————————————————————————————
  private facilitators = new Map<string, ParticipationContext>();

  /** A consultation of her organization (see Person.consultation). */
  async consultationRecordOf(person: Person): Promise<ConsultationRecord> {
    let ctx = this.facilitators.get(person.organizationId);
    if (!ctx) {
      const coordinator = await this.person(person.organizationId, 'coordinator');
      ctx = { db: this.db, masterKey: this.masterKey, who: { sessionId: 'matrix', organizationId: person.organizationId, accountId: coordinator.accountId, role: 'coordinator' } };
      this.facilitators.set(person.organizationId, ctx);
    }
    const tag = randomBytes(6).toString('hex');
    const title = `Consultation matrice ${tag}`;
    const { id } = await createConsultation(ctx, {
      title,
      requester: 'Matrix rapporteur',
      callUrl: null,
      deadline: null,
      summary: null,
      language: 'en',
      questions: [
        { label: '1', text: 'Matrix question one?' },
        { label: '2', text: 'Matrix question two?' }
      ]
    });
    const questions = (await consultationOf(this.db, person.organizationId, id))!.questions;
    await chooseQuestion(ctx, id, questions[0]!.id, true);
    await switchPhase(ctx, id, { kind: 'open', phase: 'collect' });
    const workshopId = randomUUID();
    const now = new Date().toISOString();
    await inTenant(this.db, person.organizationId, (trx) =>
      trx
        .insertInto('workshop')
        .values({ id: workshopId, organization_id: person.organizationId, consultation_id: id, title: 'Matrix workshop', starts_at: now, duration_minutes: 60, place: 'Matrix room', format: 'debate', facilitators_json: '[]', services_json: '[]', attendance_code_hash: null, minutes_encrypted: null, created_by: ctx.who.accountId, created_at: now, cancelled_at: null })
        .execute()
    );
    const contributionText = `Matrix contribution ${tag}`;
    const { id: contributionId } = await transcribeContribution(ctx, id, { questionId: questions[0]!.id, language: 'en', text: contributionText, contentNote: null, consent: 'internal' });
    const dataKey = await dataKeyOf(this.db, this.masterKey, person.organizationId);
    await inTenant(this.db, person.organizationId, (trx) =>
      trx
        .updateTable('contribution')
        .set({ audio_encrypted: sealAudio(dataKey, contributionId, Buffer.from(MATRIX_AUDIO, 'utf8')), audio_type: 'audio/ogg' })
        .where('organization_id', '=', person.organizationId)
        .where('id', '=', contributionId)
        .execute()
    );
    const { ids } = await enterWorkshopBatch(ctx, id, { workshopId, presentCount: 6, questionId: questions[0]!.id, language: 'en', lines: ['Matrix workshop line'], consent: 'internal' });
    if (person.role === 'member') {
      await addMember(this.db, this.masterKey, { organizationId: person.organizationId, accountId: person.accountId, pseudonym: `Matrix member ${tag}`, language: 'en', enrolledBy: ctx.who.accountId });
      await inTenant(this.db, person.organizationId, (trx) =>
        trx.insertInto('workshop_attendance').values({ organization_id: person.organizationId, workshop_id: workshopId, account_id: person.accountId, checked_in_at: now, method: 'facilitator', recorded_by: ctx.who.accountId }).execute()
      );
    }
    return { consultationId: id, title, questionId: questions[0]!.id, otherQuestionId: questions[1]!.id, workshopId, contributionId, contributionText, lineId: ids[0]! };
  }

  private inWorld(person: Person): boolean {
    return Boolean(person.consultation) && (person.organizationId === this.organizationA || person.organizationId === this.organizationB);
  }

  /** Her consultation as it is now (null for a ghost's). */
  async consultation(person: Person) {
    return this.inWorld(person) ? consultationOf(this.db, person.organizationId, person.consultation!.consultationId) : null;
  }

  /** Whether a consultation with this title exists in either organization. */
  async consultationTitled(title: string): Promise<boolean> {
    for (const organizationId of [this.organizationA, this.organizationB]) {
      const row = await inTenant(this.db, organizationId, (trx) => trx.selectFrom('consultation').select('id').where('organization_id', '=', organizationId).where('title', '=', title).executeTakeFirst());
      if (row) return true;
    }
    return false;
  }

  /** The contributions of her consultation (rows as stored). */
  async contributions(person: Person) {
    if (!this.inWorld(person)) return [];
    const id = person.consultation!.consultationId;
    return inTenant(this.db, person.organizationId, (trx) => trx.selectFrom('contribution').selectAll().where('organization_id', '=', person.organizationId).where('consultation_id', '=', id).execute());
  }

  /** Confirmations of her workshop's line. */
  async confirmations(person: Person): Promise<number> {
    if (!this.inWorld(person)) return 0;
    const line = person.consultation!.lineId;
    const rows = await inTenant(this.db, person.organizationId, (trx) => trx.selectFrom('contribution_confirmation').select('account_id').where('organization_id', '=', person.organizationId).where('contribution_id', '=', line).execute());
    return rows.length;
  }

  /** Closes her consultation's collect phase (before a row that opens the next one). */
  async closeCollect(person: Person): Promise<void> {
    if (!this.inWorld(person)) return;
    await switchPhase(this.facilitators.get(person.organizationId)!, person.consultation!.consultationId, { kind: 'close', phase: 'collect' });
  }

  private helpers = new Map<string, { creator: Person; spare: Person }>();

  /** A case record for `person` (see Person.case). */
  async caseOf(person: Person): Promise<CaseRecord> {
    let helpers = this.helpers.get(person.organizationId);
    if (!helpers) {
      helpers = { creator: await this.person(person.organizationId, 'social_worker'), spare: await this.person(person.organizationId, 'peer_helper') };
      this.helpers.set(person.organizationId, helpers);
    }
    const ctx: CaseContext = {
      db: this.db,
      masterKey: this.masterKey,
      who: { sessionId: 'matrix', organizationId: person.organizationId, accountId: helpers.creator.accountId, role: 'social_worker' }
    };
    const pseudonym = `Dossier ${randomBytes(6).toString('hex')}`;
    const { id } = await openPerson(ctx, {
      pseudonym,
      realName: null,
      profile: { languages: [], nationality: null, birthYear: null, contactRules: null, referredBy: null, minor: false, inDanger: false, noContactWith: null },
      consent: { scopes: ['procedures', 'documents'], retentionMonths: 24, language: 'fr' }
    });
    const document = await uploadDocument(ctx, id, { name: 'matrix.pdf', bytes: Buffer.from(`%PDF-1.4\n% ${MATRIX_DOCUMENT}\n%%EOF\n`, 'latin1') });
    if (HELPER_ROLES.includes(person.role)) await assignHelper(ctx, id, person.accountId);
    const procedure = await openProcedure(ctx, id, 'accommodation');
    await recordStep(ctx, procedure.id, { transition: 'request', at: parisDateKey(new Date()), fields: { request_to: '115' } }, null);
    const today = parisDateKey(new Date());
    const { year, month, day } = parseDateKey(today)!;
    const appointment = await addAppointment(ctx, id, { startsAt: fromParis({ year, month, day, hour: 23, minute: 0 }), durationMinutes: null, place: 'Matrix place', purpose: null, attendeeId: helpers.creator.accountId });
    const consent = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('case_consent').select('id').where('organization_id', '=', person.organizationId).where('person_id', '=', id).executeTakeFirstOrThrow()
    );
    return {
      id,
      pseudonym,
      procedureId: procedure.id,
      consentId: consent.id,
      spareHelperId: helpers.spare.accountId,
      documentId: document.id,
      appointmentId: appointment.id,
      appointmentWeek: formatIsoWeek(isoWeekOfDateKey(today))
    };
  }

  /**
   * A new directory service whose first version is hers (see Person.service). Written
   * through the repository, as an import would, not the staff use case: a member cannot
   * create one, but may have when she held another role.
   */
  async serviceOf(person: Person): Promise<ServiceRecord> {
    const word = `matrice${randomBytes(6).toString('hex')}`;
    const service: DirectoryService = {
      id: `matrix-service-${++counter}-${randomBytes(4).toString('hex')}`,
      organization: { id: 'matrix-organization', name: 'Organisation Matrice' },
      status: 'active',
      sourceLocale: 'fr',
      texts: { fr: { name: `Service ${word}` } },
      categories: [],
      audiences: [],
      languages: [],
      free: null,
      wheelchair: null,
      phones: [],
      hours: null,
      hoursAlternative: null,
      location: null,
      region: null,
      national: false,
      sample: false,
      lastVerifiedAt: null,
      lastVerifiedBy: null
    };
    await saveServices(this.db, [service], { actor: staffActor(person), action: 'create', expectedVersion: 0 });
    return { id: service.id, word };
  }

  // ---- Deliberation (issue 7) ----------------------------------------------------------------
  /**
   * Gives her a consultation of her organization (see DeliberationRecord); a member is also
   * enrolled in the participation group. A ghost gets ids that exist nowhere.
   */
  async deliberationOf(person: Person, options: { submitted?: boolean; phase?: 'agree' | 'write' } = {}): Promise<DeliberationRecord> {
    const hex = randomBytes(6).toString('hex');
    const record: DeliberationRecord = {
      consultationId: randomUUID(),
      title: `Matrix consultation ${hex}`,
      questionId: randomUUID(),
      themeId: randomUUID(),
      statementId: randomUUID(),
      statementText: `Matrix statement ${hex}`,
      recommendationId: randomUUID(),
      contributionId: randomUUID()
    };
    person.deliberation = record;
    const org = person.organizationId;
    if (org !== this.organizationA && org !== this.organizationB) return record;
    if (person.role === 'member' && !(await findMember(this.db, org, person.accountId))) {
      await addMember(this.db, this.masterKey, { organizationId: org, accountId: person.accountId, pseudonym: `Matrix member ${hex}`, language: 'fr', enrolledBy: 'cli' });
    }
    const dataKey = await dataKeyOf(this.db, this.masterKey, org);
    const now = new Date().toISOString();
    const today = now.slice(0, 10);
    await inTenant(this.db, org, async (trx) => {
      await trx
        .insertInto('consultation')
        .values({ id: record.consultationId, organization_id: org, title: record.title, requester: 'Matrix requester', call_url: null, deadline: null, summary: null, language: 'fr', phase: options.phase ?? 'agree', required_module_id: null, presentation: null, do_not_publish: 0, submitted_at: options.submitted ? now : null, outcome: null, created_by: 'cli', created_at: now, updated_at: now })
        .execute();
      await trx.insertInto('consultation_question').values({ id: record.questionId, organization_id: org, consultation_id: record.consultationId, position: 1, label: '1', text: 'Matrix question', chosen: 1 }).execute();
      await trx
        .insertInto('contribution')
        .values({
          id: record.contributionId,
          organization_id: org,
          consultation_id: record.consultationId,
          question_id: record.questionId,
          source: 'member',
          workshop_id: null,
          present_count: null,
          language: 'fr',
          text_encrypted: encryptField(dataKey, 'matrice logement titre', { table: 'contribution', column: 'text_encrypted', rowId: record.contributionId }),
          translation_encrypted: null,
          translation_language: null,
          audio_encrypted: null,
          audio_type: null,
          content_note: null,
          consent: 'quote',
          status: 'submitted',
          author_tag: null,
          created_on: today,
          updated_on: today,
          withdrawn_on: null
        })
        .execute();
      await trx.insertInto('theme').values({ id: record.themeId, organization_id: org, consultation_id: record.consultationId, title: 'Matrix theme', summary: null, position: 1, status: 'suggested', merged_into: null, origin: 'facilitator', created_by: 'cli', created_at: now }).execute();
      await trx.insertInto('theme_contribution').values({ organization_id: org, theme_id: record.themeId, contribution_id: record.contributionId, quoted: 0 }).execute();
      await trx.insertInto('statement').values({ id: record.statementId, organization_id: org, consultation_id: record.consultationId, theme_id: record.themeId, text: record.statementText, language: 'fr', proposed_by: 'facilitator', status: 'open', created_on: today }).execute();
      await trx.insertInto('recommendation').values({ id: record.recommendationId, organization_id: org, consultation_id: record.consultationId, theme_id: record.themeId, position: 1, status: 'voting', current_version: 1, adopted_at: null, created_by: 'cli', created_at: now }).execute();
      await trx.insertInto('recommendation_version').values({ organization_id: org, recommendation_id: record.recommendationId, version: 1, text: `Matrix recommendation ${hex}`, note: null, changed_by: 'cli', changed_at: now }).execute();
    });
    return record;
  }

  /** Rows of a deliberation table of her consultation. */
  async deliberationRows(person: Person, table: 'theme' | 'statement' | 'recommendation'): Promise<number> {
    const record = person.deliberation;
    if (!record || (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB)) return 0;
    const rows = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom(table).select('id').where('organization_id', '=', person.organizationId).where('consultation_id', '=', record.consultationId).execute()
    );
    return rows.length;
  }

  /** Her votes, as anyone's: the statement's and the recommendation's vote rows. */
  async deliberationVotes(person: Person): Promise<number> {
    const record = person.deliberation;
    if (!record || (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB)) return 0;
    return inTenant(this.db, person.organizationId, async (trx) => {
      const a = await trx.selectFrom('statement_vote').select('voter_tag').where('organization_id', '=', person.organizationId).where('statement_id', '=', record.statementId).execute();
      const b = await trx.selectFrom('recommendation_vote').select('voter_tag').where('organization_id', '=', person.organizationId).where('recommendation_id', '=', record.recommendationId).execute();
      return a.length + b.length;
    });
  }
  // ---- end of deliberation ---------------------------------------------------------------------

  /** Her directory service as it is now (null once deleted, or for a ghost). */
  async service(person: Person) {
    return person.service ? findServiceById(this.db, person.service.id) : null;
  }

  /** Whether her directory service has had a "full tonight" notice. */
  async serviceNoticed(person: Person): Promise<boolean> {
    return person.service ? (await listNoticesOfService(this.db, person.service.id)).length > 0 : false;
  }

  /** Whether a directory service with this name (in its source language) exists. */
  async serviceNamed(name: string): Promise<boolean> {
    const row = await this.db.selectFrom('directory_service').select('id').where('name', '=', name).executeTakeFirst();
    return row !== undefined;
  }

  /** How many audit entries of her organization record `action` on `targetId`. */
  /** Open invitations for `email`, in either organization of the world. */
  async invitationsFor(email: string): Promise<number> {
    let count = 0;
    for (const organizationId of [this.organizationA, this.organizationB]) {
      const index = emailIndex(await dataKeyOf(this.db, this.masterKey, organizationId), email);
      const rows = await inTenant(this.db, organizationId, (trx) =>
        trx.selectFrom('invitation').select('id').where('organization_id', '=', organizationId).where('email_index', '=', index).where('used_at', 'is', null).execute()
      );
      count += rows.length;
    }
    return count;
  }

  async audited(person: Person, action: string, targetId: string): Promise<number> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return 0;
    const rows = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('audit_entry').select('seq').where('chain', '=', person.organizationId).where('action', '=', action).where('target_id', '=', targetId).execute()
    );
    return rows.length;
  }

  /** Rows of a case table for her record (procedures, consents, assignments, accesses). */
  async caseRows(person: Person, table: 'case_procedure' | 'case_consent' | 'case_access' | 'case_document' | 'case_appointment', where: Record<string, string> = {}): Promise<number> {
    if (!person.case || (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB)) return 0;
    const caseId = person.case.id;
    const rows = await inTenant(this.db, person.organizationId, (trx) => {
      let query = trx.selectFrom(table).select('person_id').where('organization_id', '=', person.organizationId).where('person_id', '=', caseId);
      for (const [column, value] of Object.entries(where)) query = query.where(column as 'person_id', '=', value);
      return query.execute();
    });
    return rows.length;
  }

  async assigned(person: Person, accountId: string): Promise<boolean> {
    if (!person.case || (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB)) return false;
    const caseId = person.case.id;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('case_assignment').select('account_id').where('organization_id', '=', person.organizationId).where('person_id', '=', caseId).where('account_id', '=', accountId).executeTakeFirst()
    );
    return Boolean(row);
  }

  /** True when this session of hers exists and has ended. */
  async sessionEnded(person: Person, sessionId: string): Promise<boolean> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return false;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('session').select('ended_at').where('organization_id', '=', person.organizationId).where('id_hash', '=', sessionId).executeTakeFirst()
    );
    return Boolean(row?.ended_at);
  }

  /** True when her account exists and its role is no longer the one she was given. */
  async roleChanged(person: Person): Promise<boolean> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return false;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('person_account').select('role').where('organization_id', '=', person.organizationId).where('id', '=', person.accountId).executeTakeFirst()
    );
    return row !== undefined && row.role !== person.role;
  }

  /** True when she had this passkey and it is gone. */
  async passkeyRemoved(person: Person): Promise<boolean> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return false;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('passkey').select('id').where('organization_id', '=', person.organizationId).where('id', '=', person.passkeyId).executeTakeFirst()
    );
    return row === undefined;
  }

  /** Gives her a live calendar feed (whatever her role), as if she had created one. */
  async giveFeed(person: Person): Promise<void> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return;
    await inTenant(this.db, person.organizationId, (trx) =>
      trx
        .insertInto('calendar_feed')
        .values({ id: randomUUID(), organization_id: person.organizationId, account_id: person.accountId, secret_hash: randomBytes(32).toString('hex'), locale: 'fr', created_at: new Date().toISOString(), revoked_at: null })
        .execute()
    );
  }

  /** Her calendar feeds: live and revoked. */
  async feeds(person: Person): Promise<{ live: number; revoked: number }> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return { live: 0, revoked: 0 };
    const rows = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('calendar_feed').select('revoked_at').where('organization_id', '=', person.organizationId).where('account_id', '=', person.accountId).execute()
    );
    return { live: rows.filter((r) => r.revoked_at === null).length, revoked: rows.filter((r) => r.revoked_at !== null).length };
  }

  /** True when her account exists and is disabled. */
  async accountDisabled(person: Person): Promise<boolean> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return false;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('person_account').select('status').where('organization_id', '=', person.organizationId).where('id', '=', person.accountId).executeTakeFirst()
    );
    return row?.status === 'disabled';
  }

  // ---- Participation (issue 7, members slice) ------------------------------------------

  /**
   * Gives her participation records (see Person.participation): enrolled in the group (once),
   * a new module and a new workshop in her organization; `completed`/`attended`: she has
   * completed the module, attended the workshop. A ghost gets ids that exist nowhere.
   */
  async participationOf(person: Person, options: { completed?: boolean; attended?: boolean } = {}): Promise<ParticipationRecord> {
    const known = person.organizationId === this.organizationA || person.organizationId === this.organizationB;
    if (!known) {
      person.participation = { pseudonym: `Fantome ${randomBytes(4).toString('hex')}`, moduleId: randomUUID(), workshopId: randomUUID(), doorCode: 'GHST22' };
      return person.participation;
    }
    const { organizationId, accountId } = person;
    const key = await dataKeyOf(this.db, this.masterKey, organizationId);
    const pseudonym = person.participation?.pseudonym ?? `Matrice ${randomBytes(5).toString('hex')}`;
    await inTenant(this.db, organizationId, async (trx) => {
      const existing = await trx.selectFrom('participation_member').select('account_id').where('organization_id', '=', organizationId).where('account_id', '=', accountId).executeTakeFirst();
      if (existing) return;
      await trx
        .insertInto('participation_member')
        .values({
          account_id: accountId,
          organization_id: organizationId,
          pseudonym_encrypted: encryptField(key, pseudonym, { table: 'participation_member', column: 'pseudonym_encrypted', rowId: accountId }),
          pseudonym_index: blindIndex(key, pseudonym, { table: 'participation_member', column: 'pseudonym_index' }),
          language: 'fr',
          enrolled_by: 'cli',
          enrolled_at: new Date().toISOString(),
          left_at: null
        })
        .execute();
    });
    const ctx: ParticipationContext = { db: this.db, masterKey: this.masterKey, who: { sessionId: 'matrix', organizationId, accountId, role: 'coordinator' } };
    const { id: moduleId } = await createModule(ctx, { title: 'Module matrice', content: 'Texte.', durationMinutes: 30, language: 'fr' });
    const workshop = await createWorkshop(ctx, {
      title: 'Atelier matrice',
      startsAt: new Date(),
      durationMinutes: 60,
      place: 'Salle matrice',
      format: 'debate',
      facilitatorIds: [],
      services: { interpretation: [], childcare: false, transport: false, meal: false },
      consultationId: null
    });
    if (options.completed) await recordCompletion(ctx, { moduleId, accountId });
    if (options.attended) await markPresent(ctx, { workshopId: workshop.id, accountId });
    person.participation = { pseudonym, moduleId, workshopId: workshop.id, doorCode: workshop.code };
    return person.participation;
  }

  /** Whether she is a person of the world (not a ghost). */
  knows(person: Person): boolean {
    return person.organizationId === this.organizationA || person.organizationId === this.organizationB;
  }

  /** How many rows of a participation table name her (or her workshop / module). */
  async participationRows(
    person: Person,
    what: 'sign_in_code' | 'proxy' | 'left' | 'completion' | 'attendance' | 'pay_entry' | 'payment' | 'minutes' | 'cancelled'
  ): Promise<number> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return 0;
    const { organizationId, accountId } = person;
    const record = person.participation;
    return inTenant(this.db, organizationId, async (trx) => {
      switch (what) {
        case 'sign_in_code':
          return (await trx.selectFrom('member_sign_in_code').select('code_hash').where('organization_id', '=', organizationId).where('account_id', '=', accountId).execute()).length;
        case 'proxy':
          return (await trx.selectFrom('proxy_session').select('id').where('organization_id', '=', organizationId).where('member_id', '=', accountId).execute()).length;
        case 'left':
          return (await trx.selectFrom('participation_member').select('account_id').where('organization_id', '=', organizationId).where('account_id', '=', accountId).where('left_at', 'is not', null).execute()).length;
        case 'completion':
          return (await trx.selectFrom('training_completion').select('account_id').where('organization_id', '=', organizationId).where('module_id', '=', record?.moduleId ?? '').execute()).length;
        case 'attendance':
          return (await trx.selectFrom('workshop_attendance').select('account_id').where('organization_id', '=', organizationId).where('workshop_id', '=', record?.workshopId ?? '').execute()).length;
        case 'pay_entry':
          return (await trx.selectFrom('pay_entry').select('id').where('organization_id', '=', organizationId).where('account_id', '=', accountId).execute()).length;
        case 'payment':
          return (await trx.selectFrom('payment').select('id').where('organization_id', '=', organizationId).where('account_id', '=', accountId).execute()).length;
        case 'minutes':
          return (await trx.selectFrom('workshop').select('id').where('organization_id', '=', organizationId).where('id', '=', record?.workshopId ?? '').where('minutes_encrypted', 'is not', null).execute()).length;
        case 'cancelled':
          return (await trx.selectFrom('workshop').select('id').where('organization_id', '=', organizationId).where('id', '=', record?.workshopId ?? '').where('cancelled_at', 'is not', null).execute()).length;
      }
    });
  }
}
