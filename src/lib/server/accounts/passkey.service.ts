/**
 * Passkeys (WebAuthn), the main way in (issue 5): discoverable credentials with user
 * verification, several per person. Registered when she accepts her invitation or later
 * from her staff page; used to sign in without typing an address (usernameless) and to
 * confirm who she is before a sensitive action (reauth.service.ts).
 *
 * Every ceremony is two requests: the options (a challenge stored server-side as its hash,
 * single use, CHALLENGE_MINUTES), then the browser's answer, checked by @simplewebauthn/server.
 * The WebAuthn user handle is the organization's id followed by 16 random bytes: at sign-in
 * it names the tenant before anything else is known, and says nothing about the person.
 *
 * Audited: `passkey.register`, `passkey.remove`, `session.sign_in` (target: the passkey),
 * `session.sign_in_failed`, `session.reauth`, `session.reauth_failed`. Nothing here logs.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { Kysely } from 'kysely';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON
} from '@simplewebauthn/server';
import { DomainError } from '../../errors';
import type { Database, PasskeyTable, PersonAccountTable } from '../db/schema';
import { inTenant } from '../db/tenant';
import { appendAudit } from '../audit/audit';
import { decryptField, encryptField, hashToken } from '../crypto/envelope';
import { dataKeyOf } from './organization.service';
import { readAccountEmail } from './account.service';
import { findAccountByEmailIndex, findAccountById, insertAccount } from './account.repository';
import { findInvitationByTokenHash, markInvitationUsed } from './invitation.repository';
import { markSessionAuthenticated } from './session.repository';
import {
  consumeChallenge,
  countLiveChallenges,
  deleteExpiredChallenges,
  deletePasskey,
  findPasskeyByCredentialId,
  insertChallenge,
  insertPasskey,
  listPasskeysOfAccount,
  markPasskeyUsed
} from './passkey.repository';
import { authenticationResponseSchema, passkeyNameSchema, registrationResponseSchema, type AuthenticationResponse, type RegistrationResponse } from './passkey.schema';
import { findValidInvitation, openSession, type SessionLimits, type SignInResult } from './sign-in.service';
import { parseTenantToken } from './tenant-token';

/** How long a challenge (and the browser's prompt) lasts. */
export const CHALLENGE_MINUTES = 5;
/** Passkeys per person: enough for every device she uses, and a bound on the table. */
export const MAX_PASSKEYS = 20;
/** Live sign-in challenges (anyone may ask for one): past this, new ones are refused. */
export const MAX_LIVE_SIGN_IN_CHALLENGES = 10_000;
/** ES256 and RS256: what platform authenticators and security keys use. */
const ALGORITHMS = [-7, -257];

export type ChallengePurpose = 'invite' | 'register' | 'sign_in' | 'confirm';

export interface RelyingParty {
  /** The WebAuthn RP ID: the host name of ORIGIN. */
  id: string;
  name: string;
  origin: string;
}

/**
 * The relying party of an origin, or null where browsers refuse WebAuthn: an IP address
 * (an RP ID must be a domain) or plain http on another host than localhost.
 */
export function relyingPartyOf(origin: string): RelyingParty | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host || isIP(host)) return null;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (host === 'localhost' || host.endsWith('.localhost')))) return null;
  return { id: host, name: 'Relais', origin: url.origin };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A new user handle: the organization's id (16 bytes) and 16 random bytes, base64url. */
export function newUserHandle(organizationId: string): string {
  if (!UUID.test(organizationId)) throw new Error('an organization id is a UUID');
  return Buffer.concat([Buffer.from(organizationId.replace(/-/g, ''), 'hex'), randomBytes(16)]).toString('base64url');
}

