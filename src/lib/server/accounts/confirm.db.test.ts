import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { createOrganization } from './organization.service';
import { acceptInvitation, inviteAccount } from './account.service';
import { acceptInvitationWithPassword, signIn } from './sign-in.service';
import { generateTotpSecret, totpCode } from './totp';
import { confirmIdentity } from './confirm.service';
import type { SignedIn } from './sign-in.service';

const cli = { id: 'cli' };
const PASSWORD = 'une rivière calme sous la pluie';
const T0 = new Date('2026-11-29T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const limits = { idleMinutes: 30, maxHours: 12 };

describe.each(testDialects())('proving again who she is (before an export or an erasure) on %s', (dialect) => {
  const open = freshDatabases(dialect);

  it('needs her password and a code not used before; audited either way, with her account id only', async () => {
    const { db, raw } = await open();
    const masterKey = randomBytes(32);
    const org = await createOrganization(db, masterKey, { name: 'Association', actor: cli, now: T0 });
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: 'Confirmina.Fake@example.test', role: 'coordinator', actor: cli, now: T0 });
    const secret = generateTotpSecret();
    const accepted = await acceptInvitationWithPassword(db, masterKey, { token: invitation.token, password: PASSWORD, totpSecret: secret, totpCode: totpCode(secret, T0), now: T0 });
    const who: SignedIn = { sessionId: 's', organizationId: org.id, accountId: accepted.accountId, role: 'coordinator' };

    expect(await confirmIdentity(db, masterKey, who, { password: 'not her password', code: totpCode(secret, at(1)) }, at(1))).toBe(false);
    expect(await confirmIdentity(db, masterKey, who, { password: PASSWORD, code: '000000' }, at(1))).toBe(false);
    expect(await confirmIdentity(db, masterKey, who, { password: PASSWORD, code: totpCode(secret, at(2)) }, at(2))).toBe(true);
    // The same code twice: refused (no replay), and a code used here cannot sign in.
    expect(await confirmIdentity(db, masterKey, who, { password: PASSWORD, code: totpCode(secret, at(2)) }, at(2))).toBe(false);
    expect((await signIn(db, masterKey, { email: 'confirmina.fake@example.test', password: PASSWORD, code: totpCode(secret, at(2)), limits, now: at(2) })).ok).toBe(false);
    // A recovery code works once.
    const recovery = accepted.recoveryCodes[0]!;
    expect(await confirmIdentity(db, masterKey, who, { password: PASSWORD, code: recovery }, at(3))).toBe(true);
    expect(await confirmIdentity(db, masterKey, who, { password: PASSWORD, code: recovery }, at(4))).toBe(false);
    // An over-long password is refused without hashing it.
    expect(await confirmIdentity(db, masterKey, who, { password: 'x'.repeat(10_000), code: totpCode(secret, at(5)) }, at(5))).toBe(false);

    // An account made without a password (an operator's invitation accepted otherwise) never confirms.
    const bare = await inviteAccount(db, masterKey, { organizationId: org.id, email: 'bare@example.test', role: 'coordinator', actor: cli, now: T0 });
    const bareAccount = await acceptInvitation(db, masterKey, bare.token);
    expect(await confirmIdentity(db, masterKey, { ...who, accountId: bareAccount.accountId }, { password: PASSWORD, code: totpCode(secret, at(6)) }, at(6))).toBe(false);

    const audit = await raw.selectFrom('audit_entry').selectAll().where('chain', '=', org.id).orderBy('seq').execute();
    expect(audit.filter((e) => e.action === 'session.confirm').map((e) => e.target_id)).toEqual([accepted.accountId, accepted.accountId]);
    expect(audit.filter((e) => e.action === 'session.confirm_failed')).toHaveLength(6);
    expect(JSON.stringify(audit)).not.toMatch(/confirmina|rivière/i);
  });
});
