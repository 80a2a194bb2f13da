import type { Kysely } from 'kysely';
import type { Database, InvitationTable } from '../db/schema';

export async function insertInvitation(db: Kysely<Database>, row: InvitationTable): Promise<void> {
  await db.insertInto('invitation').values(row).execute();
}

/** The invitation whose link secret has this hash, in this organization. */
export async function findInvitationByTokenHash(db: Kysely<Database>, organizationId: string, tokenHash: string): Promise<InvitationTable | undefined> {
  return db.selectFrom('invitation').selectAll().where('organization_id', '=', organizationId).where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks an invitation used; false if another request used it first (one-time link). */
export async function markInvitationUsed(db: Kysely<Database>, organizationId: string, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('invitation')
    .set({ used_at: at })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