/** The organization a user handle names, or null if it is not one of ours. */
export function organizationOfUserHandle(handle: string | undefined): string | null {
  if (!handle || !/^[A-Za-z0-9_-]{43}$/.test(handle)) return null;
  const hex = Buffer.from(handle, 'base64url').subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function hashChallenge(challenge: string): string {
  return createHash('sha256').update(`relais-webauthn:${challenge}`).digest('hex');
}

async function storeChallenge(
  db: Kysely<Database>,
  challenge: string,
  purpose: ChallengePurpose,
  fields: { organizationId?: string; subject?: string; userHandle?: string },
  now: Date
): Promise<void> {
  await deleteExpiredChallenges(db, now.toISOString());
  await insertChallenge(db, {
    challenge_hash: hashChallenge(challenge),
    purpose,
    organization_id: fields.organizationId ?? null,
    subject: fields.subject ?? null,
    user_handle: fields.userHandle ?? null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000).toISOString()
  });
}

/** The challenge the browser signed (from clientDataJSON), taken out of the store; null if unknown, used, expired or for another purpose. */
async function takeChallenge(db: Kysely<Database>, clientDataJSON: string, purpose: ChallengePurpose, now: Date) {
  let challenge: unknown;
  try {
    challenge = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'))?.challenge;
  } catch {
    return null;
  }
  if (typeof challenge !== 'string' || challenge.length > 200) return null;
  const row = await consumeChallenge(db, hashChallenge(challenge), purpose, now.toISOString());
  return row ? { challenge, row } : null;
}

const bytes = (base64url: string) => new Uint8Array(Buffer.from(base64url, 'base64url'));
const transportsOf = (row: PasskeyTable): string[] => {
  try {
    const list = JSON.parse(row.transports) as unknown;
    return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
};

function registrationOptions(rp: RelyingParty, input: { email: string; userHandle: string; exclude: PasskeyTable[] }) {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: input.email,
    userDisplayName: input.email,
    userID: bytes(input.userHandle),
    attestationType: 'none',
    excludeCredentials: input.exclude.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    supportedAlgorithmIDs: ALGORITHMS,
    timeout: CHALLENGE_MINUTES * 60_000
  });
}

type NewPasskey = NonNullable<Awaited<ReturnType<typeof verifyRegistrationResponse>>['registrationInfo']>;

/** Checks a registration answer against its challenge; null if anything is wrong (never throws). */
async function verifyNewPasskey(rp: RelyingParty, response: RegistrationResponse, challenge: string): Promise<NewPasskey | null> {
  try {
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS
    });
    return result.verified && result.registrationInfo.userVerified ? result.registrationInfo : null;
  } catch {
    // The library's messages can quote what the browser sent: never logged.
    return null;
  }
}

/** Checks an assertion by a stored passkey; the new counter, or null (never throws). */
async function verifyAssertion(rp: RelyingParty, response: AuthenticationResponse, challenge: string, passkey: PasskeyTable): Promise<number | null> {
  try {
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.credential_id, publicKey: bytes(passkey.public_key), counter: Number(passkey.counter), transports: transportsOf(passkey) },
      requireUserVerification: true
    });
    return result.verified && result.authenticationInfo.userVerified ? result.authenticationInfo.newCounter : null;
  } catch {
    return null;
  }
}

function passkeyRow(dataKey: Buffer, info: NewPasskey, input: { organizationId: string; accountId: string; userHandle: string; name: string; now: Date }): PasskeyTable {
  const id = randomUUID();
  return {
    id,
    organization_id: input.organizationId,
    account_id: input.accountId,
    credential_id: info.credential.id,
    public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: JSON.stringify(info.credential.transports ?? []),
    user_handle: input.userHandle,
    name_encrypted: encryptField(dataKey, input.name, { table: 'passkey', column: 'name_encrypted', rowId: id }),
    device_type: info.credentialDeviceType,
    backed_up: info.credentialBackedUp ? 1 : 0,
    created_at: input.now.toISOString(),
    last_used_at: null
  };
}

function parseName(name: unknown): string {
  const parsed = passkeyNameSchema.safeParse(typeof name === 'string' ? name : '');
  if (!parsed.success) throw new DomainError('invalid_input', 'passkey name');
  return parsed.data;
}

