/**
 * Proving again who she is, right before an irreversible or revealing act (an export of a
 * woman's record, an erasure): her password and a fresh code from her authenticator app
 * (or a recovery code), checked with the same functions as sign-in.
 *
 * INTERIM: the re-authentication of the `passkeys` branch (`requireRecentAuth` and the
 * `/staff/confirm` page, a confirmation time on the session) had not landed on main when
 * the export and erasure were built; when it does, those routes call `requireRecentAuth`
 * instead and this file goes (docs/security.md).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { appendAudit } from '../audit/audit';
import { inTenant } from '../db/tenant';
import { decoyHash, verifyPassword } from './password';
import { secondFactorOk, type SignedIn } from './sign-in.service';

/**
 * True when `password` is her password and `code` a TOTP code not used before (or an
 * unused recovery code, then consumed). Audited either way (`session.confirm` or
 * `session.confirm_failed`, her account id only). An over-long password is refused before
 * argon2 runs.
 */
export async function confirmIdentity(db: Kysely<Database>, masterKey: Buffer, who: SignedIn, input: { password: string; code: string }, now: Date = new Date()): Promise<boolean> {
  const account = await inTenant(db, who.organizationId, (trx) =>
    trx.selectFrom('person_account').selectAll().where('organization_id', '=', who.organizationId).where('id', '=', who.accountId).executeTakeFirst()
  );
  let ok = false;
  if (account && account.status === 'active' && account.password_hash && input.password.length <= 256) {
    ok = (await verifyPassword(account.password_hash, input.password)) && (await inTenant(db, who.organizationId, (trx) => secondFactorOk(trx, masterKey, account, input.code, now))) !== null;
  } else {
    // The same cost whatever is wrong.
    await verifyPassword(await decoyHash(), input.password.slice(0, 256));
  }
  await appendAudit(db, {
    organizationId: who.organizationId,
    actorId: who.accountId,
    action: ok ? 'session.confirm' : 'session.confirm_failed',
    target: { kind: 'person_account', id: who.accountId },
    at: now
  });
  return ok;
}
