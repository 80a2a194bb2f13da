/**
 * Password + TOTP: accepting an invitation with credentials, signing in, and the sessions
 * that follow (issue 5). Passkeys: passkey.service.ts (it opens sessions with `openSession`).
 *
 * Nothing here logs: failures go to the audit log with ids only, never an email or address.
 * Every query on a tenant table runs inside `inTenant` and names its organization; the
 * cookie and the invitation link carry the organization before the secret (tenant-token.ts).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import type { Database, PersonAccountTable } from '../db/schema';
import { appendAudit } from '../audit/audit';
import { decryptField, encryptField, hashToken } from '../crypto/envelope';
import { inTenant } from '../db/tenant';
import { dataKeyOf } from './organization.service';
import { findAccountsByEmail, readAccountEmail, readTotpSecret } from './account.service';
import { findAccountByEmailIndex, insertAccount } from './account.repository';
import { findInvitationByTokenHash, markInvitationUsed } from './invitation.repository';
import { insertSession } from './session.repository';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './password';
import { base32Decode, timeStep, verifyTotp } from './totp';
import type { Role } from './roles';
import { newTenantToken, parseTenantToken } from './tenant-token';

export const RECOVERY_CODE_COUNT = 10;

export interface SessionLimits {
  idleMinutes: number;
  maxHours: number;
}

/**
 * A valid invitation (unknown, used and expired all give null: the page says "not found"),
 * looked up in the organization the link names: a link whose organization was changed is
 * unknown there.
 */
export async function findValidInvitation(db: Kysely<Database>, token: string, now: Date = new Date()): Promise<{ id: string; organizationId: string; role: Role } | null> {
  const named = parseTenantToken(token);
  if (!named) return null;
  const invitation = await inTenant(db, named.organizationId, (trx) => findInvitationByTokenHash(trx, named.organizationId, hashToken(named.secret)));
  if (!invitation || invitation.used_at || invitation.expires_at <= now.toISOString()) return null;
  return { id: invitation.id, organizationId: invitation.organization_id, role: invitation.role as Role };
}

/** Ten codes of 10 base32 characters (50 bits each), written `abcde-fghij`. */
export function generateRecoveryCodes(): string[] {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(`relais-recovery:${normalizeRecoveryCode(code)}`).digest('hex');
}

/**
 * Turns a valid invitation into an account with a password and a TOTP secret, in one
 * transaction, and returns the ten recovery codes (shown once; stored hashed). The caller
 * has checked the password rules and the code; they are checked again here.
 * Throws `not_found` for an unknown, used or expired invitation (one answer for all three),
 * `invalid_input` for a refused password or a wrong code, `conflict` if the account exists.
 */
