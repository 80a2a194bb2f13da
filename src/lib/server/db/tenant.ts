import { AsyncLocalStorage } from 'node:async_hooks';
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

/**
 * Tenant tables and the column that names their tenant. On PostgreSQL each has row-level
 * security enabled and forced (`migrations/tenant-isolation.ts`); on both dialects the
 * tenant guard (`tenant-guard.ts`) refuses a query on them that does not name the tenant of
 * the `inTenant` it runs in. A migration that creates a tenant table calls
 * `enableTenantIsolation` AND adds the table here (`tenant.db.test.ts` checks both agree).
 */
export const TENANT_TABLES: Readonly<Record<string, string>> = {
  person_account: 'organization_id',
  invitation: 'organization_id',
  session: 'organization_id',
  recovery_code: 'organization_id',
  passkey: 'organization_id',
  // The audit log: one chain per organization, named by its id, plus the instance chain.
  audit_entry: 'chain',
  audit_head: 'chain',
  // The case tracker (issue 6).
  case_person: 'organization_id',
  case_assignment: 'organization_id',
  case_access: 'organization_id',
  case_consent: 'organization_id',
  case_procedure: 'organization_id',
  case_step: 'organization_id',
  case_deadline: 'organization_id',
  // Reminders and calendar feeds (issue 6).
  case_reminder: 'organization_id',
  calendar_feed: 'organization_id',
  // Her documents and the anonymous statistics kept after an erasure (her rights, issue 6).
  case_document: 'organization_id',
  case_statistic: 'organization_id',
  // Appointments with her (issue 6).
  case_appointment: 'organization_id',
  // Participation (issue 7)
  participation_member: 'organization_id',
  member_sign_in_code: 'organization_id',
  proxy_session: 'organization_id',
  training_module: 'organization_id',
  training_completion: 'organization_id',
  consultation: 'organization_id',
  consultation_phase: 'organization_id',
  consultation_question: 'organization_id',
  workshop: 'organization_id',
  workshop_attendance: 'organization_id',
  contribution: 'organization_id',
  contribution_confirmation: 'organization_id',
  theme: 'organization_id',
  theme_contribution: 'organization_id',
  theme_decision: 'organization_id',
  question_theme: 'organization_id',
  statement: 'organization_id',
  statement_vote: 'organization_id',
  recommendation: 'organization_id',
  recommendation_version: 'organization_id',
  recommendation_statement: 'organization_id',
  recommendation_vote: 'organization_id',
  participation_setting: 'organization_id',
  pay_entry: 'organization_id',
  payment: 'organization_id'
};

/**
 * The tenant of the instance-wide audit chain (key rotation, backups, a failed sign-in with
 * an unknown address). Organization ids are UUIDs: it cannot collide with one.
 */
export const INSTANCE_TENANT = 'instance';

const TENANT_ID = /^[A-Za-z0-9_-]{1,40}$/;
const scope = new AsyncLocalStorage<string>();

/** The tenant of the `inTenant` the caller runs in, if any. */
export function currentTenant(): string | undefined {
  return scope.getStore();
}

async function setTenant(db: Kysely<Database>, tenant: string): Promise<void> {
  if (isPostgres(db)) await sql`select set_config('app.tenant_id', ${tenant}, true)`.execute(db);
}

/**
 * Runs `work` in one transaction bound to one organization (tenant). On PostgreSQL the
 * tenant is set for this transaction only (`set_config(…, true)`), so a pooled connection
 * never carries it into someone else's request; row-level security policies read it. On
 * both dialects the tenant guard refuses, inside `work`, any query on a tenant table that
 * does not filter on this tenant, and any query on a tenant table outside `inTenant`.
 * Every use case on a tenant table goes through here, and passes `trx` (never `db`) on.
 *
 * Called with a transaction, it joins it: the tenant is switched for `work` and switched
 * back afterwards (an operator's loop over organizations in one snapshot; an audit entry
 * of the instance chain written inside an organization's transaction). Never run two
 * `inTenant` on one transaction in parallel: the setting is per transaction.
 */
export async function inTenant<T>(db: Kysely<Database>, organizationId: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (typeof organizationId !== 'string' || !TENANT_ID.test(organizationId)) throw new Error('inTenant: not an organization id');
  if (db.isTransaction) {
    const trx = db as Transaction<Database>;
    const outer = scope.getStore();
    if (outer === organizationId) return work(trx);
    await setTenant(trx, organizationId);
    let result: T;
    try {
      result = await scope.run(organizationId, () => work(trx));
    } catch (error) {
      // An aborted PostgreSQL transaction refuses even this; it is rolled back anyway.
      await setTenant(trx, outer ?? '').catch(() => {});
      throw error;
    }
    await setTenant(trx, outer ?? '');
    return result;
  }
  return scope.run(organizationId, () =>
    db.transaction().execute(async (trx) => {
      await setTenant(trx, organizationId);
      return work(trx);
    })
  );
}

export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
