import { sql, type Kysely } from 'kysely';
import { disableTenantIsolation, enableTenantIsolation } from './tenant-isolation';

// Frozen in time: a migration never imports application code.
// Reminders and calendar feeds of the case tracker (issue 6). Both are tenant tables.
//
// case_reminder: one row per deadline × assigned helper × rule (see the app's
// accompaniment/reminders.ts). A deadline is named by its procedure, key and the step that
// created it (case_deadline rows are replaced at every step; that triple is stable). No
// personal data: ids, dates and codes. `next_attempt_at` is when a pending row may be
// sent, or — while a worker holds it ('sending') — when its claim expires.
//
// calendar_feed: a helper's secret feed URL; only the SHA-256 of its secret is stored.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_reminder')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull().references('case_person.id'))
    .addColumn('procedure_id', 'varchar(40)', (c) => c.notNull().references('case_procedure.id'))
    .addColumn('deadline_key', 'varchar(40)', (c) => c.notNull())
    .addColumn('step_seq', 'integer', (c) => c.notNull())
    .addColumn('category', 'varchar(20)', (c) => c.notNull())
    .addColumn('account_id', 'varchar(40)', (c) => c.notNull().references('person_account.id'))
    .addColumn('rule', 'varchar(20)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('send_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull().check(sql.raw("status in ('pending', 'sending', 'sent', 'cancelled')")))
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('claim_token', 'varchar(40)')
    .addColumn('outcome', 'varchar(40)')
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(40)')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  // Scheduling twice (two steps, an assignment at the same time) never makes two rows.
  await db.schema
    .createIndex('case_reminder_identity')
    .on('case_reminder')
    .columns(['organization_id', 'procedure_id', 'deadline_key', 'step_seq', 'account_id', 'rule'])
    .unique()
    .execute();
  // The worker's query: what is due, per organization.
  await db.schema.createIndex('case_reminder_due').on('case_reminder').columns(['organization_id', 'status', 'next_attempt_at']).execute();
  await db.schema.createIndex('case_reminder_person').on('case_reminder').columns(['organization_id', 'person_id']).execute();

  await db.schema
    .createTable('calendar_feed')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('account_id', 'varchar(40)', (c) => c.notNull().references('person_account.id'))
    .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('locale', 'varchar(10)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(40)')
    .execute();
  await db.schema.createIndex('calendar_feed_secret').on('calendar_feed').columns(['organization_id', 'secret_hash']).unique().execute();
  await db.schema.createIndex('calendar_feed_account').on('calendar_feed').columns(['organization_id', 'account_id']).execute();

  for (const table of TABLES) await enableTenantIsolation(db, table);
}

const TABLES = ['case_reminder', 'calendar_feed'];

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await disableTenantIsolation(db, table);
    await db.schema.dropTable(table).execute();
  }
}