export async function acceptInvitationWithPassword(
  db: Kysely<Database>,
  masterKey: Buffer,
  input: { token: string; password: string; totpSecret: string; totpCode: string; now?: Date }
): Promise<{ accountId: string; organizationId: string; recoveryCodes: string[] }> {
  const now = input.now ?? new Date();
  const invitation = await findValidInvitation(db, input.token, now);
  if (!invitation) throw new DomainError('not_found', 'no such invitation');
  if (passwordProblem(input.password)) throw new DomainError('invalid_input', 'password refused');
  const secretBytes = base32Decode(input.totpSecret);
  if (!secretBytes || secretBytes.length < 16) throw new DomainError('invalid_input', 'bad secret');
  const step = verifyTotp(input.totpSecret, input.totpCode, now);
  if (step === null) throw new DomainError('invalid_input', 'wrong code');
  const named = parseTenantToken(input.token)!;
  const row = await inTenant(db, invitation.organizationId, (trx) => findInvitationByTokenHash(trx, invitation.organizationId, hashToken(named.secret)));
  if (!row) throw new DomainError('not_found', 'no such invitation');
  const dataKey = await dataKeyOf(db, masterKey, invitation.organizationId);
  const email = decryptField(dataKey, row.email_encrypted, { table: 'invitation', column: 'email_encrypted', rowId: row.id });
  // argon2 outside any transaction: it takes tens of milliseconds and holds no lock.
  const passwordHash = await hashPassword(input.password);
  const accountId = randomUUID();
  const recoveryCodes = generateRecoveryCodes();
  await inTenant(db, invitation.organizationId, async (trx) => {
    // False if the link was used meanwhile.
    if (!(await markInvitationUsed(trx, invitation.organizationId, invitation.id, now.toISOString()))) throw new DomainError('not_found', 'no such invitation');
    if (await findAccountByEmailIndex(trx, invitation.organizationId, row.email_index)) throw new DomainError('conflict', 'this address already has an account');
    await insertAccount(trx, {
      id: accountId,
      organization_id: invitation.organizationId,
      email_index: row.email_index,
      email_encrypted: encryptField(dataKey, email, { table: 'person_account', column: 'email_encrypted', rowId: accountId }),
      role: invitation.role,
      status: 'active',
      password_hash: passwordHash,
      totp_secret_encrypted: encryptField(dataKey, input.totpSecret.replace(/\s/g, '').toUpperCase(), { table: 'person_account', column: 'totp_secret_encrypted', rowId: accountId }),
      totp_last_step: step,
      created_at: now.toISOString()
    });
    await trx
      .insertInto('recovery_code')
      .values(recoveryCodes.map((code) => ({ code_hash: hashRecoveryCode(code), organization_id: invitation.organizationId, account_id: accountId, created_at: now.toISOString(), used_at: null })))
      .execute();
    await appendAudit(trx, { organizationId: invitation.organizationId, actorId: accountId, action: 'invitation.accept', target: { kind: 'invitation', id: invitation.id }, at: now });
  });
  return { accountId, organizationId: invitation.organizationId, recoveryCodes };
}

export type SignInResult =
  | { ok: true; token: string; accountId: string; organizationId: string; usedRecoveryCode: boolean }
  | { ok: false; accountId: string | null; organizationId: string | null };

/**
 * Checks the second factor: a TOTP code never used before, or an unused recovery code
 * (consumed). `db` is a transaction in the account's tenant.
 */
