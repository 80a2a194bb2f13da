/** Members of the participation group (participation_member): pseudonym and language. */
import type { Kysely } from 'kysely';
import type { Database, ParticipationMemberTable, ProxySessionTable } from '../db/schema';
import { inTenant } from '../db/tenant';

export async function findMember(db: Kysely<Database>, organizationId: string, accountId: string): Promise<ParticipationMemberTable | undefined> {
  return inTenant(db, organizationId, (trx) =>
    trx.selectFrom('participation_member').selectAll().where('organization_id', '=', organizationId).where('account_id', '=', accountId).executeTakeFirst()
  );
}

/**
 * The proxy under way in this session, if a facilitator is acting on the member's behalf
 * (proxy_session, issue 7). Pages show it; a contribution written through it gets no author
 * tag (the facilitator's browser must never hold her author key).
 */
export async function activeProxy(db: Kysely<Database>, who: { organizationId: string; sessionId: string }, now: Date = new Date()): Promise<ProxySessionTable | undefined> {
  return inTenant(db, who.organizationId, (trx) =>
    trx
      .selectFrom('proxy_session')
      .selectAll()
      .where('organization_id', '=', who.organizationId)
      .where('session_id_hash', '=', who.sessionId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst()
  );
}
