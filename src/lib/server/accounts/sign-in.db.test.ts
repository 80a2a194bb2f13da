import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { hashToken } from '../crypto/envelope';
import { verifyAudit } from '../audit/audit';
import { createOrganization } from './organization.service';
import { disableAccount, inviteAccount } from './account.service';
import { acceptInvitationWithPassword, endSession, findValidInvitation, listLiveSessions, readSession, signIn } from './sign-in.service';
import { generateTotpSecret, totpCode } from './totp';

const cli = { id: 'cli' };
const EMAIL = 'Quibble.Farnsworth.Fake@example.test';
const PASSWORD = 'une rivière calme sous la pluie';
const limits = { idleMinutes: 30, maxHours: 12 };
const T0 = new Date('2026-11-29T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe.each(testDialects())('password + TOTP sign-in and sessions on %s', (dialect) => {
  const open = freshDatabases(dialect);

  /** An organization, an invitation accepted with a password and TOTP at T0. */
  async function seed() {
    const { db, raw } = await open();
    const masterKey = randomBytes(32);
    const org = await createOrganization(db, masterKey, { name: 'Association Test', actor: cli, now: T0 });
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: EMAIL, role: 'admin', actor: cli, now: T0 });
    const secret = generateTotpSecret();
    const accepted = await acceptInvitationWithPassword(db, masterKey, { token: invitation.token, password: PASSWORD, totpSecret: secret, totpCode: totpCode(secret, T0), now: T0 });
    return { db, raw, masterKey, org, invitation, secret, accepted };
  }

  it('accepting stores argon2id, the TOTP secret encrypted, ten hashed recovery codes; the link is then "not found"', async () => {
    const { db, raw, invitation, secret, accepted } = await seed();
    expect(accepted.recoveryCodes).toHaveLength(10);
    const row = await raw.selectFrom('person_account').selectAll().where('id', '=', accepted.accountId).executeTakeFirstOrThrow();
    expect(row.password_hash?.startsWith('$argon2id$')).toBe(true);
    expect(row.totp_secret_encrypted).not.toContain(secret);
    const codes = await raw.selectFrom('recovery_code').select('code_hash').where('account_id', '=', accepted.accountId).execute();
    expect(codes).toHaveLength(10);
    expect(codes.map((c) => c.code_hash)).not.toContain(accepted.recoveryCodes[0]);
    expect(await findValidInvitation(db, invitation.token, at(1))).toBeNull();
    await expect(
      acceptInvitationWithPassword(db, Buffer.alloc(32), { token: invitation.token, password: PASSWORD, totpSecret: secret, totpCode: totpCode(secret, at(1)), now: at(1) })
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an expired invitation is "not found"; a wrong code or a common password is refused and leaves the link usable', async () => {
    const { db } = await open();
    const masterKey = randomBytes(32);
    const org = await createOrganization(db, masterKey, { name: 'A', actor: cli, now: T0 });
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: EMAIL, role: 'member', actor: cli, now: T0 });
    const secret = generateTotpSecret();
    expect(await findValidInvitation(db, invitation.token, at(72 * 60))).toBeNull();
    expect(await findValidInvitation(db, 'x'.repeat(43), T0)).toBeNull();
    await expect(acceptInvitationWithPassword(db, masterKey, { token: invitation.token, password: PASSWORD, totpSecret: secret, totpCode: '000000', now: T0 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      acceptInvitationWithPassword(db, masterKey, { token: invitation.token, password: 'motdepasse123', totpSecret: secret, totpCode: totpCode(secret, T0), now: T0 })
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await findValidInvitation(db, invitation.token, T0)).not.toBeNull();
  });

  it('signs in with password + TOTP; a replayed code, a wrong password or an unknown address fail alike; all audited without email', async () => {
    const { db, raw, masterKey, secret, accepted } = await seed();
    const ok = await signIn(db, masterKey, { email: EMAIL.toLowerCase(), password: PASSWORD, code: totpCode(secret, at(1)), limits, now: at(1) });
    expect(ok.ok).toBe(true);
    // The same code again (same step): refused.
    const replay = await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code: totpCode(secret, at(1)), limits, now: at(1) });
    expect(replay).toEqual({ ok: false, accountId: accepted.accountId, organizationId: accepted.organizationId });
    const wrong = await signIn(db, masterKey, { email: EMAIL, password: 'not the right password', code: totpCode(secret, at(2)), limits, now: at(2) });
    expect(wrong.ok).toBe(false);
    const unknown = await signIn(db, masterKey, { email: 'nobody@example.test', password: PASSWORD, code: '123456', limits, now: at(2) });
    expect(unknown).toEqual({ ok: false, accountId: null, organizationId: null });
    const audit = await raw.selectFrom('audit_entry').selectAll().orderBy('at').execute();
    expect(audit.filter((e) => e.action === 'session.sign_in')).toHaveLength(1);
    expect(audit.filter((e) => e.action === 'session.sign_in_failed')).toHaveLength(3);
    expect(audit.find((e) => e.action === 'session.sign_in_failed' && e.actor_id === 'anonymous')?.organization_id).toBeNull();
    expect(JSON.stringify(audit)).not.toMatch(/Quibble|nobody/i);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('a recovery code signs in once, then is spent', async () => {
    const { db, masterKey, accepted } = await seed();
    const code = accepted.recoveryCodes[3]!.toUpperCase();
    expect((await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code, limits, now: at(1) })).ok).toBe(true);
    expect((await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code, limits, now: at(2) })).ok).toBe(false);
  });

  it('the session id changes at sign-in: the previous session is ended', async () => {
    const { db, raw, masterKey, secret, org } = await seed();
    const first = await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code: totpCode(secret, at(1)), limits, now: at(1) });
    if (!first.ok) throw new Error('sign-in failed');
    const second = await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code: totpCode(secret, at(2)), previousToken: first.token, limits, now: at(2) });
    if (!second.ok) throw new Error('sign-in failed');
    expect(second.token).not.toBe(first.token);
    expect(await readSession(db, first.token, limits, at(3))).toBeNull();
    expect(await readSession(db, second.token, limits, at(3))).toMatchObject({ role: 'admin' });
    // The cookie is `<organization id>.<secret>`; only the secret's hash is stored.
    const [orgPart, cookieSecret] = second.token.split('.');
    expect(orgPart).toBe(org.id);
    expect(cookieSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await raw.selectFrom('session').select('id_hash').where('id_hash', '=', hashToken(cookieSecret!)).executeTakeFirst();
    expect(row).toBeDefined();
    const stored = JSON.stringify(await raw.selectFrom('session').selectAll().execute());
    expect(stored).not.toContain(cookieSecret);
  });

  it('idle timeout: a request within 30 minutes keeps it alive, 30 minutes of silence ends it', async () => {
    const { db, masterKey, secret } = await seed();
    const s = await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code: totpCode(secret, at(1)), limits, now: at(1) });
    if (!s.ok) throw new Error('sign-in failed');
    expect(await readSession(db, s.token, limits, at(30))).not.toBeNull();
    expect(await readSession(db, s.token, limits, at(59))).not.toBeNull();
    expect(await readSession(db, s.token, limits, at(89))).toBeNull();
    // Ended for good, even if asked "earlier" again.
    expect(await readSession(db, s.token, limits, at(60))).toBeNull();
  });

  it('absolute timeout: 12 hours after sign-in, even when active', async () => {
    const { db, masterKey, secret } = await seed();
    const s = await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code: totpCode(secret, at(0.5)), limits, now: at(0.5) });
    if (!s.ok) throw new Error('sign-in failed');
    for (let m = 20; m < 12 * 60; m += 20) expect(await readSession(db, s.token, limits, at(m))).not.toBeNull();
    expect(await readSession(db, s.token, limits, at(12 * 60 + 1))).toBeNull();
  });

  it('she lists and ends her own sessions, not another account\'s; disabling ends every session at once', async () => {
    const { db, masterKey, secret, accepted, org } = await seed();
    const a = await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code: totpCode(secret, at(1)), limits, now: at(1) });
    const b = await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code: totpCode(secret, at(2)), limits, now: at(2) });
    if (!a.ok || !b.ok) throw new Error('sign-in failed');
    const who = { organizationId: org.id, accountId: accepted.accountId };
    const sessions = await listLiveSessions(db, who, limits, at(3));
    const idOf = (token: string) => hashToken(token.split('.')[1]!);
    expect(sessions.map((s) => s.id)).toEqual([idOf(b.token), idOf(a.token)]);
    expect(await endSession(db, { ...who, accountId: 'someone-else', sessionId: idOf(a.token), actorId: 'x', now: at(3) })).toBe(false);
    expect(await endSession(db, { ...who, sessionId: idOf(a.token), actorId: accepted.accountId, now: at(3) })).toBe(true);
    expect(await readSession(db, a.token, limits, at(4))).toBeNull();
    expect(await readSession(db, b.token, limits, at(4))).not.toBeNull();
    const { sessionsEnded } = await disableAccount(db, { organizationId: org.id, accountId: accepted.accountId, actor: cli, now: at(5) });
    expect(sessionsEnded).toBe(1);
    expect(await readSession(db, b.token, limits, at(6))).toBeNull();
    const again = await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code: totpCode(secret, at(7)), limits, now: at(7) });
    expect(again.ok).toBe(false);
  });

  it('a session, an invitation or an account of another organization is answered like one that does not exist', async () => {
    const { db, masterKey, secret, accepted, org } = await seed();
    const other = await createOrganization(db, masterKey, { name: 'Other', actor: cli, now: T0 });
    const s = await signIn(db, masterKey, { email: EMAIL, password: PASSWORD, code: totpCode(secret, at(1)), limits, now: at(1) });
    if (!s.ok) throw new Error('sign-in failed');
    const moved = (token: string, to: string) => `${to}.${token.split('.')[1]}`;
    // Her cookie, relabelled with another organization: no session there.
    expect(await readSession(db, moved(s.token, other.id), limits, at(2))).toBeNull();
    expect(await readSession(db, `${org.id}.${'A'.repeat(43)}`, limits, at(2))).toBeNull();
    expect(await readSession(db, s.token.split('.')[1], limits, at(2))).toBeNull();
    expect(await readSession(db, s.token, limits, at(2))).toMatchObject({ organizationId: org.id, accountId: accepted.accountId });
    // Another organization's admin names her session or her account: "not found", as for none.
    const sessionId = hashToken(s.token.split('.')[1]!);
    const stranger = { organizationId: other.id, accountId: accepted.accountId };
    expect(await endSession(db, { ...stranger, sessionId, actorId: 'x', now: at(3) })).toBe(false);
    expect(await listLiveSessions(db, stranger, limits, at(3))).toEqual([]);
    await expect(disableAccount(db, { organizationId: other.id, accountId: accepted.accountId, actor: cli, now: at(3) })).rejects.toMatchObject({ code: 'not_found' });
    expect(await readSession(db, s.token, limits, at(4))).not.toBeNull();
    // An invitation link relabelled with another organization is "not found".
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: 'second.fake@example.test', role: 'member', actor: cli, now: T0 });
    expect(await findValidInvitation(db, moved(invitation.token, other.id), at(1))).toBeNull();
    expect(await findValidInvitation(db, invitation.token, at(1))).toMatchObject({ organizationId: org.id });
  });
});