function parseRegistration(credential: unknown): RegistrationResponse {
  const parsed = registrationResponseSchema.safeParse(credential);
  if (!parsed.success) throw new DomainError('invalid_input', 'not a passkey registration');
  return parsed.data;
}

// --- at the invitation ------------------------------------------------------------------

/** The row of a valid invitation, in its organization (the link names it: tenant-token.ts). */
async function invitationRow(db: Kysely<Database>, token: string, now: Date) {
  const invitation = await findValidInvitation(db, token, now);
  const named = parseTenantToken(token);
  if (!invitation || !named) return null;
  const row = await inTenant(db, invitation.organizationId, (trx) => findInvitationByTokenHash(trx, invitation.organizationId, hashToken(named.secret)));
  return row ? { invitation, row } : null;
}

/**
 * Registration options for the person a valid invitation names (her email as the
 * passkey's user name). Throws `not_found` for an unknown, used or expired invitation.
 */
export async function invitationPasskeyOptions(
  db: Kysely<Database>,
  masterKey: Buffer,
  rp: RelyingParty,
  input: { token: string; now?: Date }
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const now = input.now ?? new Date();
  const found = await invitationRow(db, input.token, now);
  if (!found) throw new DomainError('not_found', 'no such invitation');
  const { invitation, row } = found;
  const dataKey = await dataKeyOf(db, masterKey, invitation.organizationId);
  const email = decryptField(dataKey, row.email_encrypted, { table: 'invitation', column: 'email_encrypted', rowId: row.id });
  const userHandle = newUserHandle(invitation.organizationId);
  const options = await registrationOptions(rp, { email, userHandle, exclude: [] });
  await storeChallenge(db, options.challenge, 'invite', { organizationId: invitation.organizationId, subject: invitation.id, userHandle }, now);
  return options;
}

/**
 * Turns a valid invitation into an account whose way in is this passkey (no password), and
 * signs her in: returns the session token for the cookie. One transaction.
 * Throws `not_found` (invitation unknown, used or expired), `invalid_input` (the browser's
 * answer or the name does not check out), `conflict` (the address already has an account).
 */
export async function acceptInvitationWithPasskey(
  db: Kysely<Database>,
  masterKey: Buffer,
  rp: RelyingParty,
  input: { token: string; credential: unknown; name?: string; previousToken?: string | null; limits: SessionLimits; now?: Date }
): Promise<{ accountId: string; organizationId: string; passkeyId: string; sessionToken: string }> {
  const now = input.now ?? new Date();
  const found = await invitationRow(db, input.token, now);
  if (!found) throw new DomainError('not_found', 'no such invitation');
  const { invitation, row } = found;
  const response = parseRegistration(input.credential);
  const name = parseName(input.name);
  const taken = await takeChallenge(db, response.response.clientDataJSON, 'invite', now);
  if (!taken || taken.row.subject !== invitation.id || taken.row.organization_id !== invitation.organizationId || !taken.row.user_handle) {
    throw new DomainError('invalid_input', 'unknown challenge');
  }
  const info = await verifyNewPasskey(rp, response, taken.challenge);
  if (!info) throw new DomainError('invalid_input', 'the passkey did not check out');
  const organizationId = invitation.organizationId;
  const dataKey = await dataKeyOf(db, masterKey, organizationId);
  const email = decryptField(dataKey, row.email_encrypted, { table: 'invitation', column: 'email_encrypted', rowId: row.id });
  const accountId = randomUUID();
  const passkey = passkeyRow(dataKey, info, { organizationId, accountId, userHandle: taken.row.user_handle, name, now });
  return inTenant(db, organizationId, async (trx) => {
    // False if the link was used meanwhile.
    if (!(await markInvitationUsed(trx, organizationId, invitation.id, now.toISOString()))) throw new DomainError('not_found', 'no such invitation');
    if (await findAccountByEmailIndex(trx, organizationId, row.email_index)) throw new DomainError('conflict', 'this address already has an account');
    if (await findPasskeyByCredentialId(trx, organizationId, passkey.credential_id)) throw new DomainError('conflict', 'this passkey is registered already');
    await insertAccount(trx, {
      id: accountId,
      organization_id: organizationId,
      email_index: row.email_index,
      email_encrypted: encryptField(dataKey, email, { table: 'person_account', column: 'email_encrypted', rowId: accountId }),
      role: invitation.role,
      status: 'active',
      password_hash: null,
      totp_secret_encrypted: null,
      created_at: now.toISOString()
    });
    await insertPasskey(trx, passkey);
    await appendAudit(trx, { organizationId, actorId: accountId, action: 'invitation.accept', target: { kind: 'invitation', id: invitation.id }, at: now });
    await appendAudit(trx, { organizationId, actorId: accountId, action: 'passkey.register', target: { kind: 'passkey', id: passkey.id }, at: now });
    const sessionToken = await openSession(trx, { organizationId, accountId, previousToken: input.previousToken, limits: input.limits, now });
    await appendAudit(trx, { organizationId, actorId: accountId, action: 'session.sign_in', target: { kind: 'passkey', id: passkey.id }, at: now });
    return { accountId, organizationId, passkeyId: passkey.id, sessionToken };
  });
}

