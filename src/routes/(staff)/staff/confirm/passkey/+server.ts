import type { RequestHandler } from './$types';
import { DomainError } from '$lib/errors';
import { database } from '$lib/server/db';
import { confirmWithPasskey, passkeyConfirmOptions } from '$lib/server/accounts/passkey.service';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { guard, passkeyJson, passkeyRequest, relyingParty, signInThrottle } from '$lib/server/accounts/web';

export const _policy: StaffPolicy = 'signed_in';

/**
 * Confirms who she is with one of her passkeys, for the script of /staff/confirm:
 * `{ step: 'options' }` then `{ step: 'verify', credential }`. On success this session
 * counts as recently authenticated; the page then sends her back where she was going.
 */
export const POST: RequestHandler = async (event) => {
  const who = await guard(event, _policy);
  const rp = relyingParty();
  if (!rp) return passkeyJson({ ok: false, code: 'unavailable' }, 404);
  const body = await passkeyRequest(event.request);
  if (!body) return passkeyJson({ ok: false, code: 'failed' }, 400);
  const subjects = [`confirm:${who.accountId}`];
  const now = Date.now();
  const wait = signInThrottle.waitFor(subjects, now);
  if (wait > 0) return passkeyJson({ ok: false, code: 'wait', seconds: Math.ceil(wait / 1000) }, 429);
  const { db } = await database();
  if (body.step === 'options') {
    // An attempt counts from its options until a confirmation succeeds (as at sign-in).
    signInThrottle.recordFailure(subjects, now);
    try {
      return passkeyJson(await passkeyConfirmOptions(db, rp, who));
    } catch (e) {
      if (e instanceof DomainError && e.code === 'not_found') return passkeyJson({ ok: false, code: 'failed' }, 400);
      throw e;
    }
  }
  if (!(await confirmWithPasskey(db, rp, { who, credential: body.credential }))) return passkeyJson({ ok: false, code: 'failed' }, 400);
  signInThrottle.reset(subjects);
  return passkeyJson({ ok: true });
};
