import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

/**
 * Runs `work` in one transaction bound to one organization (tenant). On PostgreSQL the
 * tenant is set for this transaction only (`set_config(…, true)`), so a pooled connection
 * never carries it into someone else's request; row-level security policies read it.
 * On SQLite, repository functions filter by `organization_id` themselves.
 * Every use case on a tenant table goes through here.
 */
export async function inTenant<T>(db: Kysely<Database>, organizationId: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (!organizationId) throw new Error('inTenant: no organization');
  return db.transaction().execute(async (trx) => {
    if (isPostgres(db)) await sql`select set_config('app.tenant_id', ${organizationId}, true)`.execute(trx);
    return work(trx);
  });
}

export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
