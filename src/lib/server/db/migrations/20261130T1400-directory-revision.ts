import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// The directory's search reads an in-memory index of the public services
// (src/lib/server/directory/search-memory.ts), kept true to the database by a revision:
//   - `directory_revision`: one row (id 1), the revision of the last directory write.
//     Every write takes the next revision first (an upsert, which locks the row on
//     PostgreSQL until it commits: writes get revisions in the order they commit);
//   - `directory_service.revision`: the revision that last wrote the service;
//   - `directory_service_removed`: a deleted service's id and the revision that deleted it.
// A process compares the revision with the one its index was read at, and reads again
// only what came after. No row is made here: a database without one is at revision 0,
// and a backup restores into an empty database.
//
// PostgreSQL only: the full-text index moves out of the wide service row into a narrow
// table of its own, `directory_service_fts (service_id, body tsvector)` with its GIN index,
// and a number for each service (`key`), kept by the repository like SQLite's FTS5 table of
// the same name (whose key is the service's rowid). A common word matches
// a fifth of 100,000 services, and reading their ids visited nearly every page of the wide
// table (1.3 KB a row): three times fewer pages now.
//
// What the search in SQL needed and nothing reads any more goes: the weekly-slot table,
// the columns `holiday_policy` and `hours_irregular_until`, and the covering indexes in
// name order, by id and by place (20261129T1900, 20261130T1200; a plain index in name
// order stays, for the staff's list and the offline copy). The hours stay in
// `hours_json`, where the search reads them. Down puts the table, columns and indexes
// back empty (their content came from the hours, in application code).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory_revision')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('directory_service').addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('directory_service_revision_idx').on('directory_service').columns(['revision']).execute();
  await db.schema
    .createTable('directory_service_removed')
    .addColumn('service_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directory_service_removed_revision_idx').on('directory_service_removed').columns(['revision']).execute();
  // Services already there are read by every index, as written by revision 1.
  await sql`update directory_service set revision = 1`.execute(db);
  await sql`insert into directory_revision (id, revision) select 1, 1 where exists (select 1 from directory_service)`.execute(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // `key`: a small number for each service, as SQLite's rowid is, so that a search gets
    // thousands of matches as one short string of numbers.
    await sql`CREATE TABLE directory_service_fts (
      service_id varchar(100) PRIMARY KEY REFERENCES directory_service (id) ON DELETE CASCADE,
      key integer NOT NULL GENERATED ALWAYS AS IDENTITY,
      body tsvector NOT NULL)`.execute(db);
    // strip(): the words without their positions (a search never asks for phrases): a third smaller
    await sql`INSERT INTO directory_service_fts (service_id, body) SELECT id, strip(search_vector) FROM directory_service`.execute(db);
    await sql`CREATE INDEX directory_service_fts_body_idx ON directory_service_fts USING GIN (body)`.execute(db);
    await sql`DROP INDEX directory_service_search_idx`.execute(db);
    await sql`ALTER TABLE directory_service DROP COLUMN search_vector`.execute(db);
  }
  await db.schema.dropTable('directory_weekly_slot').execute();
  for (const index of ['directory_service_name_idx', 'directory_service_search_list_idx', 'directory_service_irregular_idx', 'directory_location_near_idx']) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema.alterTable('directory_service').dropColumn('hours_irregular_until').execute();
  await db.schema.alterTable('directory_service').dropColumn('holiday_policy').execute();
  // The staff's list and the offline copy read services in name order: a plain index.
  await db.schema.createIndex('directory_service_by_name_idx').on('directory_service').columns(['name', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('directory_service_by_name_idx').execute();
  await db.schema.alterTable('directory_service').addColumn('holiday_policy', 'varchar(10)').execute();
  await db.schema.alterTable('directory_service').addColumn('hours_irregular_until', 'varchar(10)').execute();
  await db.schema
    .createIndex('directory_service_name_idx')
    .on('directory_service')
    .columns(['name', 'id', 'status', 'hours_irregular_until', 'holiday_policy', 'free', 'region', 'is_national'])
    .execute();
  await db.schema
    .createIndex('directory_service_search_list_idx')
    .on('directory_service')
    .columns(['id', 'status', 'name', 'hours_irregular_until', 'holiday_policy', 'free', 'region', 'is_national'])
    .execute();
  await db.schema.createIndex('directory_service_irregular_idx').on('directory_service').columns(['hours_irregular_until']).execute();
  await db.schema.createIndex('directory_location_near_idx').on('directory_location').columns(['latitude', 'longitude', 'confidential', 'service_id']).execute();
  await db.schema
    .createTable('directory_weekly_slot')
    .addColumn('service_id', 'varchar(100)', (c) => c.notNull().references('directory_service.id').onDelete('cascade'))
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('opens', 'integer', (c) => c.notNull())
    .addColumn('closes', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directory_weekly_slot_when_idx').on('directory_weekly_slot').columns(['weekday', 'opens', 'closes', 'service_id']).execute();
  await db.schema.createIndex('directory_weekly_slot_service_idx').on('directory_weekly_slot').columns(['service_id', 'weekday', 'opens', 'closes']).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`ALTER TABLE directory_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED`.execute(db);
    await sql`CREATE INDEX directory_service_search_idx ON directory_service USING GIN (search_vector)`.execute(db);
    await sql`DROP TABLE directory_service_fts`.execute(db);
  }
  await db.schema.dropTable('directory_service_removed').execute();
  await db.schema.dropIndex('directory_service_revision_idx').execute();
  await db.schema.alterTable('directory_service').dropColumn('revision').execute();
  await db.schema.dropTable('directory_revision').execute();
}
