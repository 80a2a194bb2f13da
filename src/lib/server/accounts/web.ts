/**
 * What the web routes of sign-in need: the master key, the session cookie and `guard`.
 * Only staff routes, the sign-in page and the invitation page import this; public pages
 * never read or set a cookie.
 */
import { error, redirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { appConfig } from '../app-config';
import { readMasterKey } from '../crypto/master-key';
import { database } from '../db';
import { readSession, type SessionLimits, type SignedIn } from './sign-in.service';
import { allows, type StaffPolicy } from './staff.policy';
import { Throttle } from './throttle';
import { relyingPartyOf, type RelyingParty } from './passkey.service';
import { passkeyRequestSchema } from './passkey.schema';
import { confirmUrl, isRecentlyAuthenticated, RECENT_AUTH_MINUTES } from './reauth';

export const SESSION_COOKIE = 'relais_session';

let key: Buffer | undefined;
export function masterKey(): Buffer {
  key ??= readMasterKey(appConfig().masterKeyFile);
  return key;
}

export function sessionLimits(): SessionLimits {
  const config = appConfig();
  return { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours };
}

/** One throttle for the process (see throttle.ts for why the counters live in memory). */
export const signInThrottle = new Throttle();

/**
 * Members' one-time codes (`/sign-in/code`) have their own counters: guesses at a code from
 * the association's network must not slow down the staff's sign-in from the same address,
 * nor the other way round.
 */
export const signInCodeThrottle = new Throttle();

export function setSessionCookie(cookies: Cookies, token: string): void {
  cookies.set(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: appConfig().origin.startsWith('https:'),
    // No Max-Age: a browser session cookie; the server ends the session at 30 min idle / 12 h.
  });
}

export function clearSessionCookie(cookies: Cookies): void {
  cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: appConfig().origin.startsWith('https:') });
}

/**
 * The first line of every signed-in load, action and endpoint. No live session: a redirect
 * to /sign-in (303). A session whose role the policy does not allow: 403.
 */
export async function guard(event: Pick<RequestEvent, 'cookies'>, policy: StaffPolicy): Promise<SignedIn> {
  const { db } = await database();
  const who = await readSession(db, event.cookies.get(SESSION_COOKIE), sessionLimits());
  if (!who) redirect(303, '/sign-in');
  if (!allows(who.role, policy)) error(403, { code: 'forbidden', message: 'forbidden' });
  return who;
}

/**
 * Before a sensitive action (an export, an erasure, a role change, disabling an account):
 * if she has not proved who she is in this session in the last `maxAgeMinutes` (sign-in or
 * /staff/confirm), a 303 to `/staff/confirm?next=…`, which brings her back here after.
 * Call it right after `guard`, in the action or endpoint:
 *
 *     const who = await guard(event, 'accounts.change_role');
 *     requireRecentAuth(event, who);
 *
 * After a form action (POST) she comes back to the page (its path, without `?/action`) and
 * presses the button again; after a GET (a download) to the same address with its query.
 */
export function requireRecentAuth(event: Pick<RequestEvent, 'url' | 'request'>, who: Pick<SignedIn, 'authenticatedAt'>, maxAgeMinutes: number = RECENT_AUTH_MINUTES): void {
  if (isRecentlyAuthenticated(who.authenticatedAt, maxAgeMinutes, new Date())) return;
  const next = event.request.method === 'GET' || event.request.method === 'HEAD' ? event.url.pathname + event.url.search : event.url.pathname;
  redirect(303, confirmUrl(next));
}

/** The WebAuthn relying party of this instance (its ORIGIN), or null where passkeys cannot work (an IP address, plain http off localhost). */
export function relyingParty(): RelyingParty | null {
  return relyingPartyOf(appConfig().origin);
}

/** The JSON body of a passkey endpoint (`{ step: 'options' }` or `{ step: 'verify', credential, name? }`), or null. */
export function passkeyRequest(request: Request) {
  if (!(request.headers.get('content-type') ?? '').startsWith('application/json')) return Promise.resolve(null);
  if (Number(request.headers.get('content-length') ?? '0') > 64_000) return Promise.resolve(null);
  return request
    .text()
    .then((text) => {
      if (text.length > 64_000) return null;
      const parsed = passkeyRequestSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    })
    .catch(() => null);
}

/** A JSON answer of a passkey endpoint, never cached. */
export function passkeyJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
