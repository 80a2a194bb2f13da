import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { signIn } from '$lib/server/accounts/sign-in.service';
import { masterKey, relyingParty, SESSION_COOKIE, sessionLimits, setSessionCookie, signInThrottle } from '$lib/server/accounts/web';

// The load reads no cookie and sets none: it only says whether passkeys can work here.
export const load: PageServerLoad = () => ({ passkeys: relyingParty() !== null });

function text(form: FormData, name: string, max: number): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
}

export const actions: Actions = {
  default: async ({ request, cookies, getClientAddress }) => {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      form = new FormData();
    }
    const email = text(form, 'email', 254).trim();
    const password = text(form, 'password', 1000);
    const code = text(form, 'code', 40).trim();
    const missing = [!email && 'email', !password && 'password', !code && 'code'].filter((f): f is string => Boolean(f));
    if (missing.length > 0) return fail(400, { email, errors: missing.map((field) => ({ field, key: 'staff.error.missing' })) });

    // Per address and per account. The account is named by its email here, before any
    // lookup, so an unknown address is throttled exactly like a known one and the delay
    // says nothing about whether an account exists. Subjects are HMAC'd in memory only.
    let address = 'unknown';
    try {
      address = getClientAddress();
    } catch {
      // Behind a proxy without ADDRESS_HEADER: the per-account counter still applies.
    }
    const subjects = [`address:${address}`, `account:${email.toLowerCase()}`];
    const now = Date.now();
    const wait = signInThrottle.waitFor(subjects, now);
    if (wait > 0) return fail(429, { email, errors: [{ field: null, key: 'staff.sign_in.wait', seconds: Math.ceil(wait / 1000) }] });

    // Counted before it is checked: parallel attempts cannot all pass while argon2 runs.
    signInThrottle.recordFailure(subjects, now);
    const { db } = await database();
    const result = await signIn(db, masterKey(), { email, password, code, previousToken: cookies.get(SESSION_COOKIE) ?? null, limits: sessionLimits() });
    if (!result.ok) return fail(400, { email, errors: [{ field: null, key: 'staff.sign_in.failed' }] });
    signInThrottle.reset([`account:${email.toLowerCase()}`]);
    signInThrottle.forgive([`address:${address}`]);
    setSessionCookie(cookies, result.token);
    redirect(303, '/staff');
  }
};