export async function secondFactorOk(db: Kysely<Database>, masterKey: Buffer, account: PersonAccountTable, code: string, now: Date): Promise<'totp' | 'recovery' | null> {
  const clean = code.replace(/\s/g, '');
  if (/^\d{6}$/.test(clean)) {
    const secret = await readTotpSecret(db, masterKey, account);
    if (!secret) return null;
    const step = verifyTotp(secret, clean, now);
    if (step === null || (account.totp_last_step != null && step <= account.totp_last_step)) return null;
    // Conditional update: two requests with the same code cannot both pass.
    const updated = await db
      .updateTable('person_account')
      .set({ totp_last_step: step })
      .where('organization_id', '=', account.organization_id)
      .where('id', '=', account.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1 ? 'totp' : null;
  }
  if (normalizeRecoveryCode(clean).length !== 10) return null;
  const used = await db
    .updateTable('recovery_code')
    .set({ used_at: now.toISOString() })
    .where('organization_id', '=', account.organization_id)
    .where('account_id', '=', account.id)
    .where('code_hash', '=', hashRecoveryCode(clean))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1 ? 'recovery' : null;
}

/**
 * Email + password + code. Every failure has the same shape whatever went wrong (no such
 * address, a disabled account, a wrong password or code); an unknown address costs one
 * argon2 verification like a known one. On success the session named by `previousToken`
 * (if any) is ended and a new one opened: the session id changes at sign-in.
 * Audits `session.sign_in` or `session.sign_in_failed` (the account id only when known).
 */
export async function signIn(
  db: Kysely<Database>,
  masterKey: Buffer,
  input: { email: string; password: string; code: string; previousToken?: string | null; limits: SessionLimits; now?: Date }
): Promise<SignInResult> {
  const now = input.now ?? new Date();
  const accounts = (await findAccountsByEmail(db, masterKey, input.email)).filter((a) => a.password_hash);
  let match: PersonAccountTable | undefined;
  if (accounts.length === 0) await verifyPassword(await decoyHash(), input.password);
  for (const account of accounts) {
    if (await verifyPassword(account.password_hash!, input.password)) {
      match = account;
      break;
    }
  }
  const known = match ?? accounts[0];
  const fail = async (): Promise<SignInResult> => {
    await appendAudit(db, {
      organizationId: known?.organization_id ?? null,
      actorId: known?.id ?? 'anonymous',
      action: 'session.sign_in_failed',
      target: known ? { kind: 'person_account', id: known.id } : undefined,
      at: now
    });
    return { ok: false, accountId: known?.id ?? null, organizationId: known?.organization_id ?? null };
  };
  if (!match || match.status !== 'active') return fail();
  const account = match;
  const factor = await inTenant(db, account.organization_id, (trx) => secondFactorOk(trx, masterKey, account, input.code, now));
  if (!factor) return fail();
  const token = await inTenant(db, account.organization_id, async (trx) => {
    const opened = await openSession(trx, { organizationId: account.organization_id, accountId: account.id, previousToken: input.previousToken, limits: input.limits, now });
    if (factor === 'recovery') await appendAudit(trx, { organizationId: account.organization_id, actorId: account.id, action: 'recovery_code.use', at: now });
    await appendAudit(trx, { organizationId: account.organization_id, actorId: account.id, action: 'session.sign_in', target: { kind: 'person_account', id: account.id }, at: now });
    return opened;
  });
  return { ok: true, token, accountId: account.id, organizationId: account.organization_id, usedRecoveryCode: factor === 'recovery' };
}

/**
 * Opens a new session for an account (inside the caller's transaction) and returns the
 * token for the cookie (`<organization id>.<secret>`, tenant-token.ts). The session named by
 * `previousToken`, if any (perhaps of another organization), is ended: the session id
 * changes at every sign-in. The new session counts as freshly authenticated.
 */
export async function openSession(
  trx: Kysely<Database>,
  input: { organizationId: string; accountId: string; previousToken?: string | null; limits: SessionLimits; now: Date }
): Promise<string> {
  const { now } = input;
  const { token, secret } = newTenantToken(input.organizationId);
  const previous = parseTenantToken(input.previousToken);
  if (previous) {
    await inTenant(trx, previous.organizationId, (t) =>
      t
        .updateTable('session')
        .set({ ended_at: now.toISOString() })
        .where('organization_id', '=', previous.organizationId)
        .where('id_hash', '=', hashToken(previous.secret))
        .where('ended_at', 'is', null)
        .execute()
    );
  }
  await inTenant(trx, input.organizationId, (t) =>
    insertSession(t, {
      id_hash: hashToken(secret),
      organization_id: input.organizationId,
      account_id: input.accountId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + input.limits.maxHours * 3600_000).toISOString(),
      ended_at: null,
      authenticated_at: now.toISOString()
    })
  );
  return token;
}

export interface SignedIn {
  sessionId: string;
  organizationId: string;
  accountId: string;
  role: Role;
  /** When she last proved who she is in this session (ISO); null or absent: never (see requireRecentAuth). */
  authenticatedAt?: string | null;
}

/**
 * The signed-in person a session cookie (`<organization id>.<secret>`) names, or null: not
 * a cookie of ours, unknown in the organization it names, ended, past its absolute limit,
 * idle too long (then it is ended now), or its account disabled. A live session is touched.
 */
export async function readSession(db: Kysely<Database>, token: string | undefined, limits: SessionLimits, now: Date = new Date()): Promise<SignedIn | null> {
  const named = parseTenantToken(token);
  if (!named) return null;
  const { organizationId } = named;
  const idHash = hashToken(named.secret);
  return inTenant(db, organizationId, async (trx) => {
    const session = await trx
      .selectFrom('session')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id_hash', '=', idHash)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (!session) return null;
    const idleLimit = new Date(new Date(session.last_seen_at).getTime() + limits.idleMinutes * 60_000);
    if (session.expires_at <= now.toISOString() || idleLimit <= now) {
      await trx.updateTable('session').set({ ended_at: now.toISOString() }).where('organization_id', '=', organizationId).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
      return null;
    }
    const account = await trx
      .selectFrom('person_account')
      .select(['role', 'status'])
      .where('organization_id', '=', organizationId)
      .where('id', '=', session.account_id)
      .executeTakeFirst();
    if (!account || account.status !== 'active') return null;
    await trx.updateTable('session').set({ last_seen_at: now.toISOString() }).where('organization_id', '=', organizationId).where('id_hash', '=', idHash).execute();
    return { sessionId: idHash, organizationId, accountId: session.account_id, role: account.role as Role, authenticatedAt: session.authenticated_at ?? null };
  });
}

