/**
 * The facilitator's own session while she acts on a member's behalf: kept aside in an
 * HttpOnly, SameSite=Strict cookie of her browser (the same browser that held it a moment
 * ago, so nothing new is exposed), and given back when the proxy ends if it is still live
 * and hers. Otherwise she signs in again.
 */
import type { Cookies } from '@sveltejs/kit';
import { database } from '../db';
import { appConfig } from '../app-config';
import { clearSessionCookie, sessionLimits, setSessionCookie } from '../accounts/web';
import { readSession } from '../accounts/sign-in.service';

export const PROXY_RETURN_COOKIE = 'relais_proxy_return';

/** Gives the facilitator her own session back; false when it is over (she signs in again). */
export async function restoreFacilitatorSession(cookies: Cookies, facilitatorId: string): Promise<boolean> {
  const own = cookies.get(PROXY_RETURN_COOKIE);
  cookies.delete(PROXY_RETURN_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: appConfig().origin.startsWith('https:') });
  if (!own) {
    clearSessionCookie(cookies);
    return false;
  }
  const { db } = await database();
  const who = await readSession(db, own, sessionLimits());
  if (!who || who.accountId !== facilitatorId) {
    clearSessionCookie(cookies);
    return false;
  }
  setSessionCookie(cookies, own);
  return true;
}
