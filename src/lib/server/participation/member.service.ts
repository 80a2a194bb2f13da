/**
 * Members of the participation group (issue 7): enrolment in person or after an email
 * invitation, the one-time sign-in code, leaving, and a facilitator acting on her behalf.
 *
 * A member enrolled in person has no email and no phone. person_account needs an email, so
 * hers is a synthetic, unique `m-<random>@members.invalid`: `.invalid` is reserved (RFC 2606,
 * RFC 6761) and can never be delivered; the mailer refuses it anyway (mail/mailer.ts). It is
 * never shown as an address to write to.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import type { Database } from '../db/schema';
import { appendAudit } from '../audit/audit';
import { blindIndex, decryptField, deriveFromMasterKey, encryptField, hashToken } from '../crypto/envelope';
import { inTenant } from '../db/tenant';
import { dataKeyOf } from '../accounts/organization.service';
import { emailIndex, inviteAccount, isEmail } from '../accounts/account.service';
import { insertAccount } from '../accounts/account.repository';
import { insertSession } from '../accounts/session.repository';
import { newTenantToken } from '../accounts/tenant-token';
import { isMemberLanguage, nowOf, pseudonymsOf, requirePolicy, type ParticipationContext } from './context';

/** The reserved domain of members enrolled without an email (never deliverable). */
export const SYNTHETIC_EMAIL_DOMAIN = 'members.invalid';
export const SIGN_IN_CODE_DAYS = 7;
export const PROXY_MAX_MINUTES = 60;
/** 32 characters without 0/O, 1/I: easy to read aloud and to type. 8 of them: 40 bits. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function isSyntheticEmail(email: string): boolean {
  return /\.invalid$/i.test(email.trim());
}

/** A new code, written `ABCD-EFGH`. */
export function newSignInCode(): string {
  const chars = [...randomBytes(8)].map((b) => CODE_ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** What she typed, upper-cased, without spaces or dashes; `o`→0 is not guessed (no 0 in codes). */
export function normalizeSignInCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * The stored form of a code: an HMAC under a key derived from the master key (40 bits are too
 * few for a plain hash: someone with the database alone could try them all).
 */
export function signInCodeHash(masterKey: Buffer, code: string): string {
  const key = deriveFromMasterKey(masterKey, 'member-sign-in-code', Buffer.from('relais'));
  return createHmac('sha256', key).update(normalizeSignInCode(code)).digest('hex');
}

function pseudonymIndex(key: Buffer, pseudonym: string): string {
  return blindIndex(key, pseudonym, { table: 'participation_member', column: 'pseudonym_index' });
}

function checkPseudonym(pseudonym: string, language: string): void {
  if (pseudonym.trim().length < 1 || pseudonym.trim().length > 60) throw new DomainError('invalid_input', 'pseudonym');
  if (!isMemberLanguage(language)) throw new DomainError('invalid_input', 'language');
}

async function insertMember(trx: Kysely<Database>, key: Buffer, input: { organizationId: string; accountId: string; pseudonym: string; language: string; by: string; at: string }): Promise<void> {
  const index = pseudonymIndex(key, input.pseudonym.trim());
  const taken = await trx.selectFrom('participation_member').select('account_id').where('organization_id', '=', input.organizationId).where('pseudonym_index', '=', index).executeTakeFirst();
  if (taken) throw new DomainError('conflict', 'pseudonym taken');
  await trx
    .insertInto('participation_member')
    .values({
      account_id: input.accountId,
      organization_id: input.organizationId,
      pseudonym_encrypted: encryptField(key, input.pseudonym.trim(), { table: 'participation_member', column: 'pseudonym_encrypted', rowId: input.accountId }),
      pseudonym_index: index,
      language: input.language,
      enrolled_by: input.by,
      enrolled_at: input.at,
      left_at: null
    })
    .execute();
}

/**
 * Enrols in person a member without email or phone: a `member` account with a synthetic
 * `.invalid` address and no credential, and her membership (pseudonym, language). She signs
 * in with a one-time code (`issueSignInCode`), then may add a passkey. Throws `forbidden`,
 * `invalid_input` (pseudonym, language), `conflict` (the pseudonym is taken).
 */
export async function enrolInPerson(ctx: ParticipationContext, input: { pseudonym: string; language: string }): Promise<{ accountId: string }> {
  requirePolicy(ctx.who, 'participation.facilitate');
  checkPseudonym(input.pseudonym, input.language);
  const { organizationId } = ctx.who;
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  const accountId = randomUUID();
  const email = `m-${randomBytes(12).toString('hex')}@${SYNTHETIC_EMAIL_DOMAIN}`;
  const at = nowOf(ctx).toISOString();
  await inTenant(ctx.db, organizationId, async (trx) => {
    await insertAccount(trx, {
      id: accountId,
      organization_id: organizationId,
      email_index: emailIndex(key, email),
      email_encrypted: encryptField(key, email, { table: 'person_account', column: 'email_encrypted', rowId: accountId }),
      role: 'member',
      status: 'active',
      password_hash: null,
      totp_secret_encrypted: null,
      created_at: at
    });
    await insertMember(trx, key, { organizationId, accountId, pseudonym: input.pseudonym, language: input.language, by: ctx.who.accountId, at });
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.member.enrol', target: { kind: 'person_account', id: accountId }, at: nowOf(ctx) });
  });
  return { accountId };
}

/**
 * Invites a member by email: the ordinary invitation (role `member`, /invite/[token]). Her
 * membership is made when a facilitator gives her pseudonym after she accepted
 * (`enrolAccount`): the invitation holds no pseudonym. Refuses `.invalid` addresses.
 */
export async function inviteMember(ctx: ParticipationContext, email: string): Promise<{ token: string; expiresAt: string }> {
  requirePolicy(ctx.who, 'participation.facilitate');
  if (!isEmail(email) || isSyntheticEmail(email)) throw new DomainError('invalid_input', 'email');
  const { token, expiresAt } = await inviteAccount(ctx.db, ctx.masterKey, { organizationId: ctx.who.organizationId, email, role: 'member', actor: { id: ctx.who.accountId }, now: ctx.now });
  return { token, expiresAt };
}

/**
 * Gives a `member` account of the organization (one who accepted an invitation) her
 * membership. Throws `not_found` (no such member account), `conflict` (already enrolled, or
 * the pseudonym is taken), `invalid_input`.
 */
export async function enrolAccount(ctx: ParticipationContext, input: { accountId: string; pseudonym: string; language: string }): Promise<void> {
  requirePolicy(ctx.who, 'participation.facilitate');
  checkPseudonym(input.pseudonym, input.language);
  const { organizationId } = ctx.who;
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  await inTenant(ctx.db, organizationId, async (trx) => {
    const account = await trx.selectFrom('person_account').select(['role']).where('organization_id', '=', organizationId).where('id', '=', input.accountId).executeTakeFirst();
    if (!account || account.role !== 'member') throw new DomainError('not_found', 'no such member account');
    const existing = await trx.selectFrom('participation_member').select('account_id').where('organization_id', '=', organizationId).where('account_id', '=', input.accountId).executeTakeFirst();
    if (existing) throw new DomainError('conflict', 'already enrolled');
    await insertMember(trx, key, { organizationId, accountId: input.accountId, pseudonym: input.pseudonym, language: input.language, by: ctx.who.accountId, at: nowOf(ctx).toISOString() });
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.member.enrol', target: { kind: 'person_account', id: input.accountId }, at: nowOf(ctx) });
  });
}

async function requireCurrentMember(trx: Kysely<Database>, organizationId: string, accountId: string) {
  const member = await trx.selectFrom('participation_member').selectAll().where('organization_id', '=', organizationId).where('account_id', '=', accountId).executeTakeFirst();
  if (!member) throw new DomainError('not_found', 'no such member');
  return member;
}

/**
 * A one-time sign-in code for a member (shown once to the facilitator, who hands it to her):
 * valid SIGN_IN_CODE_DAYS days, single use; her earlier unused codes stop working. Stored
 * as an HMAC only. Throws `not_found` (no such member, or she left).
 */
export async function issueSignInCode(ctx: ParticipationContext, accountId: string): Promise<{ code: string; expiresAt: string }> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  const now = nowOf(ctx);
  const code = newSignInCode();
  const expiresAt = new Date(now.getTime() + SIGN_IN_CODE_DAYS * 86_400_000).toISOString();
  await inTenant(ctx.db, organizationId, async (trx) => {
    const member = await requireCurrentMember(trx, organizationId, accountId);
    if (member.left_at) throw new DomainError('not_found', 'she left');
    await trx.updateTable('member_sign_in_code').set({ used_at: now.toISOString() }).where('organization_id', '=', organizationId).where('account_id', '=', accountId).where('used_at', 'is', null).execute();
    await trx
      .insertInto('member_sign_in_code')
      .values({ code_hash: signInCodeHash(ctx.masterKey, code), organization_id: organizationId, account_id: accountId, created_by: ctx.who.accountId, created_at: now.toISOString(), expires_at: expiresAt, used_at: null })
      .execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.sign_in_code.create', target: { kind: 'person_account', id: accountId }, at: now });
  });
  return { code, expiresAt };
}

/** Marks a member as having left (she stays in past attendance and pay); her unused codes stop working. Throws `not_found`. */
export async function markLeft(ctx: ParticipationContext, accountId: string): Promise<void> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  const now = nowOf(ctx).toISOString();
  await inTenant(ctx.db, organizationId, async (trx) => {
    const member = await requireCurrentMember(trx, organizationId, accountId);
    if (member.left_at) return;
    await trx.updateTable('participation_member').set({ left_at: now }).where('organization_id', '=', organizationId).where('account_id', '=', accountId).execute();
    await trx.updateTable('member_sign_in_code').set({ used_at: now }).where('organization_id', '=', organizationId).where('account_id', '=', accountId).where('used_at', 'is', null).execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.member.leave', target: { kind: 'person_account', id: accountId }, at: nowOf(ctx) });
  });
}

