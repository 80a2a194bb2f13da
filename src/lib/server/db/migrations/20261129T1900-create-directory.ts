import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// The directory: Open Referral HSDS 3.0 core (organization, service, location, phone,
// schedule as our own hours JSON plus a weekly-slot index) and what HSDS lacks
// (categories and audiences as tags, translations, confidential locations, versions,
// "full tonight" notices). Portable schema builder everywhere, except the full-text
// index at the end (`fullText`), the one dialect-specific place.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory_organization')
    .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('url', 'text')
    .addColumn('email', 'text')
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('directory_service')
    .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(100)', (c) => c.notNull().references('directory_organization.id'))
    // HSDS: active | inactive | defunct | temporarily closed
    .addColumn('status', 'varchar(30)', (c) => c.notNull())
    .addColumn('source_locale', 'varchar(10)', (c) => c.notNull())
    // in the source language; other languages in directory_service_translation
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('email', 'text')
    .addColumn('free', 'integer')
    .addColumn('wheelchair', 'integer')
    // OpeningHours JSON (src/lib/directory/opening-hours.ts); null = hours unknown
    .addColumn('hours_json', 'text')
    // hours another source gives (a contradiction shown to the reader), JSON or null
    .addColumn('hours_alternative_json', 'text')
    .addColumn('holiday_policy', 'varchar(10)')
    // last Paris day touched by an exception or a closure: until then "open now" is
    // checked slot by slot in code, not by the weekly-slot index alone
    .addColumn('hours_irregular_until', 'varchar(10)')
    .addColumn('region', 'varchar(20)')
    .addColumn('is_national', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_verified_at', 'varchar(40)')
    .addColumn('last_verified_by', 'varchar(200)')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directory_service_updated_idx').on('directory_service').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('directory_service_region_idx').on('directory_service').columns(['region']).execute();
  // Narrow covering index in the order results are shown (name, id): a search walks it
  // and stops after a page and a capped count, filtering on the other columns without
  // reading the wide rows (search text, hours JSON).
  await db.schema
    .createIndex('directory_service_name_idx')
    .on('directory_service')
    .columns(['name', 'id', 'status', 'hours_irregular_until', 'holiday_policy', 'free', 'region', 'is_national'])
    .execute();
  // The same columns led by id: searches driven by a tag or the full-text index look
  // services up by id here rather than in the wide rows.
  await db.schema
    .createIndex('directory_service_search_list_idx')
    .on('directory_service')
    .columns(['id', 'status', 'name', 'hours_irregular_until', 'holiday_policy', 'free', 'region', 'is_national'])
    .execute();
  await db.schema.createIndex('directory_service_irregular_idx').on('directory_service').columns(['hours_irregular_until']).execute();

  await db.schema
    .createTable('directory_service_translation')
    .addColumn('service_id', 'varchar(100)', (c) => c.notNull().references('directory_service.id').onDelete('cascade'))
    .addColumn('locale', 'varchar(10)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('hours_note', 'text')
    .addColumn('transport', 'text')
    .addColumn('front_door', 'text')
    .addColumn('eligibility', 'text')
    .addPrimaryKeyConstraint('directory_service_translation_pk', ['service_id', 'locale'])
    .execute();

  // categories, audiences and spoken languages: kind = category | audience | language
  await db.schema
    .createTable('directory_service_tag')
    .addColumn('service_id', 'varchar(100)', (c) => c.notNull().references('directory_service.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('value', 'varchar(60)', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_service_tag_pk', ['service_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('directory_service_tag_value_idx').on('directory_service_tag').columns(['kind', 'value', 'service_id']).execute();

  await db.schema
    .createTable('directory_location')
    .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('service_id', 'varchar(100)', (c) => c.notNull().unique().references('directory_service.id').onDelete('cascade'))
    .addColumn('name', 'text')
    // never shown to the public when confidential
    .addColumn('address', 'text')
    .addColumn('postal_code', 'varchar(10)')
    .addColumn('city', 'text')
    .addColumn('commune_code', 'varchar(10)')
    .addColumn('latitude', 'real')
    .addColumn('longitude', 'real')
    .addColumn('confidential', 'integer', (c) => c.notNull().defaultTo(0))
    // the public "front door" of a confidential place: a phone; the meeting point text
    // is translatable (directory_service_translation.front_door)
    .addColumn('front_door_phone', 'varchar(40)')
    .execute();
  await db.schema.createIndex('directory_location_geo_idx').on('directory_location').columns(['latitude', 'longitude']).execute();

  await db.schema
    .createTable('directory_phone')
    .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('service_id', 'varchar(100)', (c) => c.notNull().references('directory_service.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // digits to dial ('+33180523376', '115'); display as written ('01 80 52 33 76')
    .addColumn('number', 'varchar(40)', (c) => c.notNull())
    .addColumn('display', 'varchar(60)', (c) => c.notNull())
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('description', 'text')
    .execute();
  await db.schema.createIndex('directory_phone_service_idx').on('directory_phone').columns(['service_id']).execute();

  // The usual week, one row per slot and Paris weekday (overnight slots split at
  // midnight), in minutes 0–1440: "open now" is an index range scan.
  await db.schema
    .createTable('directory_weekly_slot')
    .addColumn('service_id', 'varchar(100)', (c) => c.notNull().references('directory_service.id').onDelete('cascade'))
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('opens', 'integer', (c) => c.notNull())
    .addColumn('closes', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directory_weekly_slot_when_idx').on('directory_weekly_slot').columns(['weekday', 'opens', 'closes', 'service_id']).execute();
  // Per service (deletes, and "open now" probed for the services a search walks).
  await db.schema.createIndex('directory_weekly_slot_service_idx').on('directory_weekly_slot').columns(['service_id', 'weekday', 'opens', 'closes']).execute();

  // Every edit keeps a version: who, when, what changed (field → before/after), and the
  // whole record as it became.
  await db.schema
    .createTable('directory_service_version')
    .addColumn('service_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('actor', 'varchar(200)', (c) => c.notNull())
    .addColumn('action', 'varchar(30)', (c) => c.notNull())
    .addColumn('changed_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('changes_json', 'text', (c) => c.notNull())
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_service_version_pk', ['service_id', 'version'])
    .execute();

  // "Full tonight" and similar short notices, with an expiry.
  await db.schema
    .createTable('directory_notice')
    .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('service_id', 'varchar(100)', (c) => c.notNull().references('directory_service.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('starts_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('actor', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directory_notice_service_idx').on('directory_notice').columns(['service_id', 'expires_at']).execute();

  await fullText.up(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await fullText.down(db);
  for (const table of [
    'directory_notice',
    'directory_service_version',
    'directory_weekly_slot',
    'directory_phone',
    'directory_location',
    'directory_service_tag',
    'directory_service_translation',
    'directory_service',
    'directory_organization'
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

// ---------------------------------------------------------------------------------
// Dialect-specific: full-text search over `directory_service.search_text`, a text
// already lower-cased and stripped of accents by the application (so neither needs
// `unaccent` nor a language stemmer, and French and the reader's language are
// searched alike).
//   PostgreSQL: a stored column search_vector = to_tsvector('simple', search_text)
//               with a GIN index; queries use to_tsquery('simple', 'word:* & …').
//   SQLite:     an FTS5 table (rowid = the service's rowid, body) kept in step by
//               the repository; queries use MATCH '"word"* "…"*'.
const isPostgres = (db: Kysely<any>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

const fullText = {
  async up(db: Kysely<any>): Promise<void> {
    if (isPostgres(db)) {
      // Stored, so that a row is tested without tokenising its text again (a search that
      // walks the name index tests each row it meets).
      await sql`ALTER TABLE directory_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED`.execute(db);
      await sql`CREATE INDEX directory_service_search_idx ON directory_service USING GIN (search_vector)`.execute(db);
    } else {
      // rowid = the directory_service row's rowid; contentless (the text is in
      // directory_service.search_text) and without positions (queries are words, never
      // phrases): a third of the size, and a match reads only the rowids.
      await sql`CREATE VIRTUAL TABLE directory_service_fts USING fts5(body, content = '', contentless_delete = 1, detail = 'none', tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
    }
  },
  async down(db: Kysely<any>): Promise<void> {
    if (isPostgres(db)) {
      await sql`DROP INDEX IF EXISTS directory_service_search_idx`.execute(db);
      await sql`ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector`.execute(db);
    }
    else await sql`DROP TABLE IF EXISTS directory_service_fts`.execute(db);
  }
};
