import type { RequestHandler } from './$types';
import { DomainError } from '$lib/errors';
import { database } from '$lib/server/db';
import { passkeySignInOptions, signInWithPasskey } from '$lib/server/accounts/passkey.service';
import { passkeyJson, passkeyRequest, relyingParty, SESSION_COOKIE, sessionLimits, setSessionCookie, signInThrottle } from '$lib/server/accounts/web';

/**
 * Sign-in with a passkey (usernameless), for the script of the sign-in page:
 * `{ step: 'options' }` then `{ step: 'verify', credential }`. On success the session
 * cookie is set and the answer says where to go. Every failure has the same answer.
 *
 * Throttled per address, apart from the password form (a signature cannot be guessed, and
 * one counter must not lock the other way in): each options request counts as an attempt
 * until a sign-in succeeds, so nobody can pile up challenges quickly.
 */
export const POST: RequestHandler = async ({ request, cookies, getClientAddress }) => {
  const rp = relyingParty();
  if (!rp) return passkeyJson({ ok: false, code: 'unavailable' }, 404);
  const body = await passkeyRequest(request);
  if (!body) return passkeyJson({ ok: false, code: 'failed' }, 400);
  let address = 'unknown';
  try {
    address = getClientAddress();
  } catch {
    // Behind a proxy without ADDRESS_HEADER: one counter for everyone, still bounded.
  }
  const subjects = [`passkey:${address}`];
  const now = Date.now();
  const wait = signInThrottle.waitFor(subjects, now);
  if (wait > 0) return passkeyJson({ ok: false, code: 'wait', seconds: Math.ceil(wait / 1000) }, 429);
  const { db } = await database();
  if (body.step === 'options') {
    signInThrottle.recordFailure(subjects, now);
    try {
      return passkeyJson(await passkeySignInOptions(db, rp));
    } catch (e) {
      if (e instanceof DomainError && e.code === 'conflict') return passkeyJson({ ok: false, code: 'busy' }, 503);
      throw e;
    }
  }
  const result = await signInWithPasskey(db, rp, { credential: body.credential, previousToken: cookies.get(SESSION_COOKIE) ?? null, limits: sessionLimits() });
  if (!result.ok) return passkeyJson({ ok: false, code: 'failed' }, 400);
  signInThrottle.reset(subjects);
  setSessionCookie(cookies, result.token);
  return passkeyJson({ ok: true, next: '/staff' });
};
