/**
 * Confirming who she is with her password and a code (the fallback to a passkey:
 * `confirmWithPasskey` in passkey.service.ts). Marks the session as authenticated now.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { appendAudit } from '../audit/audit';
import { findAccountById } from './account.repository';
import { markSessionAuthenticated } from './session.repository';
import { listPasskeysOfAccount } from './passkey.repository';
import { verifyPassword } from './password';
import { secondFactorOk } from './sign-in.service';

/**
 * Her password and a TOTP code (or a recovery code, consumed), for this session. Returns
 * false, and audits `session.reauth_failed`, if anything is wrong; on success audits
 * `session.reauth`. A passkey-only account (no password) always gets false.
 */
export async function confirmWithPassword(
  db: Kysely<Database>,
  masterKey: Buffer,
  input: { who: { organizationId: string; accountId: string; sessionId: string }; password: string; code: string; now?: Date }
): Promise<boolean> {
  const now = input.now ?? new Date();
  const { who } = input;
  const account = await inTenant(db, who.organizationId, (trx) => findAccountById(trx, who.organizationId, who.accountId));
  // argon2 outside any transaction: it takes tens of milliseconds.
  const passwordOk = Boolean(account?.password_hash && account.status === 'active' && (await verifyPassword(account.password_hash, input.password)));
  return inTenant(db, who.organizationId, async (trx) => {
    const factor = passwordOk && account ? await secondFactorOk(trx, masterKey, account, input.code, now) : null;
    if (!factor || !(await markSessionAuthenticated(trx, who.organizationId, who.sessionId, now.toISOString()))) {
      await appendAudit(trx, { organizationId: who.organizationId, actorId: who.accountId, action: 'session.reauth_failed', target: { kind: 'person_account', id: who.accountId }, at: now });
      return false;
    }
    if (factor === 'recovery') await appendAudit(trx, { organizationId: who.organizationId, actorId: who.accountId, action: 'recovery_code.use', at: now });
    await appendAudit(trx, { organizationId: who.organizationId, actorId: who.accountId, action: 'session.reauth', target: { kind: 'person_account', id: who.accountId }, at: now });
    return true;
  });
}

/** How she can confirm who she is: with her password (if she has one) and/or her passkeys. */
export async function confirmationMethods(db: Kysely<Database>, who: { organizationId: string; accountId: string }): Promise<{ password: boolean; passkeys: number }> {
  return inTenant(db, who.organizationId, async (trx) => {
    const account = await findAccountById(trx, who.organizationId, who.accountId);
    const passkeys = await listPasskeysOfAccount(trx, who.organizationId, who.accountId);
    return { password: Boolean(account?.password_hash), passkeys: passkeys.length };
  });
}
