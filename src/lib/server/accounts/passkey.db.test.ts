import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { SoftAuthenticator } from '../../../../tests/support/soft-authenticator';
import { auditView, verifyAudit } from '../audit/audit';
import { browseAudit } from '../audit/audit.service';
import { createOrganization } from './organization.service';
import { changeAccountRole, disableAccount, inviteAccount } from './account.service';
import {
  acceptInvitationWithPasskey,
  confirmWithPasskey,
  invitationPasskeyOptions,
  listPasskeys,
  MAX_PASSKEYS,
  newUserHandle,
  organizationOfUserHandle,
  passkeyConfirmOptions,
  passkeyRegistrationOptions,
  passkeySignInOptions,
  registerPasskey,
  relyingPartyOf,
  removePasskey,
  signInWithPasskey
} from './passkey.service';
import { confirmWithPassword } from './reauth.service';
import { acceptInvitationWithPassword, listLiveSessionsByAccount, openSession, readSession } from './sign-in.service';
import { hashToken } from '../crypto/envelope';
import { generateTotpSecret, totpCode } from './totp';

const ORIGIN = 'http://localhost:5173';
const rp = relyingPartyOf(ORIGIN)!;
const cli = { id: 'cli' };
const EMAIL = 'Hortensia.Quillfeather.Fake@example.test';
const OTHER_EMAIL = 'Barnabé.Wexford.Fake@example.test';
const PASSWORD = 'les mouettes dansent sur le port';
const PASSKEY_NAME = 'Téléphone de Hortensia';
const limits = { idleMinutes: 30, maxHours: 12 };
const T0 = new Date('2026-11-30T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('relyingPartyOf and the user handle', () => {
  it('takes the host of ORIGIN; refuses an IP address and plain http off localhost', () => {
    expect(relyingPartyOf('https://relais.example.org')).toEqual({ id: 'relais.example.org', name: 'Relais', origin: 'https://relais.example.org' });
    expect(relyingPartyOf('http://localhost:3000')).toMatchObject({ id: 'localhost', origin: 'http://localhost:3000' });
    expect(relyingPartyOf('http://127.0.0.1:3000')).toBeNull();
    expect(relyingPartyOf('https://[::1]:3000')).toBeNull();
    expect(relyingPartyOf('http://relais.lan')).toBeNull();
    expect(relyingPartyOf('not a url')).toBeNull();
  });
  it('a user handle names the organization and 16 random bytes, nothing about the person', () => {
    const org = '3f2b8c1e-7a4d-4e5f-9a0b-1c2d3e4f5a6b';
    const a = newUserHandle(org);
    const b = newUserHandle(org);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(organizationOfUserHandle(a)).toBe(org);
    expect(organizationOfUserHandle('short')).toBeNull();
    expect(organizationOfUserHandle(undefined)).toBeNull();
    expect(() => newUserHandle('not-a-uuid')).toThrow();
  });
});

