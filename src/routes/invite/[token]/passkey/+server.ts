import type { RequestHandler } from './$types';
import { DomainError } from '$lib/errors';
import { database } from '$lib/server/db';
import { acceptInvitationWithPasskey, invitationPasskeyOptions } from '$lib/server/accounts/passkey.service';
import { masterKey, passkeyJson, passkeyRequest, relyingParty, SESSION_COOKIE, sessionLimits, setSessionCookie } from '$lib/server/accounts/web';

/**
 * Accepting an invitation with a passkey, for the script of the invitation page:
 * `{ step: 'options' }` then `{ step: 'verify', credential, name }`. The account is made
 * with this passkey as its way in and she is signed in. An unknown, used or expired link
 * is a 404, like the page.
 */
export const POST: RequestHandler = async ({ request, params, cookies }) => {
  const rp = relyingParty();
  if (!rp) return passkeyJson({ ok: false, code: 'unavailable' }, 404);
  const body = await passkeyRequest(request);
  if (!body) return passkeyJson({ ok: false, code: 'failed' }, 400);
  const { db } = await database();
  try {
    if (body.step === 'options') return passkeyJson(await invitationPasskeyOptions(db, masterKey(), rp, { token: params.token }));
    const result = await acceptInvitationWithPasskey(db, masterKey(), rp, {
      token: params.token,
      credential: body.credential,
      name: body.name,
      previousToken: cookies.get(SESSION_COOKIE) ?? null,
      limits: sessionLimits()
    });
    setSessionCookie(cookies, result.sessionToken);
    return passkeyJson({ ok: true, next: '/staff' });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'not_found') return passkeyJson({ ok: false, code: 'not_found' }, 404);
    if (e instanceof DomainError && e.code === 'conflict') return passkeyJson({ ok: false, code: 'conflict' }, 409);
    if (e instanceof DomainError && e.code === 'invalid_input') return passkeyJson({ ok: false, code: 'failed' }, 400);
    throw e;
  }
};