export interface MemberSummary {
  accountId: string;
  pseudonym: string;
  language: string;
  enrolledAt: string;
  leftAt: string | null;
  /** Enrolled in person (no email of hers is known). */
  inPerson: boolean;
  trainingDone: number;
  workshopsAttended: number;
}

/** The group's members (current first, then those who left), by pseudonym, with training done and workshops attended. */
export async function listMembers(ctx: ParticipationContext): Promise<MemberSummary[]> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  const { rows, trainings, attendances, emails } = await inTenant(ctx.db, organizationId, async (trx) => ({
    rows: await trx.selectFrom('participation_member').selectAll().where('organization_id', '=', organizationId).execute(),
    trainings: await trx.selectFrom('training_completion').select('account_id').where('organization_id', '=', organizationId).execute(),
    attendances: await trx
      .selectFrom('workshop_attendance')
      .innerJoin('workshop', 'workshop.id', 'workshop_attendance.workshop_id')
      .select('workshop_attendance.account_id')
      .where('workshop_attendance.organization_id', '=', organizationId)
      .where('workshop.organization_id', '=', organizationId)
      .where('workshop.cancelled_at', 'is', null)
      .execute(),
    emails: await trx.selectFrom('person_account').select(['id', 'email_encrypted']).where('organization_id', '=', organizationId).where('role', '=', 'member').execute()
  }));
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  const names = await pseudonymsOf(ctx.db, ctx.masterKey, organizationId, rows);
  const count = (list: Array<{ account_id: string }>, id: string) => list.filter((r) => r.account_id === id).length;
  const synthetic = new Set(
    emails.filter((e) => isSyntheticEmail(decryptField(key, e.email_encrypted, { table: 'person_account', column: 'email_encrypted', rowId: e.id }))).map((e) => e.id)
  );
  return rows
    .map((r) => ({
      accountId: r.account_id,
      pseudonym: names.get(r.account_id)!,
      language: r.language,
      enrolledAt: r.enrolled_at,
      leftAt: r.left_at,
      inPerson: synthetic.has(r.account_id),
      trainingDone: count(trainings, r.account_id),
      workshopsAttended: count(attendances, r.account_id)
    }))
    .sort((a, b) => Number(a.leftAt !== null) - Number(b.leftAt !== null) || a.pseudonym.localeCompare(b.pseudonym));
}

