/** Members of the participation group (participation_member): pseudonym and language. */
import type { Kysely } from 'kysely';
import type { Database, ParticipationMemberTable } from '../db/schema';
import { inTenant } from '../db/tenant';

export async function findMember(db: Kysely<Database>, organizationId: string, accountId: string): Promise<ParticipationMemberTable | undefined> {
  return inTenant(db, organizationId, (trx) =>
    trx.selectFrom('participation_member').selectAll().where('organization_id', '=', organizationId).where('account_id', '=', accountId).executeTakeFirst()
  );
}
