import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { isLocale } from '$lib/i18n/locales';
import { signInWithCode } from '$lib/server/participation/member-sign-in.service';
import { masterKey, SESSION_COOKIE, sessionLimits, setSessionCookie, signInCodeThrottle } from '$lib/server/accounts/web';

/**
 * A member enrolled in person signs in with the one-time code a facilitator gave her. The
 * page speaks the language in its address (`?lang=pcm`, the facilitator's link says it);
 * a wrong, expired or used code: one plain message, 400. Throttled per address like the sign-in page, with counters of its own (signInCodeThrottle).
 */
function languageOf(value: string | null | undefined, fallback: string): string {
  return value && isLocale(value) ? value : fallback;
}

export const load: PageServerLoad = ({ url, locals }) => {
  const lang = url.searchParams.get('lang');
  if (lang && isLocale(lang)) locals.locale = lang;
  return { locale: locals.locale };
};

export const actions: Actions = {
  default: async ({ request, cookies, getClientAddress, locals }) => {
    const form = await request.formData().catch(() => new FormData());
    const raw = form.get('code');
    const lang = form.get('lang');
    locals.locale = languageOf(typeof lang === 'string' ? lang : null, locals.locale) as typeof locals.locale;
    const code = typeof raw === 'string' ? raw.slice(0, 40).trim() : '';
    if (!code) return fail(400, { problem: 'participation.sign_in_code.missing', seconds: 0 });
    let address = 'unknown';
    try {
      address = getClientAddress();
    } catch {
      // Behind a proxy without ADDRESS_HEADER: every request shares one counter.
    }
    // The code names no account before it is checked: the address is the only subject.
    const subjects = [`address:${address}`];
    const now = Date.now();
    const wait = signInCodeThrottle.waitFor(subjects, now);
    if (wait > 0) return fail(429, { problem: 'participation.sign_in_code.wait', seconds: Math.ceil(wait / 1000) });
    signInCodeThrottle.recordFailure(subjects, now);
    const { db } = await database();
    const result = await signInWithCode(db, masterKey(), { code, previousToken: cookies.get(SESSION_COOKIE) ?? null, limits: sessionLimits() });
    if (!result.ok) return fail(400, { problem: 'participation.sign_in_code.failed', seconds: 0 });
    signInCodeThrottle.forgive(subjects);
    setSessionCookie(cookies, result.token);
    redirect(303, '/staff/participate');
  }
};
