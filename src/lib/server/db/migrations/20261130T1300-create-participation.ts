import { sql, type Kysely } from 'kysely';
import { disableTenantIsolation, enableTenantIsolation } from './tenant-isolation';

// Frozen in time: a migration never imports application code.
// Participation (issue 7): survivors answer a call for input together. Four stores that never
// point at each other where that would tell who wrote what (docs/security.md "Participation"):
// - members, training and workshops: who she is in the group (pseudonym, language), what she
//   completed, when she was present;
// - contributions: what was said, with NO author column — only `author_tag`, an HMAC under a
//   key that lives on her device (participation/authorship.ts), so that the server's data
//   alone cannot tell whose it is; created on a day, not at an instant;
// - deliberation: themes, statements, votes (voter tags, one per member and consultation),
//   recommendations and their versions and adoption votes;
// - pay: hours owed and payments, by member, never by contribution.
// Text a member wrote, minutes, reasons: `*_encrypted` under the organization's data key.
// Every table is a tenant table (row-level security on PostgreSQL).

const TABLES = [
  'participation_member',
  'member_sign_in_code',
  'proxy_session',
  'training_module',
  'training_completion',
  'consultation',
  'consultation_phase',
  'consultation_question',
  'workshop',
  'workshop_attendance',
  'contribution',
  'contribution_confirmation',
  'theme',
  'theme_contribution',
  'theme_decision',
  'question_theme',
  'statement',
  'statement_vote',
  'recommendation',
  'recommendation_version',
  'recommendation_statement',
  'recommendation_vote',
  'participation_setting',
  'pay_entry',
  'payment'
] as const;

const id = 'varchar(40)';
const at = 'varchar(40)';

