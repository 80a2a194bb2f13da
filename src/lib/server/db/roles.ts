/**
 * PostgreSQL roles (docs/deploy.md): the OWNER role owns the tables and runs migrations;
 * the APP role (DATABASE_URL), NOSUPERUSER NOBYPASSRLS, owns nothing, so row-level security
 * applies to it, and gets only the rights the app needs. Rights are granted again after
 * every migration (and by default privileges), so tables added later are covered.
 */
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';
import { TENANT_TABLES } from './tenant';

/** The role a postgres:// URL logs in as (its user, else PGUSER, else the OS user, as libpq). */
export function roleOf(databaseUrl: string): string {
  return new pg.Client({ connectionString: databaseUrl }).user ?? '';
}

/**
 * Grants the app's role what the app does, as the owner: read and write every table,
 * except that the audit log is append-only (no UPDATE or DELETE of an entry; the chain's
 * head row is updated, never deleted) and the migration tables are read-only. Also sets
 * default privileges for tables the owner creates later. Does nothing when the app's role
 * is the owner itself (`relais doctor` warns about that).
 */
export async function grantAppRole(owner: Kysely<Database>, appRole: string): Promise<void> {
  // Schema statements name tenant tables: they run without the tenant guard.
  const db = owner.withoutPlugins();
  const { rows } = await sql<{ me: string; schema: string }>`select current_user as me, current_schema() as schema`.execute(db);
  const { me, schema } = rows[0]!;
  if (!appRole || appRole === me) return;
  const role = sql.id(appRole);
  const s = sql.id(schema);
  await sql`grant usage on schema ${s} to ${role}`.execute(db);
  await sql`grant select, insert, update, delete on all tables in schema ${s} to ${role}`.execute(db);
  await sql`grant usage, select on all sequences in schema ${s} to ${role}`.execute(db);
  await sql`alter default privileges in schema ${s} grant select, insert, update, delete on tables to ${role}`.execute(db);
  await sql`alter default privileges in schema ${s} grant usage, select on sequences to ${role}`.execute(db);
  await sql`revoke update, delete, truncate on ${sql.id('audit_entry')} from ${role}`.execute(db);
  await sql`revoke delete, truncate on ${sql.id('audit_head')} from ${role}`.execute(db);
  for (const table of ['kysely_migration', 'kysely_migration_lock']) {
    await sql`revoke insert, update, delete, truncate on ${sql.id(table)} from ${role}`.execute(db);
  }
}

export interface RoleProblem {
  problem: 'superuser' | 'bypassrls' | 'owner' | 'not_isolated';
  detail: string;
}

/**
 * What is wrong with the role the app connects as, seen from its own connection: a
 * superuser or a BYPASSRLS role ignores row-level security; a role that owns a table (or
 * may act as its owner) can switch it off; a tenant table without forced row-level security
 * is not isolated. [] when the app's role is as it should be.
 */
export async function appRoleProblems(app: Kysely<Database>): Promise<RoleProblem[]> {
  const db = app.withoutPlugins();
  const problems: RoleProblem[] = [];
  const role = await sql<{ name: string; rolsuper: boolean; rolbypassrls: boolean }>`
    select current_user as name, rolsuper, rolbypassrls from pg_roles where rolname = current_user`.execute(db);
  const me = role.rows[0];
  if (me?.rolsuper) problems.push({ problem: 'superuser', detail: `the app connects as ${me.name}, a superuser: row-level security does not apply to it` });
  if (me?.rolbypassrls) problems.push({ problem: 'bypassrls', detail: `the app connects as ${me.name}, which has BYPASSRLS: row-level security does not apply to it` });
  const owned = await sql<{ relname: string }>`
    select c.relname from pg_class c
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
      and pg_has_role(current_user, c.relowner, 'MEMBER')
    order by c.relname`.execute(db);
  if (owned.rows.length && !me?.rolsuper) {
    problems.push({ problem: 'owner', detail: `the app's role owns (or may act as the owner of) ${owned.rows.length} table(s), e.g. ${owned.rows[0]!.relname}: it could switch row-level security off` });
  }
  const tables = Object.keys(TENANT_TABLES);
  const isolation = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
    select relname, relrowsecurity, relforcerowsecurity from pg_class
    where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p') and relname in (${sql.join(tables)})`.execute(db);
  const isolated = new Set(isolation.rows.filter((r) => r.relrowsecurity && r.relforcerowsecurity).map((r) => r.relname));
  const found = new Set(isolation.rows.map((r) => r.relname));
  const missing = tables.filter((t) => found.has(t) && !isolated.has(t));
  if (missing.length) problems.push({ problem: 'not_isolated', detail: `row-level security is not enabled and forced on ${missing.join(', ')}` });
  return problems;
}
