/**
 * Who wrote a contribution — a link that exists only on her device (issue 7: "No one — not
 * even an admin — can see who wrote a contribution").
 *
 * - Her **author key** (32 random bytes) is made the first time she writes, and kept in a
 *   cookie on HER browser (`relais_author_<tag of her account>`, HttpOnly, SameSite=Strict,
 *   one year). The server never stores it: not in the database, not in a log, not in a backup.
 * - The cookie holds the key sealed (AES-256-GCM) under a key derived from the master key and
 *   bound to her account id: a cookie copied to another account, or to another instance, opens
 *   nothing; and the server alone (database + master key) holds no cookie to open.
 * - A contribution she writes carries `author_tag = HMAC-SHA256(author key, "contribution:" + id)`.
 *   Without her key, a tag is 32 random-looking bytes: it names no account, and two of her
 *   contributions' tags do not even look related.
 * - To list her own contributions, the server recomputes the tag of each contribution of the
 *   consultation with her key (a few hundred HMACs) and keeps those that match.
 *
 * What this does not protect against, and how the rest of Relais narrows it, is written in
 * docs/security.md "Participation".
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { constantTimeEqual, deriveFromMasterKey, openWithKey, sealWithKey } from '../crypto/envelope';

const COOKIE_PREFIX = 'relais_author_';
const KEY_BYTES = 32;
const ONE_YEAR_SECONDS = 366 * 24 * 3600;

/** The cookie's name for this account: a short keyed hash, so the name does not show her id. */
export function authorCookieName(masterKey: Buffer, accountId: string): string {
  const naming = deriveFromMasterKey(masterKey, 'author-cookie-name', Buffer.from('relais', 'utf8'));
  return COOKIE_PREFIX + createHmac('sha256', naming).update(accountId, 'utf8').digest('hex').slice(0, 16);
}

function sealingKey(masterKey: Buffer, accountId: string): Buffer {
  return deriveFromMasterKey(masterKey, 'author-cookie', Buffer.from(accountId, 'utf8'));
}

/** Seals an author key for her cookie. */
export function sealAuthorKey(masterKey: Buffer, accountId: string, authorKey: Buffer): string {
  return sealWithKey(sealingKey(masterKey, accountId), authorKey, `author:${accountId}`);
}

/** Opens her cookie's value; null when it is not hers (another account, altered, another instance). */
export function openAuthorKey(masterKey: Buffer, accountId: string, sealed: string | undefined): Buffer | null {
  if (!sealed || sealed.length > 200) return null;
  try {
    const key = openWithKey(sealingKey(masterKey, accountId), sealed, `author:${accountId}`);
    return key.length === KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

/** The tag a contribution carries when she writes it. */
export function authorTag(authorKey: Buffer, contributionId: string): string {
  return createHmac('sha256', authorKey).update(`contribution:${contributionId}`, 'utf8').digest('hex');
}

/** Whether a contribution's stored tag is hers. */
export function isAuthor(authorKey: Buffer, contributionId: string, storedTag: string | null): boolean {
  return storedTag !== null && constantTimeEqual(authorTag(authorKey, contributionId), storedTag);
}

export interface AuthorKeyOptions {
  /** Whether the cookie is Secure (the instance is served over https). */
  secure: boolean;
}

/** Her author key from her cookie, or null when this browser holds none for her. */
export function readAuthorKey(cookies: Pick<Cookies, 'get'>, masterKey: Buffer, accountId: string): Buffer | null {
  return openAuthorKey(masterKey, accountId, cookies.get(authorCookieName(masterKey, accountId)));
}

/** Her author key, made and set in her cookie the first time she writes. */
export function ensureAuthorKey(cookies: Pick<Cookies, 'get' | 'set'>, masterKey: Buffer, accountId: string, options: AuthorKeyOptions): Buffer {
  const existing = readAuthorKey(cookies, masterKey, accountId);
  if (existing) return existing;
  const key = randomBytes(KEY_BYTES);
  cookies.set(authorCookieName(masterKey, accountId), sealAuthorKey(masterKey, accountId, key), {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: options.secure,
    maxAge: ONE_YEAR_SECONDS
  });
  return key;
}

/**
 * The tag that makes one vote per member and consultation (statement_vote.voter_tag,
 * recommendation_vote.voter_tag). Unlike an author tag, the server can recompute it from
 * the account id: a vote is pseudonymous, not anonymous — docs/security.md says why.
 */
export function voterTag(masterKey: Buffer, organizationId: string, consultationId: string, accountId: string): string {
  const key = deriveFromMasterKey(masterKey, 'voter-tag', Buffer.from(organizationId, 'utf8'));
  return createHmac('sha256', key).update(`${consultationId}:${accountId}`, 'utf8').digest('hex');
}