/** `member` accounts that accepted an email invitation and have no membership yet (their email, to recognise them). */
export async function listAccountsToEnrol(ctx: ParticipationContext): Promise<Array<{ accountId: string; email: string }>> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  const rows = await inTenant(ctx.db, organizationId, (trx) =>
    trx
      .selectFrom('person_account')
      .leftJoin('participation_member', (join) => join.onRef('participation_member.account_id', '=', 'person_account.id').on('participation_member.organization_id', '=', organizationId))
      .select(['person_account.id', 'person_account.email_encrypted'])
      .where('person_account.organization_id', '=', organizationId)
      .where('person_account.role', '=', 'member')
      .where('person_account.status', '=', 'active')
      .where('participation_member.account_id', 'is', null)
      .execute()
  );
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  return rows.map((r) => ({ accountId: r.id, email: decryptField(key, r.email_encrypted, { table: 'person_account', column: 'email_encrypted', rowId: r.id }) }));
}

/**
 * A facilitator acts on a member's behalf: a NEW session of the member's account that ends
 * with the proxy (at most PROXY_MAX_MINUTES), named in proxy_session with the stated reason
 * (encrypted). The session does not count as a fresh authentication (no sensitive action
 * through it). Audits `participation.proxy.start` (actor: the facilitator, target: her
 * account). Returns the token for the cookie. Throws `invalid_input` (reason, minutes),
 * `not_found` (no such member, or she left).
 */