/** Her live sessions, newest first. `id` is the hash of the cookie (not the cookie). */
export async function listLiveSessions(db: Kysely<Database>, who: { organizationId: string; accountId: string }, limits: SessionLimits, now: Date = new Date()) {
  const idleSince = new Date(now.getTime() - limits.idleMinutes * 60_000).toISOString();
  const rows = await inTenant(db, who.organizationId, (trx) =>
    trx
      .selectFrom('session')
      .select(['id_hash', 'created_at', 'last_seen_at'])
      .where('organization_id', '=', who.organizationId)
      .where('account_id', '=', who.accountId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .where('last_seen_at', '>', idleSince)
      .orderBy('created_at', 'desc')
      .execute()
  );
  return rows.map((r) => ({ id: r.id_hash, createdAt: r.created_at, lastSeenAt: r.last_seen_at }));
}

/** Every live session of the organization, by account, newest first (an admin's view). */
export async function listLiveSessionsByAccount(db: Kysely<Database>, organizationId: string, limits: SessionLimits, now: Date = new Date()) {
  const idleSince = new Date(now.getTime() - limits.idleMinutes * 60_000).toISOString();
  const rows = await inTenant(db, organizationId, (trx) =>
    trx
      .selectFrom('session')
      .select(['id_hash', 'account_id', 'created_at', 'last_seen_at'])
      .where('organization_id', '=', organizationId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .where('last_seen_at', '>', idleSince)
      .orderBy('created_at', 'desc')
      .execute()
  );
  const byAccount = new Map<string, Array<{ id: string; createdAt: string; lastSeenAt: string }>>();
  for (const r of rows) byAccount.set(r.account_id, [...(byAccount.get(r.account_id) ?? []), { id: r.id_hash, createdAt: r.created_at, lastSeenAt: r.last_seen_at }]);
  return byAccount;
}

/**
 * Ends one session of an account (hers, or anyone's in the organization for an admin: the
 * caller checks the policy). Answers false for a session of another account or organization.
 */
export async function endSession(
  db: Kysely<Database>,
  input: { organizationId: string; accountId: string; sessionId: string; actorId: string; action?: 'session.end' | 'session.sign_out'; now?: Date }
): Promise<boolean> {
  const now = input.now ?? new Date();
  return inTenant(db, input.organizationId, async (trx) => {
    const result = await trx
      .updateTable('session')
      .set({ ended_at: now.toISOString() })
      .where('organization_id', '=', input.organizationId)
      .where('account_id', '=', input.accountId)
      .where('id_hash', '=', input.sessionId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await appendAudit(trx, { organizationId: input.organizationId, actorId: input.actorId, action: input.action ?? 'session.end', target: { kind: 'session', id: input.sessionId.slice(0, 16) }, at: now });
    return true;
  });
}

/** The organization's accounts with their emails decrypted (an admin's list). */
export async function listAccounts(db: Kysely<Database>, masterKey: Buffer, organizationId: string) {
  const rows = await inTenant(db, organizationId, (trx) => trx.selectFrom('person_account').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').execute());
  return Promise.all(rows.map(async (r) => ({ id: r.id, email: await readAccountEmail(db, masterKey, r), role: r.role as Role, status: r.status })));
}

/** Her own email, for "who am I". */
export async function accountEmail(db: Kysely<Database>, masterKey: Buffer, who: { organizationId: string; accountId: string }): Promise<string | null> {
  const row = await inTenant(db, who.organizationId, (trx) =>
    trx.selectFrom('person_account').selectAll().where('organization_id', '=', who.organizationId).where('id', '=', who.accountId).executeTakeFirst()
  );
  return row ? readAccountEmail(db, masterKey, row) : null;
}

export { timeStep };
