/**
 * A member's sign-in with a one-time code (handed to her by a facilitator when she was
 * enrolled in person). Apart from member.service.ts, so that enrolment — which the command
 * line also runs — does not load the password checks of the sign-in pages.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { appendAudit } from '../audit/audit';
import { inTenant } from '../db/tenant';
import { listOrganizations } from '../accounts/organization.repository';
import { openSession, type SessionLimits } from '../accounts/sign-in.service';
import { normalizeSignInCode, signInCodeHash } from './member.service';

export type CodeSignInResult = { ok: true; token: string; organizationId: string; accountId: string } | { ok: false };

/**
 * Signs a member in with a one-time code: unknown, expired, used, a member who left or a
 * disabled account all give `{ ok: false }` (one answer). On success the code is spent (a
 * conditional update: two requests cannot both use it), the session named by
 * `previousToken` is ended and a new one opened. Audits `session.sign_in`.
 */
export async function signInWithCode(
  db: Kysely<Database>,
  masterKey: Buffer,
  input: { code: string; previousToken?: string | null; limits: SessionLimits; now?: Date }
): Promise<CodeSignInResult> {
  const now = input.now ?? new Date();
  const normalized = normalizeSignInCode(input.code);
  if (!/^[A-Z0-9]{8}$/.test(normalized)) return { ok: false };
  const hash = signInCodeHash(masterKey, normalized);
  // The code does not name its organization: it is looked up in each tenant in turn.
  for (const organization of await listOrganizations(db)) {
    const result = await inTenant(db, organization.id, async (trx): Promise<CodeSignInResult | null> => {
      const row = await trx.selectFrom('member_sign_in_code').selectAll().where('organization_id', '=', organization.id).where('code_hash', '=', hash).executeTakeFirst();
      if (!row) return null;
      if (row.used_at || row.expires_at <= now.toISOString()) return { ok: false };
      const account = await trx.selectFrom('person_account').select(['status', 'role']).where('organization_id', '=', organization.id).where('id', '=', row.account_id).executeTakeFirst();
      const member = await trx.selectFrom('participation_member').select('left_at').where('organization_id', '=', organization.id).where('account_id', '=', row.account_id).executeTakeFirst();
      if (!account || account.status !== 'active' || account.role !== 'member' || !member || member.left_at) return { ok: false };
      const spent = await trx
        .updateTable('member_sign_in_code')
        .set({ used_at: now.toISOString() })
        .where('organization_id', '=', organization.id)
        .where('code_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1) return { ok: false };
      const token = await openSession(trx, { organizationId: organization.id, accountId: row.account_id, previousToken: input.previousToken, limits: input.limits, now });
      await appendAudit(trx, { organizationId: organization.id, actorId: row.account_id, action: 'session.sign_in', target: { kind: 'person_account', id: row.account_id }, at: now });
      return { ok: true, token, organizationId: organization.id, accountId: row.account_id };
    });
    if (result) return result;
  }
  return { ok: false };
}