describe.each(testDialects())('passkeys on %s', (dialect) => {
  const open = freshDatabases(dialect);

  async function setup() {
    const { db, raw } = await open();
    const masterKey = randomBytes(32);
    const org = await createOrganization(db, masterKey, { name: 'Association Passkeys', actor: cli, now: T0 });
    return { db, raw, masterKey, org };
  }

  /** Her invitation accepted with a passkey at T0: signed in. */
  async function seedWithPasskey() {
    const base = await setup();
    const { db, masterKey, org } = base;
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: EMAIL, role: 'admin', actor: cli, now: T0 });
    const phone = new SoftAuthenticator(ORIGIN);
    const options = await invitationPasskeyOptions(db, masterKey, rp, { token: invitation.token, now: T0 });
    const accepted = await acceptInvitationWithPasskey(db, masterKey, rp, { token: invitation.token, credential: phone.create(options), name: PASSKEY_NAME, limits, now: T0 });
    return { ...base, invitation, phone, accepted };
  }

  it('accepting an invitation with a passkey makes a passwordless account, stores the credential and signs her in', async () => {
    const { db, raw, masterKey, org, invitation, phone, accepted } = await seedWithPasskey();
    const account = await raw.selectFrom('person_account').selectAll().where('id', '=', accepted.accountId).executeTakeFirstOrThrow();
    expect(account).toMatchObject({ organization_id: org.id, role: 'admin', status: 'active', password_hash: null, totp_secret_encrypted: null });
    const row = await raw.selectFrom('passkey').selectAll().where('organization_id', '=', org.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ id: accepted.passkeyId, account_id: accepted.accountId, credential_id: phone.credentials[0]!.id.toString('base64url'), transports: '["internal"]', last_used_at: null });
    expect(Number(row.counter)).toBe(0);
    expect(organizationOfUserHandle(row.user_handle)).toBe(org.id);
    expect(row.user_handle).toBe(phone.credentials[0]!.userHandle.toString('base64url'));
    // The name is encrypted; the list decrypts it.
    expect(row.name_encrypted).not.toContain('Hortensia');
    expect(await listPasskeys(db, masterKey, { organizationId: org.id, accountId: accepted.accountId })).toEqual([
      { id: accepted.passkeyId, name: PASSKEY_NAME, createdAt: T0.toISOString(), lastUsedAt: null, synced: false }
    ]);
    const who = await readSession(db, accepted.sessionToken, limits, at(1));
    expect(who).toMatchObject({ organizationId: org.id, accountId: accepted.accountId, role: 'admin', authenticatedAt: T0.toISOString() });
    // The link is spent; the challenge is gone.
    expect((await raw.selectFrom('invitation').select('used_at').where('id', '=', invitation.invitationId).executeTakeFirstOrThrow()).used_at).toBe(T0.toISOString());
    expect(await raw.selectFrom('webauthn_challenge').selectAll().execute()).toEqual([]);
    const actions = (await raw.selectFrom('audit_entry').select(['action', 'target_kind']).where('chain', '=', org.id).orderBy('seq').execute()).map((e) => `${e.action}:${e.target_kind}`);
    expect(actions).toEqual(['organization.create:organization', 'invitation.create:invitation', 'invitation.accept:invitation', 'passkey.register:passkey', 'session.sign_in:passkey']);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('an invitation answer is refused when it is replayed, for another invitation, from another site, without user verification, or garbage', async () => {
    const { db, raw, masterKey, org } = await setup();
    const one = await inviteAccount(db, masterKey, { organizationId: org.id, email: EMAIL, role: 'member', actor: cli, now: T0 });
    const two = await inviteAccount(db, masterKey, { organizationId: org.id, email: OTHER_EMAIL, role: 'member', actor: cli, now: T0 });
    const phone = new SoftAuthenticator(ORIGIN);
    const accept = (token: string, credential: unknown, now = T0) => acceptInvitationWithPasskey(db, masterKey, rp, { token, credential, limits, now });

    // The answer to invitation one's challenge does not open invitation two.
    const forOne = phone.create(await invitationPasskeyOptions(db, masterKey, rp, { token: one.token, now: T0 }));
    await expect(accept(two.token, forOne)).rejects.toMatchObject({ code: 'invalid_input' });
    // …and the challenge was used up by that try.
    await expect(accept(one.token, forOne)).rejects.toMatchObject({ code: 'invalid_input' });

    for (const tamper of [{ origin: 'https://relais.evil.example' }, { userVerified: false }, { challenge: randomBytes(32).toString('base64url') }]) {
      const options = await invitationPasskeyOptions(db, masterKey, rp, { token: one.token, now: T0 });
      await expect(accept(one.token, phone.create(options, tamper))).rejects.toMatchObject({ code: 'invalid_input' });
    }
    // Expired: the challenge lasts five minutes.
    const late = phone.create(await invitationPasskeyOptions(db, masterKey, rp, { token: one.token, now: T0 }));
    await expect(accept(one.token, late, at(6))).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(accept(one.token, { id: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(accept(one.token, 'garbage')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(invitationPasskeyOptions(db, masterKey, rp, { token: 'A'.repeat(43), now: T0 })).rejects.toMatchObject({ code: 'not_found' });
    // Nothing was created; the link still works.
    expect(await raw.selectFrom('person_account').selectAll().execute()).toEqual([]);
    const good = phone.create(await invitationPasskeyOptions(db, masterKey, rp, { token: one.token, now: T0 }));
    await expect(accept(one.token, good)).resolves.toMatchObject({ organizationId: org.id });
    await expect(accept(one.token, good)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('signs in usernameless: a new session id, the previous one ended, the counter and last use recorded', async () => {
    const { db, raw, org, phone, accepted } = await seedWithPasskey();
    const options = await passkeySignInOptions(db, rp, at(10));
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');
    const result = await signInWithPasskey(db, rp, { credential: phone.get(options), previousToken: accepted.sessionToken, limits, now: at(10) });
    expect(result).toMatchObject({ ok: true, accountId: accepted.accountId, organizationId: org.id });
    if (!result.ok) throw new Error('unreachable');
    expect(result.token).not.toBe(accepted.sessionToken);
    expect(await readSession(db, accepted.sessionToken, limits, at(11))).toBeNull();
    expect(await readSession(db, result.token, limits, at(11))).toMatchObject({ accountId: accepted.accountId, authenticatedAt: at(10).toISOString() });
    const row = await raw.selectFrom('passkey').selectAll().where('id', '=', accepted.passkeyId).executeTakeFirstOrThrow();
    expect(Number(row.counter)).toBe(1);
    expect(row.last_used_at).toBe(at(10).toISOString());
    const last = await raw.selectFrom('audit_entry').selectAll().where('chain', '=', org.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'session.sign_in', actor_id: accepted.accountId, target_kind: 'passkey', target_id: accepted.passkeyId });
  });

  it('refuses a sign-in from another site, unverified, replayed, cloned (counter going back), late, with a forged user handle, or for a disabled account', async () => {
    const { db, raw, masterKey, org, phone, accepted } = await seedWithPasskey();
    const other = await createOrganization(db, masterKey, { name: 'Autre association', actor: cli, now: T0 });
    const signInWith = async (tamper: Parameters<SoftAuthenticator['get']>[1], when = at(10), optionsAt = when) =>
      signInWithPasskey(db, rp, { credential: phone.get(await passkeySignInOptions(db, rp, optionsAt), tamper), limits, now: when });
    expect(await signInWith({ origin: 'https://relais.evil.example' })).toMatchObject({ ok: false });
    expect(await signInWith({ userVerified: false })).toMatchObject({ ok: false });
    expect(await signInWith({ challenge: randomBytes(32).toString('base64url') })).toMatchObject({ ok: false });
    expect(await signInWith({}, at(16), at(10))).toMatchObject({ ok: false });
    expect(await signInWith({ userHandle: newUserHandle(org.id) })).toMatchObject({ ok: false });
    // Her credential presented with the other organization's handle: not found there.
    expect(await signInWith({ userHandle: newUserHandle(other.id) })).toMatchObject({ ok: false, organizationId: null });
    expect(await signInWithPasskey(db, rp, { credential: { nonsense: true }, limits, now: at(10) })).toMatchObject({ ok: false });
    // A good one works once; the same answer again does not (single-use challenge).
    const good = phone.get(await passkeySignInOptions(db, rp, at(10)));
    expect(await signInWithPasskey(db, rp, { credential: good, limits, now: at(10) })).toMatchObject({ ok: true });
    expect(await signInWithPasskey(db, rp, { credential: good, limits, now: at(10) })).toMatchObject({ ok: false });
    // A cloned authenticator answers with an old counter.
    expect(await signInWith({ counter: 1 })).toMatchObject({ ok: false, accountId: accepted.accountId });
    await disableAccount(db, { organizationId: org.id, accountId: accepted.accountId, actor: cli, now: at(11) });
    expect(await signInWith({}, at(12))).toMatchObject({ ok: false });
    const sessions = await raw.selectFrom('session').selectAll().where('ended_at', 'is', null).execute();
    expect(sessions).toEqual([]);
    // Failures with a known passkey go to its organization's chain; the others to the instance chain, with no id.
    const failures = await raw.selectFrom('audit_entry').select(['chain', 'actor_id']).where('action', '=', 'session.sign_in_failed').execute();
    expect(failures.filter((f) => f.chain === org.id).every((f) => f.actor_id === accepted.accountId)).toBe(true);
    expect(failures.filter((f) => f.chain === 'instance').every((f) => f.actor_id === 'anonymous')).toBe(true);
    expect(failures.some((f) => f.chain === other.id)).toBe(false);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('from her staff page: several passkeys share her user handle, named; the list, the limit, removal (never the last way in)', async () => {
    const { db, raw, masterKey, org, phone, accepted } = await seedWithPasskey();
    const who = { organizationId: org.id, accountId: accepted.accountId };
    const laptop = new SoftAuthenticator(ORIGIN);
    const options = await passkeyRegistrationOptions(db, masterKey, rp, who, at(1));
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([phone.credentials[0]!.id.toString('base64url')]);
    expect(options.user.id).toBe(phone.credentials[0]!.userHandle.toString('base64url'));
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.user.name).toBe(EMAIL);
    // The phone already has one of hers.
    expect(() => phone.create(options)).toThrow(/InvalidStateError/);
    await expect(registerPasskey(db, masterKey, rp, { ...who, credential: laptop.create(options), name: 'x'.repeat(61), now: at(1) })).rejects.toMatchObject({ code: 'invalid_input' });
    const second = await registerPasskey(db, masterKey, rp, { ...who, credential: laptop.create(await passkeyRegistrationOptions(db, masterKey, rp, who, at(1))), name: '  Ordinateur   du bureau ', now: at(1) });
    const list = await listPasskeys(db, masterKey, who);
    expect(list.map((p) => p.name)).toEqual([PASSKEY_NAME, 'Ordinateur du bureau']);
    // Either passkey signs her in.
    expect(await signInWithPasskey(db, rp, { credential: laptop.get(await passkeySignInOptions(db, rp, at(2))), limits, now: at(2) })).toMatchObject({ ok: true, accountId: accepted.accountId });

    // Another account of the organization cannot register with her challenge, nor remove her passkeys.
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: OTHER_EMAIL, role: 'member', actor: cli, now: T0 });
    const colleague = await acceptInvitationWithPasskey(db, masterKey, rp, {
      token: invitation.token,
      credential: new SoftAuthenticator(ORIGIN).create(await invitationPasskeyOptions(db, masterKey, rp, { token: invitation.token, now: T0 })),
      limits,
      now: T0
    });
    const hers = new SoftAuthenticator(ORIGIN).create(await passkeyRegistrationOptions(db, masterKey, rp, who, at(3)));
    await expect(registerPasskey(db, masterKey, rp, { organizationId: org.id, accountId: colleague.accountId, credential: hers, now: at(3) })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(removePasskey(db, { organizationId: org.id, accountId: colleague.accountId, passkeyId: second.passkeyId, now: at(3) })).rejects.toMatchObject({ code: 'not_found' });

    await removePasskey(db, { ...who, passkeyId: second.passkeyId, now: at(4) });
    expect((await listPasskeys(db, masterKey, who)).map((p) => p.id)).toEqual([accepted.passkeyId]);
    // She has no password: her last passkey stays.
    await expect(removePasskey(db, { ...who, passkeyId: accepted.passkeyId, now: at(5) })).rejects.toMatchObject({ code: 'conflict' });
    const removed = await raw.selectFrom('audit_entry').selectAll().where('action', '=', 'passkey.remove').execute();
    expect(removed).toMatchObject([{ actor_id: accepted.accountId, target_kind: 'passkey', target_id: second.passkeyId }]);

    // At most MAX_PASSKEYS.
    for (let i = 1; i < MAX_PASSKEYS; i++) {
      const device = new SoftAuthenticator(ORIGIN);
      await registerPasskey(db, masterKey, rp, { ...who, credential: device.create(await passkeyRegistrationOptions(db, masterKey, rp, who, at(6))), now: at(6) });
    }
    await expect(passkeyRegistrationOptions(db, masterKey, rp, who, at(7))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('re-authentication with a passkey is bound to her session and her own passkeys', async () => {
    const { db, raw, masterKey, org, phone, accepted } = await seedWithPasskey();
    const session = (await readSession(db, accepted.sessionToken, limits, at(1)))!;
    const who = { organizationId: org.id, accountId: accepted.accountId, sessionId: session.sessionId };
    const options = await passkeyConfirmOptions(db, rp, who, at(30));
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([phone.credentials[0]!.id.toString('base64url')]);
    // A challenge made for another session does not confirm this one.
    const otherSession = { ...who, sessionId: hashToken('another session') };
    expect(await confirmWithPasskey(db, rp, { who: otherSession, credential: phone.get(options), now: at(30) })).toBe(false);
    // A colleague's passkey does not confirm her.
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: OTHER_EMAIL, role: 'member', actor: cli, now: T0 });
    const colleaguePhone = new SoftAuthenticator(ORIGIN);
    await acceptInvitationWithPasskey(db, masterKey, rp, { token: invitation.token, credential: colleaguePhone.create(await invitationPasskeyOptions(db, masterKey, rp, { token: invitation.token, now: T0 })), limits, now: T0 });
    const withColleagues = colleaguePhone.get({ ...(await passkeyConfirmOptions(db, rp, who, at(30))), allowCredentials: [] });
    expect(await confirmWithPasskey(db, rp, { who, credential: withColleagues, now: at(30) })).toBe(false);
    expect((await readSession(db, accepted.sessionToken, limits, at(30)))!.authenticatedAt).toBe(T0.toISOString());
    expect(await confirmWithPasskey(db, rp, { who, credential: phone.get(await passkeyConfirmOptions(db, rp, who, at(31))), now: at(31) })).toBe(true);
    expect((await readSession(db, accepted.sessionToken, limits, at(32)))!.authenticatedAt).toBe(at(31).toISOString());
    const actions = (await raw.selectFrom('audit_entry').select('action').where('chain', '=', org.id).where('action', 'like', 'session.reauth%').orderBy('seq').execute()).map((e) => e.action);
    expect(actions).toEqual(['session.reauth_failed', 'session.reauth_failed', 'session.reauth']);
  });

  it('re-authentication with a password and a code; a passkey-only account cannot use it', async () => {
    const { db, raw, masterKey, org, accepted } = await seedWithPasskey();
    const passkeyOnly = (await readSession(db, accepted.sessionToken, limits, at(1)))!;
    expect(await confirmWithPassword(db, masterKey, { who: passkeyOnly, password: '', code: '123456', now: at(2) })).toBe(false);

    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: OTHER_EMAIL, role: 'coordinator', actor: cli, now: T0 });
    const secret = generateTotpSecret();
    const account = await acceptInvitationWithPassword(db, masterKey, { token: invitation.token, password: PASSWORD, totpSecret: secret, totpCode: totpCode(secret, T0), now: T0 });
    const opened = await db.transaction().execute((trx) => openSession(trx, { organizationId: org.id, accountId: account.accountId, limits, now: T0 }));
    const who = (await readSession(db, opened, limits, at(1)))!;
    expect(await confirmWithPassword(db, masterKey, { who, password: PASSWORD, code: '000000', now: at(20) })).toBe(false);
    expect(await confirmWithPassword(db, masterKey, { who, password: 'not the password at all', code: totpCode(secret, at(20)), now: at(20) })).toBe(false);
    expect(await confirmWithPassword(db, masterKey, { who, password: PASSWORD, code: totpCode(secret, at(20)), now: at(20) })).toBe(true);
    expect((await readSession(db, opened, limits, at(21)))!.authenticatedAt).toBe(at(20).toISOString());
    // The same code again is refused (no replay); a recovery code works, once.
    expect(await confirmWithPassword(db, masterKey, { who, password: PASSWORD, code: totpCode(secret, at(20)), now: at(20.5) })).toBe(false);
    expect(await confirmWithPassword(db, masterKey, { who, password: PASSWORD, code: account.recoveryCodes[0]!, now: at(22) })).toBe(true);
    expect(await confirmWithPassword(db, masterKey, { who, password: PASSWORD, code: account.recoveryCodes[0]!, now: at(23) })).toBe(false);
  });

  it('an admin changes a role (audited), never her own, never another organization\'s account; sees every session by account', async () => {
    const { db, raw, masterKey, org, accepted } = await seedWithPasskey();
    const other = await createOrganization(db, masterKey, { name: 'Autre', actor: cli, now: T0 });
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: OTHER_EMAIL, role: 'peer_helper', actor: cli, now: T0 });
    const colleague = await acceptInvitationWithPasskey(db, masterKey, rp, {
      token: invitation.token,
      credential: new SoftAuthenticator(ORIGIN).create(await invitationPasskeyOptions(db, masterKey, rp, { token: invitation.token, now: T0 })),
      limits,
      now: T0
    });
    const actor = { id: accepted.accountId };
    await expect(changeAccountRole(db, { organizationId: org.id, accountId: colleague.accountId, role: 'superuser', actor })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(changeAccountRole(db, { organizationId: org.id, accountId: accepted.accountId, role: 'member', actor })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(changeAccountRole(db, { organizationId: other.id, accountId: colleague.accountId, role: 'member', actor })).rejects.toMatchObject({ code: 'not_found' });
    await changeAccountRole(db, { organizationId: org.id, accountId: colleague.accountId, role: 'coordinator', actor, now: at(1) });
    expect(await readSession(db, colleague.sessionToken, limits, at(2))).toMatchObject({ role: 'coordinator' });
    const entry = await raw.selectFrom('audit_entry').selectAll().where('action', '=', 'account.role_change').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ chain: org.id, actor_id: accepted.accountId, target_kind: 'person_account', target_id: colleague.accountId });

    const sessions = await listLiveSessionsByAccount(db, org.id, limits, at(2));
    expect([...sessions.keys()].sort()).toEqual([accepted.accountId, colleague.accountId].sort());
    expect(sessions.get(colleague.accountId)).toHaveLength(1);
    expect((await listLiveSessionsByAccount(db, other.id, limits, at(2))).size).toBe(0);
  });

  it('the audit page: newest first, a page at a time, by person, record and time; a view of a record is logged with ids only', async () => {
    const { db, raw, org, accepted } = await seedWithPasskey();
    for (let i = 0; i < 7; i++) await auditView(db, { organizationId: org.id, actorId: accepted.accountId, target: { kind: 'person', id: `person-${i % 2}` }, at: at(60 + i) });
    await expect(auditView(db, { organizationId: org.id, actorId: accepted.accountId, target: { kind: 'person', id: 'Jeanne Dupont' } })).rejects.toThrow(/ids only/);
    const first = await browseAudit(db, { organizationId: org.id, limit: 4 });
    expect(first.entries.map((e) => e.seq)).toEqual([12, 11, 10, 9]);
    expect(first.entries[0]).toMatchObject({ action: 'record.view', actorId: accepted.accountId, targetKind: 'person', targetId: 'person-0' });
    expect(first.nextBeforeSeq).toBe(9);
    expect(first.chain).toEqual({ entries: 12, problem: null });
    const rest = await browseAudit(db, { organizationId: org.id, limit: 4, beforeSeq: 5 });
    expect(rest.entries.map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    expect(rest.nextBeforeSeq).toBeNull();
    expect((await browseAudit(db, { organizationId: org.id, targetKind: 'person', targetId: 'person-1' })).entries.map((e) => e.seq)).toEqual([11, 9, 7]);
    expect((await browseAudit(db, { organizationId: org.id, actorId: 'cli' })).entries.map((e) => e.action)).toEqual(['invitation.create', 'organization.create']);
    expect((await browseAudit(db, { organizationId: org.id, from: at(61).toISOString(), to: at(63).toISOString() })).entries.map((e) => e.seq)).toEqual([8, 7]);
    // Another organization sees none of it.
    expect((await browseAudit(db, { organizationId: '00000000-0000-4000-8000-000000000000' })).entries).toEqual([]);
    // An edited entry shows on the page.
    await raw.updateTable('audit_entry').set({ target_id: 'person-9' }).where('chain', '=', org.id).where('seq', '=', 7).execute();
    expect((await browseAudit(db, { organizationId: org.id })).chain.problem).toMatchObject({ seq: 7, kind: 'edited' });
  });
});
