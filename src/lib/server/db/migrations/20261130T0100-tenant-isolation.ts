import type { Kysely } from 'kysely';
import { disableTenantIsolation, enableTenantIsolation } from './tenant-isolation';

// Frozen in time: a migration never imports application code.
// Tenant isolation enforced by PostgreSQL (issue 5): row-level security, enabled and forced,
// on every table that belongs to one organization. The audit log is bound by its chain,
// which is the organization's id, or 'instance' for the instance-wide chain (its own
// tenant). `organization` itself is not isolated: it holds a name and a wrapped key, no
// personal data, and sign-in must find every organization before it knows which one.
// Not isolated either: the public directory (`directory_service.organization_id` names a
// directory organization, not a tenant) and `instance_setting`. No-op on SQLite.

const ISOLATED: Array<[table: string, column: string]> = [
  ['person_account', 'organization_id'],
  ['invitation', 'organization_id'],
  ['session', 'organization_id'],
  ['recovery_code', 'organization_id'],
  ['audit_entry', 'chain'],
  ['audit_head', 'chain']
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of ISOLATED) await enableTenantIsolation(db, table, { column });
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table] of [...ISOLATED].reverse()) await disableTenantIsolation(db, table);
}
