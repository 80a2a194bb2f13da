/**
 * The one dialect-specific module of the directory: full-text search over the
 * normalised `search_text` (see src/lib/directory/search-text.ts).
 *   SQLite: an FTS5 table `directory_service_fts` kept in step on every save;
 *   PostgreSQL: a GIN index on to_tsvector('simple', search_text), nothing to keep.
 * Both match every word as a prefix ("heberg" finds "hebergement").
 */
import { PostgresAdapter, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import type { Dialect } from '../db/connect';

export function dialectOfDb(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Writes the searchable text of services (SQLite's FTS table; nothing on PostgreSQL). */
export async function replaceSearchText(db: Kysely<Database>, rows: Array<{ service_id: string; body: string }>): Promise<void> {
  if (dialectOfDb(db) === 'postgres' || rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    await db.deleteFrom('directory_service_fts').where('service_id', 'in', chunk.map((r) => r.service_id)).execute();
    await db.insertInto('directory_service_fts').values(chunk).execute();
  }
}

export async function deleteSearchText(db: Kysely<Database>, serviceId: string): Promise<void> {
  if (dialectOfDb(db) === 'postgres') return;
  await db.deleteFrom('directory_service_fts').where('service_id', '=', serviceId).execute();
}

/**
 * A condition on `directory_service` aliased `s`: every word (already normalised by
 * `searchWords`: letters and digits only) starts a word of the service's text.
 */
export function matchesAllWords(db: Kysely<Database>, words: readonly string[]): Expression<SqlBool> {
  if (dialectOfDb(db) === 'postgres') {
    const query = words.map((w) => `${w}:*`).join(' & ');
    return sql<SqlBool>`to_tsvector('simple', s.search_text) @@ to_tsquery('simple', ${query})`;
  }
  const query = words.map((w) => `"${w}"*`).join(' ');
  return sql<SqlBool>`s.id in (select service_id from directory_service_fts where directory_service_fts match ${query})`;
}