// --- from her staff page ----------------------------------------------------------------

export interface Who {
  organizationId: string;
  accountId: string;
}

async function activeAccount(trx: Kysely<Database>, who: Who): Promise<PersonAccountTable> {
  const account = await findAccountById(trx, who.organizationId, who.accountId);
  if (!account || account.status !== 'active') throw new DomainError('not_found', 'no such account');
  return account;
}

/**
 * Registration options for a signed-in person (her passkeys excluded, so one authenticator
 * does not get two). Throws `conflict` when she has MAX_PASSKEYS already.
 */
export async function passkeyRegistrationOptions(db: Kysely<Database>, masterKey: Buffer, rp: RelyingParty, who: Who, now: Date = new Date()): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return inTenant(db, who.organizationId, async (trx) => {
    const account = await activeAccount(trx, who);
    const existing = await listPasskeysOfAccount(trx, who.organizationId, who.accountId);
    if (existing.length >= MAX_PASSKEYS) throw new DomainError('conflict', 'too many passkeys');
    // Her passkeys share one user handle: an authenticator then keeps one of hers, not two.
    const userHandle = existing[0]?.user_handle ?? newUserHandle(who.organizationId);
    const options = await registrationOptions(rp, { email: await readAccountEmail(trx, masterKey, account), userHandle, exclude: existing });
    await storeChallenge(trx, options.challenge, 'register', { organizationId: who.organizationId, subject: who.accountId, userHandle }, now);
    return options;
  });
}

/**
 * Adds a passkey to a signed-in person's account. Returns its id. Throws `invalid_input`
 * (answer or name), `conflict` (already registered, or too many).
 */
export async function registerPasskey(
  db: Kysely<Database>,
  masterKey: Buffer,
  rp: RelyingParty,
  input: Who & { credential: unknown; name?: string; now?: Date }
): Promise<{ passkeyId: string }> {
  const now = input.now ?? new Date();
  const response = parseRegistration(input.credential);
  const name = parseName(input.name);
  const taken = await takeChallenge(db, response.response.clientDataJSON, 'register', now);
  if (!taken || taken.row.subject !== input.accountId || taken.row.organization_id !== input.organizationId || !taken.row.user_handle) {
    throw new DomainError('invalid_input', 'unknown challenge');
  }
  const info = await verifyNewPasskey(rp, response, taken.challenge);
  if (!info) throw new DomainError('invalid_input', 'the passkey did not check out');
  const dataKey = await dataKeyOf(db, masterKey, input.organizationId);
  const passkey = passkeyRow(dataKey, info, { organizationId: input.organizationId, accountId: input.accountId, userHandle: taken.row.user_handle, name, now });
  return inTenant(db, input.organizationId, async (trx) => {
    await activeAccount(trx, input);
    if ((await listPasskeysOfAccount(trx, input.organizationId, input.accountId)).length >= MAX_PASSKEYS) throw new DomainError('conflict', 'too many passkeys');
    if (await findPasskeyByCredentialId(trx, input.organizationId, passkey.credential_id)) throw new DomainError('conflict', 'this passkey is registered already');
    await insertPasskey(trx, passkey);
    await appendAudit(trx, { organizationId: input.organizationId, actorId: input.accountId, action: 'passkey.register', target: { kind: 'passkey', id: passkey.id }, at: now });
    return { passkeyId: passkey.id };
  });
}

