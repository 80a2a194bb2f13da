import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { disableTenantIsolation, enableTenantIsolation } from './tenant-isolation';

// Frozen in time: a migration never imports application code.
// Her rights over her data (issue 6): documents, closing a record with a reason, and the
// anonymous statistics kept when a record is erased.
// - case_document: a copy of one of her papers (PDF, JPEG or PNG, at most 10 MB), its bytes
//   encrypted under HER key (AES-256-GCM, bound to the document's id) and its file name
//   encrypted under her key too. Stored in the database, not in files: row-level security
//   and the tenant guard apply, erasing her removes them in the same transaction, one backup
//   holds everything, and several app processes need no shared disk.
// - case_statistic: what stays of a procedure once her record is erased or purged — its
//   kind, its last state, and per step the transition, the month and the closed-list fields
//   (choices, department). No person id, no procedure id, no day, no note.
// - case_person.closed_reason: why her record was closed (a closed list, never free text).

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_document')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull().references('case_person.id'))
    .addColumn('media_type', 'varchar(40)', (c) => c.notNull().check(sql.raw("media_type in ('application/pdf', 'image/jpeg', 'image/png')")))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('name_encrypted', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'varchar(40)', (c) => c.notNull())
    .addColumn('uploaded_at', 'varchar(40)', (c) => c.notNull())
    // Last: a list of her documents never reads the bytes.
    .addColumn('content_encrypted', sql.raw(isPostgres(db) ? 'bytea' : 'blob'), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_document_person').on('case_document').columns(['organization_id', 'person_id', 'uploaded_at']).execute();

  await db.schema
    .createTable('case_statistic')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('state', 'varchar(40)', (c) => c.notNull())
    .addColumn('terminal', 'integer', (c) => c.notNull())
    /** YYYY-MM */
    .addColumn('opened_month', 'varchar(7)', (c) => c.notNull())
    /** [{ transition, month: 'YYYY-MM', fields: { <choice or department>: value } }] */
    .addColumn('steps_json', 'text', (c) => c.notNull())
    .addColumn('kept_month', 'varchar(7)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_statistic_kind').on('case_statistic').columns(['organization_id', 'kind', 'opened_month']).execute();

  await db.schema.alterTable('case_person').addColumn('closed_reason', 'varchar(20)').execute();
  await db.schema.createIndex('case_person_purge').on('case_person').columns(['organization_id', 'status', 'purge_after']).execute();

  for (const table of TABLES) await enableTenantIsolation(db, table);
}

const TABLES = ['case_document', 'case_statistic'];

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('case_person_purge').execute();
  await db.schema.alterTable('case_person').dropColumn('closed_reason').execute();
  for (const table of [...TABLES].reverse()) {
    await disableTenantIsolation(db, table);
    await db.schema.dropTable(table).execute();
  }
}
