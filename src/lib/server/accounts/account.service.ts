/**
 * Invitations, accounts and sessions (issue 5). Emails are stored encrypted under the
 * organization's data key and found through a blind index; tokens only as hashes.
 * Every use case runs inside `inTenant` (db/tenant.ts); a link or cookie names its
 * organization before its secret (tenant-token.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import type { Database, PersonAccountTable } from '../db/schema';
import { appendAudit } from '../audit/audit';
import { blindIndex, decryptField, encryptField, hashToken } from '../crypto/envelope';
import { inTenant } from '../db/tenant';
import { dataKeyOf, type Actor } from './organization.service';
import { listOrganizations } from './organization.repository';
import { findAccountByEmailIndex, insertAccount, setAccountRole, setAccountStatus, setAccountTotpSecret } from './account.repository';
import { findInvitationByTokenHash, insertInvitation, markInvitationUsed } from './invitation.repository';
import { endSessionsOfAccount, insertSession } from './session.repository';
import { isRole, type Role } from './roles';
import { newTenantToken, parseTenantToken } from './tenant-token';

export const INVITATION_HOURS = 72;
export const SESSION_ABSOLUTE_HOURS = 12;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value.trim());
}

/** The blind index of an email in one organization (the same for account and invitation). */
export function emailIndex(dataKey: Buffer, email: string): string {
  return blindIndex(dataKey, email, { table: 'person_account', column: 'email' });
}

/**
 * Invites someone by email and role. Returns the one-time token `<organization id>.<secret>`
 * for the link (shown once, never stored: the database keeps the secret's SHA-256). Throws
 * `invalid_input` for a bad email or role, `not_found` for an unknown organization,
 * `conflict` if she already has an account.
 */
export async function inviteAccount(
  db: Kysely<Database>,
  masterKey: Buffer,
  input: { organizationId: string; email: string; role: string; actor: Actor; now?: Date }
): Promise<{ invitationId: string; token: string; expiresAt: string }> {
  if (!isEmail(input.email)) throw new DomainError('invalid_input', 'not an email address');
  if (!isRole(input.role)) throw new DomainError('invalid_input', 'unknown role');
  const dataKey = await dataKeyOf(db, masterKey, input.organizationId);
  const index = emailIndex(dataKey, input.email);
  const now = input.now ?? new Date();
  const id = randomUUID();
  const { token, secret } = newTenantToken(input.organizationId);
  const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3600_000).toISOString();
  await inTenant(db, input.organizationId, async (trx) => {
    if (await findAccountByEmailIndex(trx, input.organizationId, index)) throw new DomainError('conflict', 'this address already has an account');
    await insertInvitation(trx, {
      id,
      organization_id: input.organizationId,
      token_hash: hashToken(secret),
      role: input.role,
      email_index: index,
      email_encrypted: encryptField(dataKey, input.email.trim(), { table: 'invitation', column: 'email_encrypted', rowId: id }),
      invited_by: input.actor.id === 'cli' ? null : input.actor.id,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null
    });
    await appendAudit(trx, { organizationId: input.organizationId, actorId: input.actor.id, action: 'invitation.create', target: { kind: 'invitation', id }, at: now });
  });
  return { invitationId: id, token, expiresAt };
}

/**
 * Turns a valid invitation into an account (no credential yet: passkeys and passwords come
 * with the sign-in pages). Throws `not_found` for an unknown, used or expired token — the
 * same answer for all three — and `conflict` if the account exists already.
 */
export async function acceptInvitation(db: Kysely<Database>, masterKey: Buffer, token: string, now: Date = new Date()): Promise<{ accountId: string; organizationId: string; role: Role }> {
  const named = parseTenantToken(token);
  if (!named) throw new DomainError('not_found', 'no such invitation');
  const accountId = randomUUID();
  return inTenant(db, named.organizationId, async (trx) => {
    const invitation = await findInvitationByTokenHash(trx, named.organizationId, hashToken(named.secret));
    if (!invitation || invitation.used_at || invitation.expires_at <= now.toISOString()) throw new DomainError('not_found', 'no such invitation');
    const dataKey = await dataKeyOf(trx, masterKey, invitation.organization_id);
    const email = decryptField(dataKey, invitation.email_encrypted, { table: 'invitation', column: 'email_encrypted', rowId: invitation.id });
    if (!(await markInvitationUsed(trx, invitation.organization_id, invitation.id, now.toISOString()))) throw new DomainError('not_found', 'no such invitation');
    if (await findAccountByEmailIndex(trx, invitation.organization_id, invitation.email_index)) throw new DomainError('conflict', 'this address already has an account');
    await insertAccount(trx, {
      id: accountId,
      organization_id: invitation.organization_id,
      email_index: invitation.email_index,
      email_encrypted: encryptField(dataKey, email, { table: 'person_account', column: 'email_encrypted', rowId: accountId }),
      role: invitation.role,
      status: 'active',
      password_hash: null,
      totp_secret_encrypted: null,
      created_at: now.toISOString()
    });
    await appendAudit(trx, { organizationId: invitation.organization_id, actorId: accountId, action: 'invitation.accept', target: { kind: 'invitation', id: invitation.id }, at: now });
    return { accountId, organizationId: invitation.organization_id, role: invitation.role as Role };
  });
}

