/**
 * Person accounts. Every function takes the organization and is called inside
 * `inTenant(db, organizationId, trx => …)` with that transaction: the tenant guard refuses
 * a query on a tenant table that does not filter on the current tenant, and on PostgreSQL
 * row-level security is a second barrier.
 */
import type { Kysely } from 'kysely';
import type { Database, PersonAccountTable } from '../db/schema';

export async function insertAccount(db: Kysely<Database>, row: PersonAccountTable): Promise<void> {
  await db.insertInto('person_account').values(row).execute();
}

export async function findAccountById(db: Kysely<Database>, organizationId: string, id: string): Promise<PersonAccountTable | undefined> {
  return db.selectFrom('person_account').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function findAccountByEmailIndex(db: Kysely<Database>, organizationId: string, emailIndex: string): Promise<PersonAccountTable | undefined> {
  return db
    .selectFrom('person_account')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('email_index', '=', emailIndex)
    .executeTakeFirst();
}

/** Sets an account's status; returns false if the organization has no such account. */
export async function setAccountStatus(db: Kysely<Database>, organizationId: string, id: string, status: PersonAccountTable['status']): Promise<boolean> {
  const result = await db.updateTable('person_account').set({ status }).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setAccountTotpSecret(db: Kysely<Database>, organizationId: string, id: string, totpSecretEncrypted: string | null): Promise<void> {
  await db
    .updateTable('person_account')
    .set({ totp_secret_encrypted: totpSecretEncrypted })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .execute();
}

/** Sets an account's role; returns false if the organization has no such account. */
export async function setAccountRole(db: Kysely<Database>, organizationId: string, id: string, role: string): Promise<boolean> {
  const result = await db.updateTable('person_account').set({ role }).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
