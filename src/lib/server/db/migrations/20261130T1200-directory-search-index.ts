import type { Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// Directory search near a commune (issue 4, 100,000 services): the search reads the
// services whose public place lies in a box around the chosen commune, driven by the
// location index. The index had only (latitude, longitude): every place in the box then
// cost a read of its wide row for `confidential` and `service_id`. This one covers the
// query (both dialects: an index-only scan), and replaces the old one, its prefix.
// Existing rows are indexed as the index is built: nothing else to backfill (the
// full-text indexes, SQLite's FTS5 table and PostgreSQL's search_vector with its GIN
// index, exist since 20261129T1900 and are kept by the repository).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('directory_location_near_idx')
    .on('directory_location')
    .columns(['latitude', 'longitude', 'confidential', 'service_id'])
    .execute();
  await db.schema.dropIndex('directory_location_geo_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('directory_location_geo_idx').on('directory_location').columns(['latitude', 'longitude']).execute();
  await db.schema.dropIndex('directory_location_near_idx').execute();
}