export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Synced between her devices by her password manager or phone maker. */
  synced: boolean;
}

/** Her passkeys, names decrypted, oldest first. */
export async function listPasskeys(db: Kysely<Database>, masterKey: Buffer, who: Who): Promise<PasskeySummary[]> {
  return inTenant(db, who.organizationId, async (trx) => {
    const rows = await listPasskeysOfAccount(trx, who.organizationId, who.accountId);
    if (rows.length === 0) return [];
    const dataKey = await dataKeyOf(trx, masterKey, who.organizationId);
    return rows.map((r) => ({
      id: r.id,
      name: decryptField(dataKey, r.name_encrypted, { table: 'passkey', column: 'name_encrypted', rowId: r.id }),
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      synced: r.backed_up === 1
    }));
  });
}

/**
 * Removes one of her passkeys and audits it. Throws `not_found` (not hers), `conflict` if
 * it is her last way in (no other passkey and no password).
 */
export async function removePasskey(db: Kysely<Database>, input: Who & { passkeyId: string; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  await inTenant(db, input.organizationId, async (trx) => {
    const account = await activeAccount(trx, input);
    const passkeys = await listPasskeysOfAccount(trx, input.organizationId, input.accountId);
    if (!passkeys.some((p) => p.id === input.passkeyId)) throw new DomainError('not_found', 'no such passkey');
    if (passkeys.length === 1 && !account.password_hash) throw new DomainError('conflict', 'her last way in');
    await deletePasskey(trx, input.organizationId, input.accountId, input.passkeyId);
    await appendAudit(trx, { organizationId: input.organizationId, actorId: input.accountId, action: 'passkey.remove', target: { kind: 'passkey', id: input.passkeyId }, at: now });
  });
}

// --- signing in, usernameless -----------------------------------------------------------

/** Options for a sign-in with any passkey of this site. Throws `conflict` if too many are pending. */
export async function passkeySignInOptions(db: Kysely<Database>, rp: RelyingParty, now: Date = new Date()): Promise<PublicKeyCredentialRequestOptionsJSON> {
  if ((await countLiveChallenges(db, 'sign_in', now.toISOString())) >= MAX_LIVE_SIGN_IN_CHALLENGES) throw new DomainError('conflict', 'too many pending sign-ins');
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required', timeout: CHALLENGE_MINUTES * 60_000 });
  await storeChallenge(db, options.challenge, 'sign_in', {}, now);
  return options;
}

/**
 * Signs in with a passkey. The user handle names the organization; the rest runs inside
 * that tenant. Every failure has the same shape; on success the session named by
 * `previousToken` is ended and a new one opened (the session id changes at sign-in).
 * Audits `session.sign_in` (target: the passkey) or `session.sign_in_failed`.
 */
export async function signInWithPasskey(
  db: Kysely<Database>,
  rp: RelyingParty,
  input: { credential: unknown; previousToken?: string | null; limits: SessionLimits; now?: Date }
): Promise<SignInResult> {
  const now = input.now ?? new Date();
  const anonymousFailure = async (): Promise<SignInResult> => {
    await appendAudit(db, { organizationId: null, actorId: 'anonymous', action: 'session.sign_in_failed', at: now });
    return { ok: false, accountId: null, organizationId: null };
  };
  const parsed = authenticationResponseSchema.safeParse(input.credential);
  if (!parsed.success) return anonymousFailure();
  const response = parsed.data;
  const organizationId = organizationOfUserHandle(response.response.userHandle);
  const taken = await takeChallenge(db, response.response.clientDataJSON, 'sign_in', now);
  if (!organizationId || !taken) return anonymousFailure();
  const result = await inTenant(db, organizationId, async (trx): Promise<SignInResult | null> => {
    const passkey = await findPasskeyByCredentialId(trx, organizationId, response.id);
    // Not ours, or a user handle that does not go with this credential: the organization
    // is not confirmed, so nothing is written in its chain.
    if (!passkey || passkey.user_handle !== response.response.userHandle) return null;
    const account = await findAccountById(trx, organizationId, passkey.account_id);
    const counter = await verifyAssertion(rp, response, taken.challenge, passkey);
    if (counter === null || !account || account.status !== 'active') {
      await appendAudit(trx, { organizationId, actorId: passkey.account_id, action: 'session.sign_in_failed', target: { kind: 'person_account', id: passkey.account_id }, at: now });
      return { ok: false, accountId: passkey.account_id, organizationId };
    }
    await markPasskeyUsed(trx, organizationId, passkey.id, counter, now.toISOString());
    const token = await openSession(trx, { organizationId, accountId: account.id, previousToken: input.previousToken, limits: input.limits, now });
    await appendAudit(trx, { organizationId, actorId: account.id, action: 'session.sign_in', target: { kind: 'passkey', id: passkey.id }, at: now });
    return { ok: true, token, accountId: account.id, organizationId, usedRecoveryCode: false };
  });
  return result ?? anonymousFailure();
}

// --- confirming who she is (re-authentication) --------------------------------------------

/** Options to confirm with one of her passkeys, bound to this session. Throws `not_found` if she has none. */
export async function passkeyConfirmOptions(db: Kysely<Database>, rp: RelyingParty, who: Who & { sessionId: string }, now: Date = new Date()): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return inTenant(db, who.organizationId, async (trx) => {
    await activeAccount(trx, who);
    const passkeys = await listPasskeysOfAccount(trx, who.organizationId, who.accountId);
    if (passkeys.length === 0) throw new DomainError('not_found', 'no passkey');
    const options = await generateAuthenticationOptions({
      rpID: rp.id,
      userVerification: 'required',
      allowCredentials: passkeys.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
      timeout: CHALLENGE_MINUTES * 60_000
    });
    await storeChallenge(trx, options.challenge, 'confirm', { organizationId: who.organizationId, subject: who.sessionId }, now);
    return options;
  });
}

