import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time, like the migrations that call it: change it only by adding a new helper.
// Row-level security for one tenant table (issue 5, docs/architecture.md "Tenancy").
// On PostgreSQL: RLS enabled AND forced (the table's owner obeys it too), and two policies
// on `<column> = current_setting('app.tenant_id', true)`, for reads (USING) and writes
// (WITH CHECK): a RESTRICTIVE one, so that no permissive policy added later (a case team,
// an assignment) can ever widen a query past its tenant, and a PERMISSIVE one, without which
// a restrictive policy alone shows no row. A missing setting is NULL: nothing matches.
// The setting is read once per statement (`(select …)`, an initPlan), not once per row.
// On SQLite: nothing here; the tenant guard of the data layer does the work (tenant-guard.ts).
// A migration that creates a tenant table calls it in `up` (and `disableTenantIsolation`
// in `down`), and adds the table to TENANT_TABLES in db/tenant.ts.

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Enables and forces row-level security on `table`, bound to `column` (default `organization_id`). */
export async function enableTenantIsolation(db: Kysely<any>, table: string, options: { column?: string } = {}): Promise<void> {
  const column = options.column ?? 'organization_id';
  if (!NAME.test(table) || !NAME.test(column)) throw new Error(`enableTenantIsolation: bad name ${table}.${column}`);
  if (!isPostgres(db)) return;
  const t = sql.id(table);
  const tenant = sql`${sql.id(column)} = (select current_setting('app.tenant_id', true))`;
  await sql`alter table ${t} enable row level security`.execute(db);
  await sql`alter table ${t} force row level security`.execute(db);
  await sql`create policy tenant_isolation on ${t} as restrictive for all using (${tenant}) with check (${tenant})`.execute(db);
  await sql`create policy tenant_rows on ${t} as permissive for all using (${tenant}) with check (${tenant})`.execute(db);
}

/** Undoes `enableTenantIsolation` (for a migration's `down`). */
export async function disableTenantIsolation(db: Kysely<any>, table: string): Promise<void> {
  if (!NAME.test(table)) throw new Error(`disableTenantIsolation: bad name ${table}`);
  if (!isPostgres(db)) return;
  const t = sql.id(table);
  await sql`drop policy if exists tenant_rows on ${t}`.execute(db);
  await sql`drop policy if exists tenant_isolation on ${t}`.execute(db);
  await sql`alter table ${t} no force row level security`.execute(db);
  await sql`alter table ${t} disable row level security`.execute(db);
}
