import type { Kysely } from 'kysely';
import type { Database, SessionTable } from '../db/schema';

export async function insertSession(db: Kysely<Database>, row: SessionTable): Promise<void> {
  await db.insertInto('session').values(row).execute();
}

/** The session a cookie's secret names in this organization, if neither ended nor expired at `now`. */
export async function findLiveSessionByHash(db: Kysely<Database>, organizationId: string, idHash: string, now: string): Promise<SessionTable | undefined> {
  return db
    .selectFrom('session')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Ends every open session of an account at once; returns how many were open. */
export async function endSessionsOfAccount(db: Kysely<Database>, organizationId: string, accountId: string, at: string): Promise<number> {
  const result = await db
    .updateTable('session')
    .set({ ended_at: at })
    .where('organization_id', '=', organizationId)
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Marks a live session as authenticated at `at` (re-authentication); false if it is not live. */
export async function markSessionAuthenticated(db: Kysely<Database>, organizationId: string, idHash: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('session')
    .set({ authenticated_at: at })
    .where('organization_id', '=', organizationId)
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