/**
 * Every account with this email, in every organization (sign-in by email, the operator's
 * command line): the email's blind index is computed under each organization's key and
 * looked up in that organization's tenant, one after the other.
 */
export async function findAccountsByEmail(db: Kysely<Database>, masterKey: Buffer, email: string): Promise<PersonAccountTable[]> {
  const found: PersonAccountTable[] = [];
  for (const organization of await listOrganizations(db)) {
    const dataKey = await dataKeyOf(db, masterKey, organization.id);
    const account = await inTenant(db, organization.id, (trx) => findAccountByEmailIndex(trx, organization.id, emailIndex(dataKey, email)));
    if (account) found.push(account);
  }
  return found;
}

/**
 * Disables an account and ends all its sessions at once, in one transaction, and audits
 * it. Returns how many sessions were ended. Throws `not_found` for an unknown account.
 */
export async function disableAccount(db: Kysely<Database>, input: { organizationId: string; accountId: string; actor: Actor; now?: Date }): Promise<{ sessionsEnded: number }> {
  const at = (input.now ?? new Date()).toISOString();
  return inTenant(db, input.organizationId, async (trx) => {
    if (!(await setAccountStatus(trx, input.organizationId, input.accountId, 'disabled'))) throw new DomainError('not_found', 'no such account');
    const sessionsEnded = await endSessionsOfAccount(trx, input.organizationId, input.accountId, at);
    await appendAudit(trx, { organizationId: input.organizationId, actorId: input.actor.id, action: 'account.disable', target: { kind: 'person_account', id: input.accountId }, at: input.now });
    return { sessionsEnded };
  });
}

/**
 * Opens a session for an active account without a credential check (tests, and the
 * operator's tools); returns the cookie's token `<organization id>.<secret>` (the database
 * keeps the secret's hash) and the session's id (that hash). Throws `not_found` for an
 * account this organization does not have, `forbidden` for a disabled one.
 */
export async function startSession(db: Kysely<Database>, input: { organizationId: string; accountId: string; now?: Date }): Promise<{ token: string; sessionId: string; expiresAt: string }> {
  const now = input.now ?? new Date();
  const { token, secret } = newTenantToken(input.organizationId);
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_HOURS * 3600_000).toISOString();
  await inTenant(db, input.organizationId, async (trx) => {
    const account = await trx.selectFrom('person_account').select('status').where('organization_id', '=', input.organizationId).where('id', '=', input.accountId).executeTakeFirst();
    if (!account) throw new DomainError('not_found', 'no such account');
    if (account.status !== 'active') throw new DomainError('forbidden', 'this account is disabled');
    await insertSession(trx, {
      id_hash: hashToken(secret),
      organization_id: input.organizationId,
      account_id: input.accountId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
      ended_at: null,
      // Opening a session is signing in: it counts as freshly authenticated (requireRecentAuth).
      authenticated_at: now.toISOString()
    });
  });
  return { token, sessionId: hashToken(secret), expiresAt };
}

/** Stores a TOTP secret encrypted and bound to the account's row. */
export async function storeTotpSecret(db: Kysely<Database>, masterKey: Buffer, input: { organizationId: string; accountId: string; secret: string }): Promise<void> {
  const dataKey = await dataKeyOf(db, masterKey, input.organizationId);
  const encrypted = encryptField(dataKey, input.secret, { table: 'person_account', column: 'totp_secret_encrypted', rowId: input.accountId });
  await inTenant(db, input.organizationId, (trx) => setAccountTotpSecret(trx, input.organizationId, input.accountId, encrypted));
}

/** Decrypts an account's email (for an admin's list of accounts). */
export async function readAccountEmail(db: Kysely<Database>, masterKey: Buffer, account: PersonAccountTable): Promise<string> {
  const dataKey = await dataKeyOf(db, masterKey, account.organization_id);
  return decryptField(dataKey, account.email_encrypted, { table: 'person_account', column: 'email_encrypted', rowId: account.id });
}

/** Decrypts an account's TOTP secret, or null. */
export async function readTotpSecret(db: Kysely<Database>, masterKey: Buffer, account: PersonAccountTable): Promise<string | null> {
  if (!account.totp_secret_encrypted) return null;
  const dataKey = await dataKeyOf(db, masterKey, account.organization_id);
  return decryptField(dataKey, account.totp_secret_encrypted, { table: 'person_account', column: 'totp_secret_encrypted', rowId: account.id });
}

/**
 * Changes the role of an account of the organization (an admin's action, after she has
 * confirmed who she is: the route calls requireRecentAuth) and audits it. The new role
 * applies at her next request. Throws `invalid_input` (unknown role), `forbidden` (her own
 * role: an admin cannot demote herself and leave no admin), `not_found`.
 */
export async function changeAccountRole(db: Kysely<Database>, input: { organizationId: string; accountId: string; role: string; actor: Actor; now?: Date }): Promise<void> {
  if (!isRole(input.role)) throw new DomainError('invalid_input', 'unknown role');
  if (input.accountId === input.actor.id) throw new DomainError('forbidden', 'her own role');
  await inTenant(db, input.organizationId, async (trx) => {
    if (!(await setAccountRole(trx, input.organizationId, input.accountId, input.role))) throw new DomainError('not_found', 'no such account');
    await appendAudit(trx, { organizationId: input.organizationId, actorId: input.actor.id, action: 'account.role_change', target: { kind: 'person_account', id: input.accountId }, at: input.now });
  });
}
