/**
 * What participation's use cases share: their context, and the first line of each — the
 * policy check (routes call `guard` too; a use case called from elsewhere checks again).
 */
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import type { Database } from '../db/schema';
import type { SignedIn } from '../accounts/sign-in.service';
import { allows, type StaffPolicy } from '../accounts/staff.policy';
import { dataKeyOf } from '../accounts/organization.service';
import { decryptField } from '../crypto/envelope';

export interface ParticipationContext {
  db: Kysely<Database>;
  masterKey: Buffer;
  who: SignedIn;
  now?: Date;
}

/** Throws `forbidden` unless her role allows the policy. */
export function requirePolicy(who: Pick<SignedIn, 'role'>, policy: StaffPolicy): void {
  if (!allows(who.role, policy)) throw new DomainError('forbidden', policy);
}

export const nowOf = (ctx: { now?: Date }): Date => ctx.now ?? new Date();

/** The pseudonyms of the organization's members, by account id (decrypted once per call). */
export async function pseudonymsOf(db: Kysely<Database>, masterKey: Buffer, organizationId: string, rows: Array<{ account_id: string; pseudonym_encrypted: string }>): Promise<Map<string, string>> {
  const key = await dataKeyOf(db, masterKey, organizationId);
  return new Map(rows.map((r) => [r.account_id, decryptField(key, r.pseudonym_encrypted, { table: 'participation_member', column: 'pseudonym_encrypted', rowId: r.account_id })]));
}

export const MEMBER_LANGUAGES = ['fr', 'en', 'pcm'] as const;
export type MemberLanguage = (typeof MEMBER_LANGUAGES)[number];
export function isMemberLanguage(value: string): value is MemberLanguage {
  return (MEMBER_LANGUAGES as readonly string[]).includes(value);
}
