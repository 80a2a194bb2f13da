/**
 * The one dialect-specific module of the directory: full-text search over the
 * normalised `search_text` (see src/lib/directory/search-text.ts).
 *   SQLite: an FTS5 table `directory_service_fts` kept in step on every save, keyed
 *   by the service's rowid, contentless and without positions (only words are asked);
 *   PostgreSQL: a stored generated column `search_vector` (to_tsvector('simple',
 *   search_text)) with a GIN index, nothing to keep.
 * Both match every word as a prefix ("heberg" finds "hebergement").
 */
import { PostgresAdapter, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import type { Dialect } from '../db/connect';

export function dialectOfDb(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Writes the searchable text of services (SQLite's FTS table; nothing on PostgreSQL).
 * The FTS rows are keyed by the service row's rowid, so that a search joins on it
 * without reading anything back; call after the service rows are written.
 */
export async function replaceSearchText(db: Kysely<Database>, rows: Array<{ service_id: string; body: string }>): Promise<void> {
  if (dialectOfDb(db) === 'postgres' || rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    const values = sql.join(chunk.map((r) => sql`(${r.service_id}, ${r.body})`));
    await sql`delete from directory_service_fts where rowid in (select rowid from directory_service where id in (${sql.join(chunk.map((r) => r.service_id))}))`.execute(db);
    await sql`insert into directory_service_fts (rowid, body)
      select s.rowid, v.column2 from (values ${values}) as v join directory_service s on s.id = v.column1`.execute(db);
  }
}

/** Before the service row itself is deleted. */
export async function deleteSearchText(db: Kysely<Database>, serviceId: string): Promise<void> {
  if (dialectOfDb(db) === 'postgres') return;
  await sql`delete from directory_service_fts where rowid in (select rowid from directory_service where id = ${serviceId})`.execute(db);
}

/** After a bulk import (SQLite): merge the FTS index's many small segments into one. */
export async function optimizeSearchText(db: Kysely<Database>): Promise<void> {
  if (dialectOfDb(db) === 'postgres') return;
  await sql`insert into directory_service_fts (directory_service_fts) values ('optimize')`.execute(db);
}

/**
 * A condition on `directory_service` aliased `s`: every word (already normalised by
 * `searchWords`: letters and digits only) starts a word of the service's text.
 */
export function matchesAllWords(db: Kysely<Database>, words: readonly string[]): Expression<SqlBool> {
  if (dialectOfDb(db) === 'postgres') {
    const query = words.map((w) => `${w}:*`).join(' & ');
    return sql<SqlBool>`s.search_vector @@ to_tsquery('simple', ${query})`;
  }
  const query = words.map((w) => `"${w}"*`).join(' ');
  return sql<SqlBool>`s.rowid in (select rowid from directory_service_fts where directory_service_fts match ${query})`;
}