export async function startProxy(ctx: ParticipationContext, input: { memberId: string; reason: string; minutes: number }): Promise<{ token: string; proxyId: string; expiresAt: string }> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const reason = input.reason.trim();
  if (reason.length < 3 || reason.length > 500) throw new DomainError('invalid_input', 'reason');
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > PROXY_MAX_MINUTES) throw new DomainError('invalid_input', 'minutes');
  const { organizationId } = ctx.who;
  const now = nowOf(ctx);
  const expiresAt = new Date(now.getTime() + input.minutes * 60_000).toISOString();
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  const { token, secret } = newTenantToken(organizationId);
  const proxyId = randomUUID();
  await inTenant(ctx.db, organizationId, async (trx) => {
    const member = await requireCurrentMember(trx, organizationId, input.memberId);
    if (member.left_at) throw new DomainError('not_found', 'she left');
    const account = await trx.selectFrom('person_account').select('status').where('organization_id', '=', organizationId).where('id', '=', input.memberId).executeTakeFirst();
    if (account?.status !== 'active') throw new DomainError('not_found', 'disabled');
    await insertSession(trx, {
      id_hash: hashToken(secret),
      organization_id: organizationId,
      account_id: input.memberId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
      ended_at: null,
      authenticated_at: null
    });
    await trx
      .insertInto('proxy_session')
      .values({
        id: proxyId,
        organization_id: organizationId,
        facilitator_id: ctx.who.accountId,
        member_id: input.memberId,
        reason_encrypted: encryptField(key, reason, { table: 'proxy_session', column: 'reason_encrypted', rowId: proxyId }),
        session_id_hash: hashToken(secret),
        started_at: now.toISOString(),
        expires_at: expiresAt,
        ended_at: null
      })
      .execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.proxy.start', target: { kind: 'person_account', id: input.memberId }, at: now });
  });
  return { token, proxyId, expiresAt };
}

/**
 * Ends the proxy under way in this (member's) session, and the session with it. Audits
 * `participation.proxy.end` (actor: the facilitator). Returns the facilitator's id, or null
 * when this session is not a live proxy.
 */
export async function endProxy(db: Kysely<Database>, who: { organizationId: string; sessionId: string }, now: Date = new Date()): Promise<{ facilitatorId: string } | null> {
  return inTenant(db, who.organizationId, async (trx) => {
    const proxy = await trx
      .selectFrom('proxy_session')
      .selectAll()
      .where('organization_id', '=', who.organizationId)
      .where('session_id_hash', '=', who.sessionId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (!proxy) return null;
    await trx.updateTable('proxy_session').set({ ended_at: now.toISOString() }).where('organization_id', '=', who.organizationId).where('id', '=', proxy.id).execute();
    await trx.updateTable('session').set({ ended_at: now.toISOString() }).where('organization_id', '=', who.organizationId).where('id_hash', '=', who.sessionId).where('ended_at', 'is', null).execute();
    await appendAudit(trx, { organizationId: who.organizationId, actorId: proxy.facilitator_id, action: 'participation.proxy.end', target: { kind: 'person_account', id: proxy.member_id }, at: now });
    return { facilitatorId: proxy.facilitator_id };
  });
}

/** The reason of a proxy, for the facilitator's banner (decrypted). */
export async function proxyReason(db: Kysely<Database>, masterKey: Buffer, proxy: { id: string; organization_id: string; reason_encrypted: string }): Promise<string> {
  const key = await dataKeyOf(db, masterKey, proxy.organization_id);
  return decryptField(key, proxy.reason_encrypted, { table: 'proxy_session', column: 'reason_encrypted', rowId: proxy.id });
}