export async function up(db: Kysely<any>): Promise<void> {
  const org = (c: any) => c.notNull().references('organization.id');
  const account = (c: any) => c.notNull().references('person_account.id');

  // A member of the association's participation group: her pseudonym (never her name) and
  // the language her pages speak. One row per account with the `member` role.
  await db.schema
    .createTable('participation_member')
    .addColumn('account_id', id, (c) => c.primaryKey().references('person_account.id'))
    .addColumn('organization_id', id, org)
    .addColumn('pseudonym_encrypted', 'text', (c) => c.notNull())
    .addColumn('pseudonym_index', 'varchar(64)', (c) => c.notNull())
    .addColumn('language', 'varchar(16)', (c) => c.notNull())
    .addColumn('enrolled_by', id, (c) => c.notNull())
    .addColumn('enrolled_at', at, (c) => c.notNull())
    .addColumn('left_at', at)
    .execute();
  await db.schema.createIndex('participation_member_pseudonym').on('participation_member').columns(['organization_id', 'pseudonym_index']).unique().execute();

  // A one-time code a facilitator hands to a member enrolled in person (no email, no phone).
  await db.schema
    .createTable('member_sign_in_code')
    .addColumn('code_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('account_id', id, account)
    .addColumn('created_by', id, (c) => c.notNull())
    .addColumn('created_at', at, (c) => c.notNull())
    .addColumn('expires_at', at, (c) => c.notNull())
    .addColumn('used_at', at)
    .execute();

  // A facilitator acting on a member's behalf: time-limited, with a stated reason (encrypted),
  // through a session of the member's account (`session_id_hash`) that ends with it.
  await db.schema
    .createTable('proxy_session')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('facilitator_id', id, account)
    .addColumn('member_id', id, account)
    .addColumn('reason_encrypted', 'text', (c) => c.notNull())
    .addColumn('session_id_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('started_at', at, (c) => c.notNull())
    .addColumn('expires_at', at, (c) => c.notNull())
    .addColumn('ended_at', at)
    .execute();

  await db.schema
    .createTable('training_module')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('language', 'varchar(16)', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql.raw('duration_minutes > 0 and duration_minutes <= 1440')))
    .addColumn('created_by', id, (c) => c.notNull())
    .addColumn('created_at', at, (c) => c.notNull())
    .addColumn('archived_at', at)
    .execute();

  await db.schema
    .createTable('training_completion')
    .addColumn('organization_id', id, org)
    .addColumn('module_id', id, (c) => c.notNull().references('training_module.id'))
    .addColumn('account_id', id, account)
    .addColumn('completed_at', at, (c) => c.notNull())
    .addColumn('recorded_by', id, (c) => c.notNull())
    .addPrimaryKeyConstraint('training_completion_pk', ['module_id', 'account_id'])
    .execute();

  // A call for input and the association's answer to it. `phase`: the phase open now, or
  // null (none open); the history of switches is in consultation_phase.
  await db.schema
    .createTable('consultation')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('call_url', 'text')
    .addColumn('deadline', 'varchar(10)')
    .addColumn('summary', 'text')
    .addColumn('language', 'varchar(16)', (c) => c.notNull())
    .addColumn('phase', 'varchar(16)')
    .addColumn('required_module_id', id, (c) => c.references('training_module.id'))
    .addColumn('presentation', 'text')
    .addColumn('do_not_publish', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitted_at', at)
    .addColumn('outcome', 'text')
    .addColumn('created_by', id, (c) => c.notNull())
    .addColumn('created_at', at, (c) => c.notNull())
    .addColumn('updated_at', at, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultation_org').on('consultation').columns(['organization_id', 'created_at']).execute();

  await db.schema
    .createTable('consultation_phase')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('consultation_id', id, (c) => c.notNull().references('consultation.id'))
    .addColumn('phase', 'varchar(16)', (c) => c.notNull())
    .addColumn('opened_at', at, (c) => c.notNull())
    .addColumn('opened_by', id, (c) => c.notNull())
    .addColumn('closed_at', at)
    .addColumn('closed_by', id)
    .execute();
  await db.schema.createIndex('consultation_phase_consultation').on('consultation_phase').columns(['organization_id', 'consultation_id', 'opened_at']).execute();

  // The call's questions, in its order; `chosen`: the association answers it.
  await db.schema
    .createTable('consultation_question')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('consultation_id', id, (c) => c.notNull().references('consultation.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'varchar(16)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('chosen', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('consultation_question_order').on('consultation_question').columns(['organization_id', 'consultation_id', 'position']).execute();

  // A meeting: `services_json` (interpretation, childcare …), `facilitators_json` (account
  // ids), the door code stored as a hash, minutes encrypted.
  await db.schema
    .createTable('workshop')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('consultation_id', id, (c) => c.references('consultation.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', at, (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql.raw('duration_minutes > 0 and duration_minutes <= 1440')))
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('format', 'varchar(24)', (c) => c.notNull())
    .addColumn('facilitators_json', 'text', (c) => c.notNull())
    .addColumn('services_json', 'text', (c) => c.notNull())
    .addColumn('attendance_code_hash', 'varchar(64)')
    .addColumn('minutes_encrypted', 'text')
    .addColumn('created_by', id, (c) => c.notNull())
    .addColumn('created_at', at, (c) => c.notNull())
    .addColumn('cancelled_at', at)
    .execute();
  await db.schema.createIndex('workshop_org').on('workshop').columns(['organization_id', 'starts_at']).execute();

  await db.schema
    .createTable('workshop_attendance')
    .addColumn('organization_id', id, org)
    .addColumn('workshop_id', id, (c) => c.notNull().references('workshop.id'))
    .addColumn('account_id', id, account)
    .addColumn('checked_in_at', at, (c) => c.notNull())
    .addColumn('method', 'varchar(16)', (c) => c.notNull())
    .addColumn('recorded_by', id, (c) => c.notNull())
    .addPrimaryKeyConstraint('workshop_attendance_pk', ['workshop_id', 'account_id'])
    .execute();

  // What was said. No author column, by design. `source`: member (typed or recorded by
  // her), workshop (a batch from paper or flip charts, with the number present), or
  // facilitator (transcribed for her). The original text is always kept; a translation is
  // marked as such. `consent`: internal | summarise | quote. Dates are days, not instants.
  await db.schema
    .createTable('contribution')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('consultation_id', id, (c) => c.notNull().references('consultation.id'))
    .addColumn('question_id', id, (c) => c.references('consultation_question.id'))
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('workshop_id', id, (c) => c.references('workshop.id'))
    .addColumn('present_count', 'integer')
    .addColumn('language', 'varchar(16)', (c) => c.notNull())
    .addColumn('text_encrypted', 'text')
    .addColumn('translation_encrypted', 'text')
    .addColumn('translation_language', 'varchar(16)')
    .addColumn('audio_encrypted', 'text')
    .addColumn('audio_type', 'varchar(40)')
    .addColumn('content_note', 'varchar(40)')
    .addColumn('consent', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('author_tag', 'varchar(64)')
    .addColumn('created_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('updated_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('withdrawn_on', 'varchar(10)')
    .execute();
  await db.schema.createIndex('contribution_consultation').on('contribution').columns(['organization_id', 'consultation_id', 'status']).execute();

  // A member present at a workshop confirms (or not) the transcription of its batch.
  await db.schema
    .createTable('contribution_confirmation')
    .addColumn('organization_id', id, org)
    .addColumn('contribution_id', id, (c) => c.notNull().references('contribution.id'))
    .addColumn('account_id', id, account)
    .addColumn('verdict', 'varchar(16)', (c) => c.notNull())
    .addColumn('at', at, (c) => c.notNull())
    .addPrimaryKeyConstraint('contribution_confirmation_pk', ['contribution_id', 'account_id'])
    .execute();

  // Themes: `status` suggested | confirmed | rejected | merged (into `merged_into`).
  await db.schema
    .createTable('theme')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('consultation_id', id, (c) => c.notNull().references('consultation.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('merged_into', id)
    .addColumn('origin', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', id, (c) => c.notNull())
    .addColumn('created_at', at, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('theme_consultation').on('theme').columns(['organization_id', 'consultation_id', 'position']).execute();

  await db.schema
    .createTable('theme_contribution')
    .addColumn('organization_id', id, org)
    .addColumn('theme_id', id, (c) => c.notNull().references('theme.id'))
    .addColumn('contribution_id', id, (c) => c.notNull().references('contribution.id'))
    .addPrimaryKeyConstraint('theme_contribution_pk', ['theme_id', 'contribution_id'])
    .execute();

  // What the members decided about a theme, in which workshop (confirm, rename, merge, reject).
  await db.schema
    .createTable('theme_decision')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('theme_id', id, (c) => c.notNull().references('theme.id'))
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('workshop_id', id, (c) => c.references('workshop.id'))
    .addColumn('decided_by', id, (c) => c.notNull())
    .addColumn('decided_at', at, (c) => c.notNull())
    .execute();

  // The submission's map: which themes answer which chosen question.
  await db.schema
    .createTable('question_theme')
    .addColumn('organization_id', id, org)
    .addColumn('question_id', id, (c) => c.notNull().references('consultation_question.id'))
    .addColumn('theme_id', id, (c) => c.notNull().references('theme.id'))
    .addPrimaryKeyConstraint('question_theme_pk', ['question_id', 'theme_id'])
    .execute();

  // Statements to vote on; `proposed_by`: facilitator | member (never which member).
  await db.schema
    .createTable('statement')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('consultation_id', id, (c) => c.notNull().references('consultation.id'))
    .addColumn('theme_id', id, (c) => c.references('theme.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('language', 'varchar(16)', (c) => c.notNull())
    .addColumn('proposed_by', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_on', 'varchar(10)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('statement_consultation').on('statement').columns(['organization_id', 'consultation_id']).execute();

  // One vote per member and statement: `voter_tag` (a keyed hash of the member and the
  // consultation), and the declared groups the consensus score reads (workshop, language).
  await db.schema
    .createTable('statement_vote')
    .addColumn('organization_id', id, org)
    .addColumn('statement_id', id, (c) => c.notNull().references('statement.id'))
    .addColumn('voter_tag', 'varchar(64)', (c) => c.notNull())
    .addColumn('vote', 'varchar(16)', (c) => c.notNull())
    .addColumn('group_language', 'varchar(16)')
    .addColumn('group_workshop', id)
    .addColumn('voted_on', 'varchar(10)', (c) => c.notNull())
    .addPrimaryKeyConstraint('statement_vote_pk', ['statement_id', 'voter_tag'])
    .execute();

  // Recommendations: `status` draft | adopted | withdrawn; the text is in versions.
  await db.schema
    .createTable('recommendation')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('consultation_id', id, (c) => c.notNull().references('consultation.id'))
    .addColumn('theme_id', id, (c) => c.references('theme.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('adopted_at', at)
    .addColumn('created_by', id, (c) => c.notNull())
    .addColumn('created_at', at, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recommendation_consultation').on('recommendation').columns(['organization_id', 'consultation_id', 'position']).execute();

  await db.schema
    .createTable('recommendation_version')
    .addColumn('organization_id', id, org)
    .addColumn('recommendation_id', id, (c) => c.notNull().references('recommendation.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('changed_by', id, (c) => c.notNull())
    .addColumn('changed_at', at, (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_version_pk', ['recommendation_id', 'version'])
    .execute();

  await db.schema
    .createTable('recommendation_statement')
    .addColumn('organization_id', id, org)
    .addColumn('recommendation_id', id, (c) => c.notNull().references('recommendation.id'))
    .addColumn('statement_id', id, (c) => c.notNull().references('statement.id'))
    .addPrimaryKeyConstraint('recommendation_statement_pk', ['recommendation_id', 'statement_id'])
    .execute();

  // Adoption: agree | abstain | disagree | block (a block carries a reason, encrypted).
  await db.schema
    .createTable('recommendation_vote')
    .addColumn('organization_id', id, org)
    .addColumn('recommendation_id', id, (c) => c.notNull().references('recommendation.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('voter_tag', 'varchar(64)', (c) => c.notNull())
    .addColumn('vote', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason_encrypted', 'text')
    .addColumn('voted_on', 'varchar(10)', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_vote_pk', ['recommendation_id', 'version', 'voter_tag'])
    .execute();

  // The association's settings for participation: the hourly rate (cents) and currency.
  await db.schema
    .createTable('participation_setting')
    .addColumn('organization_id', id, (c) => c.primaryKey().references('organization.id'))
    .addColumn('hourly_rate_cents', 'integer', (c) => c.notNull().check(sql.raw('hourly_rate_cents >= 0')))
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('updated_by', id, (c) => c.notNull())
    .addColumn('updated_at', at, (c) => c.notNull())
    .execute();

  // What a member is owed: attendance (a workshop), training (a module) or review work. Never
  // a contribution, a theme or a statement: pay says when she worked, not what she wrote.
  await db.schema
    .createTable('pay_entry')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('account_id', id, account)
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('workshop_id', id, (c) => c.references('workshop.id'))
    .addColumn('module_id', id, (c) => c.references('training_module.id'))
    .addColumn('worked_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql.raw('minutes > 0 and minutes <= 1440')))
    .addColumn('rate_cents', 'integer', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('recorded_by', id, (c) => c.notNull())
    .addColumn('recorded_at', at, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pay_entry_account').on('pay_entry').columns(['organization_id', 'account_id', 'worked_on']).execute();

  await db.schema
    .createTable('payment')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('organization_id', id, org)
    .addColumn('account_id', id, account)
    .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql.raw('amount_cents > 0')))
    .addColumn('paid_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('method', 'varchar(24)', (c) => c.notNull())
    .addColumn('recorded_by', id, (c) => c.notNull())
    .addColumn('recorded_at', at, (c) => c.notNull())
    .execute();

  for (const table of TABLES) await enableTenantIsolation(db, table);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await disableTenantIsolation(db, table);
    await db.schema.dropTable(table).execute();
  }
}
