import type { RequestHandler } from './$types';
import { DomainError } from '$lib/errors';
import { database } from '$lib/server/db';
import { passkeyRegistrationOptions, registerPasskey } from '$lib/server/accounts/passkey.service';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { guard, masterKey, passkeyJson, passkeyRequest, relyingParty, requireRecentAuth } from '$lib/server/accounts/web';

export const _policy: StaffPolicy = 'signed_in';

/**
 * Adds a passkey to her account, for the script of the staff page: `{ step: 'options' }`
 * then `{ step: 'verify', credential, name }`. A new way in is a sensitive change: she must
 * have proved who she is in the last minutes (otherwise a 303 to /staff/confirm, which the
 * script follows).
 */
export const POST: RequestHandler = async (event) => {
  const who = await guard(event, _policy);
  requireRecentAuth(event, who);
  const rp = relyingParty();
  if (!rp) return passkeyJson({ ok: false, code: 'unavailable' }, 404);
  const body = await passkeyRequest(event.request);
  if (!body) return passkeyJson({ ok: false, code: 'failed' }, 400);
  const { db } = await database();
  try {
    if (body.step === 'options') return passkeyJson(await passkeyRegistrationOptions(db, masterKey(), rp, who));
    await registerPasskey(db, masterKey(), rp, { organizationId: who.organizationId, accountId: who.accountId, credential: body.credential, name: body.name });
    return passkeyJson({ ok: true, next: '/staff' });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'conflict') return passkeyJson({ ok: false, code: 'conflict' }, 409);
    if (e instanceof DomainError && (e.code === 'invalid_input' || e.code === 'not_found')) return passkeyJson({ ok: false, code: 'failed' }, 400);
    throw e;
  }
};
