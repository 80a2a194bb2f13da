import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { database } from '$lib/server/db';
import { guard, masterKey } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { activeProxy, findMember } from '$lib/server/participation/member.repository';
import { dataKeyOf } from '$lib/server/accounts/organization.service';
import { decryptField } from '$lib/server/crypto/envelope';

export const _policy: StaffPolicy = 'participation.take_part';

/** A member's own pages: only for members of the participation group (the staff layout set her language). */
export const load: LayoutServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  const member = await findMember(db, who.organizationId, who.accountId);
  if (!member) error(403, { code: 'forbidden', message: 'forbidden' });
  const key = await dataKeyOf(db, masterKey(), who.organizationId);
  const pseudonym = decryptField(key, member.pseudonym_encrypted, { table: 'participation_member', column: 'pseudonym_encrypted', rowId: member.account_id });
  // A facilitator acting on her behalf: every member page says so, with a way to end it.
  const proxy = await activeProxy(db, who);
  return { member: { pseudonym, language: member.language }, proxy: proxy ? { expiresAt: proxy.expires_at } : null };
};