/**
 * Confirms who she is with one of HER passkeys, for this session: the session is marked
 * as authenticated now. Returns false (and audits `session.reauth_failed`) otherwise.
 */
export async function confirmWithPasskey(db: Kysely<Database>, rp: RelyingParty, input: { who: Who & { sessionId: string }; credential: unknown; now?: Date }): Promise<boolean> {
  const now = input.now ?? new Date();
  const { who } = input;
  const parsed = authenticationResponseSchema.safeParse(input.credential);
  const taken = parsed.success ? await takeChallenge(db, parsed.data.response.clientDataJSON, 'confirm', now) : null;
  return inTenant(db, who.organizationId, async (trx) => {
    const fail = async () => {
      await appendAudit(trx, { organizationId: who.organizationId, actorId: who.accountId, action: 'session.reauth_failed', target: { kind: 'person_account', id: who.accountId }, at: now });
      return false;
    };
    if (!parsed.success || !taken || taken.row.subject !== who.sessionId || taken.row.organization_id !== who.organizationId) return fail();
    const passkey = await findPasskeyByCredentialId(trx, who.organizationId, parsed.data.id);
    if (!passkey || passkey.account_id !== who.accountId) return fail();
    const counter = await verifyAssertion(rp, parsed.data, taken.challenge, passkey);
    if (counter === null) return fail();
    await markPasskeyUsed(trx, who.organizationId, passkey.id, counter, now.toISOString());
    if (!(await markSessionAuthenticated(trx, who.organizationId, who.sessionId, now.toISOString()))) return fail();
    await appendAudit(trx, { organizationId: who.organizationId, actorId: who.accountId, action: 'session.reauth', target: { kind: 'passkey', id: passkey.id }, at: now });
    return true;
  });
}
