/** Members of the participation group (participation_member): pseudonym and language. */
import type { Kysely } from 'kysely';
import type { Database, ParticipationMemberTable, ProxySessionTable } from '../db/schema';
import { inTenant } from '../db/tenant';
import { dataKeyOf } from '../accounts/organization.service';
import { blindIndex, encryptField } from '../crypto/envelope';

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

/**
 * Enrols an account in the participation group: her pseudonym (encrypted, with its blind
 * index for uniqueness) and the language of her pages. Used by enrolment and by tests.
 */
export async function addMember(
  db: Kysely<Database>,
  masterKey: Buffer,
  input: { organizationId: string; accountId: string; pseudonym: string; language: string; enrolledBy: string },
  now: Date = new Date()
): Promise<void> {
  const key = await dataKeyOf(db, masterKey, input.organizationId);
  await inTenant(db, input.organizationId, (trx) =>
    trx
      .insertInto('participation_member')
      .values({
        account_id: input.accountId,
        organization_id: input.organizationId,
        pseudonym_encrypted: encryptField(key, input.pseudonym, { table: 'participation_member', column: 'pseudonym_encrypted', rowId: input.accountId }),
        pseudonym_index: blindIndex(key, input.pseudonym, { table: 'participation_member', column: 'pseudonym_index' }),
        language: input.language,
        enrolled_by: input.enrolledBy,
        enrolled_at: now.toISOString(),
        left_at: null
      })
      .execute()
  );
}

/**
 * Whether this session was opened as a proxy, live or not: her author key is never made or
 * read in such a session, even on the request that crosses its limit (the session's and the
 * proxy's expiry are checked at two instants) or after the proxy was ended.
 */
export async function openedAsProxy(db: Kysely<Database>, who: { organizationId: string; sessionId: string }): Promise<boolean> {
  const row = await inTenant(db, who.organizationId, (trx) =>
    trx.selectFrom('proxy_session').select('id').where('organization_id', '=', who.organizationId).where('session_id_hash', '=', who.sessionId).executeTakeFirst()
  );
  return row !== undefined;
}
