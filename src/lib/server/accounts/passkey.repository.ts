/**
 * Passkeys (a tenant table: every query names its organization) and WebAuthn challenges
 * (not a tenant table: a sign-in challenge is made before the organization is known).
 */
import type { Kysely } from 'kysely';
import type { Database, PasskeyTable, WebauthnChallengeTable } from '../db/schema';

export async function insertPasskey(db: Kysely<Database>, row: PasskeyTable): Promise<void> {
  await db.insertInto('passkey').values(row).execute();
}

export async function findPasskeyByCredentialId(db: Kysely<Database>, organizationId: string, credentialId: string): Promise<PasskeyTable | undefined> {
  return db.selectFrom('passkey').selectAll().where('organization_id', '=', organizationId).where('credential_id', '=', credentialId).executeTakeFirst();
}

/** An account's passkeys, oldest first. */
export async function listPasskeysOfAccount(db: Kysely<Database>, organizationId: string, accountId: string): Promise<PasskeyTable[]> {
  return db
    .selectFrom('passkey')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Records a use: the new signature counter and the time. */
export async function markPasskeyUsed(db: Kysely<Database>, organizationId: string, id: string, counter: number, at: string): Promise<void> {
  await db.updateTable('passkey').set({ counter, last_used_at: at }).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

/** Deletes one of an account's passkeys; false if the account has no such passkey. */
export async function deletePasskey(db: Kysely<Database>, organizationId: string, accountId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('passkey').where('organization_id', '=', organizationId).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function insertChallenge(db: Kysely<Database>, row: WebauthnChallengeTable): Promise<void> {
  await db.insertInto('webauthn_challenge').values(row).execute();
}

/**
 * Takes a challenge out (single use): deletes it and returns it if it was there, not
 * expired, and made for this purpose. Two requests with the same challenge: one wins.
 */
export async function consumeChallenge(db: Kysely<Database>, challengeHash: string, purpose: string, now: string): Promise<WebauthnChallengeTable | undefined> {
  const row = await db.selectFrom('webauthn_challenge').selectAll().where('challenge_hash', '=', challengeHash).executeTakeFirst();
  if (!row) return undefined;
  const deleted = await db.deleteFrom('webauthn_challenge').where('challenge_hash', '=', challengeHash).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1) return undefined;
  if (row.purpose !== purpose || row.expires_at <= now) return undefined;
  return row;
}

/** Forgets expired challenges (called when a new one is made: the table stays small). */
export async function deleteExpiredChallenges(db: Kysely<Database>, now: string): Promise<void> {
  await db.deleteFrom('webauthn_challenge').where('expires_at', '<=', now).execute();
}

/** Live challenges of a purpose: a cap on how many sign-in challenges can pile up. */
export async function countLiveChallenges(db: Kysely<Database>, purpose: string, now: string): Promise<number> {
  const row = await db
    .selectFrom('webauthn_challenge')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('purpose', '=', purpose)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
