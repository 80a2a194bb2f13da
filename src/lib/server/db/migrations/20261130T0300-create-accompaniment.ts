import { sql, type Kysely } from 'kysely';
import { disableTenantIsolation, enableTenantIsolation } from './tenant-isolation';

// Frozen in time: a migration never imports application code.
// The case tracker (issue 6). Every table is a tenant table (organization_id first in every
// index). A person's identifying fields and every note are encrypted under her own key
// (`wrapped_key`, itself wrapped by the organization's data key), so erasing her is
// destroying that key. Structured step fields stay readable for anonymous statistics and
// hold no name, contact or free text. Times are ISO 8601 UTC strings.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_person')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('status', 'varchar(10)', (c) => c.notNull().check(sql.raw("status in ('open', 'closed', 'erased')")))
    .addColumn('wrapped_key', 'text')
    .addColumn('pseudonym_index', 'varchar(80)')
    .addColumn('pseudonym_encrypted', 'text')
    .addColumn('real_name_encrypted', 'text')
    .addColumn('profile_encrypted', 'text')
    .addColumn('created_by', 'varchar(40)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('closed_at', 'varchar(40)')
    .addColumn('purge_after', 'varchar(40)')
    .execute();
  await db.schema.createIndex('case_person_pseudonym').on('case_person').columns(['organization_id', 'pseudonym_index']).execute();
  await db.schema.createIndex('case_person_status').on('case_person').columns(['organization_id', 'status', 'updated_at']).execute();

  await db.schema
    .createTable('case_assignment')
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull().references('case_person.id'))
    .addColumn('account_id', 'varchar(40)', (c) => c.notNull().references('person_account.id'))
    .addColumn('assigned_by', 'varchar(40)', (c) => c.notNull())
    .addColumn('assigned_at', 'varchar(40)', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_assignment_pk', ['person_id', 'account_id'])
    .execute();
  await db.schema.createIndex('case_assignment_account').on('case_assignment').columns(['organization_id', 'account_id', 'person_id']).execute();

  // Break the glass: a coordinator's time-limited access to a record not assigned to her.
  await db.schema
    .createTable('case_access')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull().references('case_person.id'))
    .addColumn('account_id', 'varchar(40)', (c) => c.notNull().references('person_account.id'))
    .addColumn('reason_encrypted', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_access_account').on('case_access').columns(['organization_id', 'account_id', 'person_id', 'expires_at']).execute();

  await db.schema
    .createTable('case_consent')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull().references('case_person.id'))
    .addColumn('scopes', 'varchar(200)', (c) => c.notNull())
    .addColumn('retention_months', 'integer', (c) => c.notNull())
    .addColumn('language', 'varchar(10)', (c) => c.notNull())
    .addColumn('explained_by', 'varchar(40)', (c) => c.notNull())
    .addColumn('given_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('withdrawn_at', 'varchar(40)')
    .addColumn('withdrawn_by', 'varchar(40)')
    .execute();
  await db.schema.createIndex('case_consent_person').on('case_consent').columns(['organization_id', 'person_id']).execute();

  await db.schema
    .createTable('case_procedure')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull().references('case_person.id'))
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('state', 'varchar(40)', (c) => c.notNull())
    .addColumn('since', 'varchar(40)')
    .addColumn('terminal', 'integer', (c) => c.notNull())
    .addColumn('opened_by', 'varchar(40)', (c) => c.notNull())
    .addColumn('opened_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_procedure_person').on('case_procedure').columns(['organization_id', 'person_id']).execute();
  await db.schema.createIndex('case_procedure_kind').on('case_procedure').columns(['organization_id', 'kind', 'state']).execute();

  await db.schema
    .createTable('case_step')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('procedure_id', 'varchar(40)', (c) => c.notNull().references('case_procedure.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('transition', 'varchar(40)', (c) => c.notNull())
    .addColumn('at', 'varchar(40)', (c) => c.notNull())
    .addColumn('fields_json', 'text', (c) => c.notNull())
    .addColumn('note_encrypted', 'text')
    .addColumn('recorded_by', 'varchar(40)', (c) => c.notNull())
    .addColumn('recorded_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  // Two helpers recording a step at once: the second insert of the same seq fails.
  await db.schema.createIndex('case_step_seq').on('case_step').columns(['procedure_id', 'seq']).unique().execute();

  // A copy of the deadlines the machine derives from the steps, for the dashboard's queries.
  await db.schema
    .createTable('case_deadline')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull().references('case_person.id'))
    .addColumn('procedure_id', 'varchar(40)', (c) => c.notNull().references('case_procedure.id'))
    .addColumn('step_seq', 'integer', (c) => c.notNull())
    .addColumn('key', 'varchar(40)', (c) => c.notNull())
    .addColumn('category', 'varchar(20)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('closed_at', 'varchar(40)')
    .addColumn('rule_id', 'varchar(60)')
    .addColumn('uncertain', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_deadline_due').on('case_deadline').columns(['organization_id', 'closed_at', 'due_at']).execute();
  await db.schema.createIndex('case_deadline_procedure').on('case_deadline').columns(['organization_id', 'procedure_id']).execute();

  for (const table of TABLES) await enableTenantIsolation(db, table);
}

const TABLES = ['case_person', 'case_assignment', 'case_access', 'case_consent', 'case_procedure', 'case_step', 'case_deadline'];

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await disableTenantIsolation(db, table);
    await db.schema.dropTable(table).execute();
  }
}
