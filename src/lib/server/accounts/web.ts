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
