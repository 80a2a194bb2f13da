/**
 * The one dialect-specific module of the directory: full-text search over the
 * normalised `search_text` (see src/lib/directory/search-text.ts), in a table of its own
 * named `directory_service_fts` on both databases, kept in step on every save:
 *   SQLite: an FTS5 table keyed by the service's rowid, contentless and without
 *   positions (only words are asked);
 *   PostgreSQL: (service_id, key, body tsvector = strip(to_tsvector('simple', search_text)))
 *   with a GIN index — narrow and without word positions, so that reading thousands of
 *   matches reads few pages (migration 20261130T1400).
 * Both match every word as a prefix ("heberg" finds "hebergement").
 */
import { PostgresAdapter, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import type { Dialect } from '../db/connect';

export function dialectOfDb(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Writes the searchable text of services; call after the service rows are written
 * (SQLite's FTS rows are keyed by the service row's rowid).
 */
export async function replaceSearchText(db: Kysely<Database>, rows: Array<{ service_id: string; body: string }>): Promise<void> {
  if (rows.length === 0) return;
  const postgres = dialectOfDb(db) === 'postgres';
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    const values = sql.join(chunk.map((r) => sql`(${r.service_id}, ${r.body})`));
    if (postgres) {
      await sql`insert into directory_service_fts (service_id, body)
        select v.id, strip(to_tsvector('simple', v.body)) from (values ${values}) as v (id, body)
        on conflict (service_id) do update set body = excluded.body`.execute(db);
      continue;
    }
    await sql`delete from directory_service_fts where rowid in (select rowid from directory_service where id in (${sql.join(chunk.map((r) => r.service_id))}))`.execute(db);
    await sql`insert into directory_service_fts (rowid, body)
      select s.rowid, v.column2 from (values ${values}) as v join directory_service s on s.id = v.column1`.execute(db);
  }
}

/** Before the service row itself is deleted. */
export async function deleteSearchText(db: Kysely<Database>, serviceId: string): Promise<void> {
  if (dialectOfDb(db) === 'postgres') await sql`delete from directory_service_fts where service_id = ${serviceId}`.execute(db);
  else await sql`delete from directory_service_fts where rowid in (select rowid from directory_service where id = ${serviceId})`.execute(db);
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
    return sql<SqlBool>`s.id in (select f.service_id from directory_service_fts f where f.body @@ to_tsquery('simple', ${postgresQuery(words)}))`;
  }
  const query = words.map((w) => `"${w}"*`).join(' ');
  return sql<SqlBool>`s.rowid in (select rowid from directory_service_fts where directory_service_fts match ${query})`;
}

/**
 * The search keys (search-memory.ts) of the services whose text has every word: SQLite's
 * rowids, PostgreSQL's `directory_service_fts.key`. Read as one string of numbers: tens of
 * thousands of matches cost a few milliseconds and little memory, where a row each cost tens.
 */
export async function keysWithAllWords(db: Kysely<Database>, words: readonly string[]): Promise<Int32Array> {
  const query =
    dialectOfDb(db) === 'postgres'
      ? sql<{ keys: string | null }>`select string_agg(f.key::text, ',') as keys from directory_service_fts f where f.body @@ to_tsquery('simple', ${postgresQuery(words)})`
      : sql<{ keys: string | null }>`select group_concat(rowid) as keys from directory_service_fts where directory_service_fts match ${words.map((w) => `"${w}"*`).join(' ')}`;
  return parseKeys((await query.execute(db)).rows[0]?.keys ?? null);
}

/** '12,5,907' → [12, 5, 907], without a string for each number. */
export function parseKeys(text: string | null): Int32Array {
  if (!text) return new Int32Array(0);
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) count++;
  const keys = new Int32Array(count);
  let n = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      keys[n++] = value;
      value = 0;
    } else value = value * 10 + (c - 48);
  }
  keys[n] = value;
  return keys;
}

const postgresQuery = (words: readonly string[]): string => words.map((w) => `${w}:*`).join(' & ');
