import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { confirmationMethods, confirmWithPassword } from '$lib/server/accounts/reauth.service';
import { safeNext } from '$lib/server/accounts/reauth';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { guard, masterKey, relyingParty, signInThrottle } from '$lib/server/accounts/web';

export const _policy: StaffPolicy = 'signed_in';

function text(form: FormData, name: string, max: number): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** What she can confirm with: her passkeys (with JavaScript) and/or her password and a code. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  const methods = await confirmationMethods(db, who);
  return { next: safeNext(event.url.searchParams.get('next')), hasPasskey: methods.passkeys > 0 && relyingParty() !== null, hasPassword: methods.password };
};

export const actions: Actions = {
  /** Password + a TOTP code (or a recovery code), then back to where she was going. */
  default: async (event) => {
    const who = await guard(event, _policy);
    const form = await event.request.formData().catch(() => new FormData());
    const next = safeNext(text(form, 'next', 500));
    const password = text(form, 'password', 1000);
    const code = text(form, 'code', 40).trim();
    const missing = [!password && 'password', !code && 'code'].filter((f): f is string => Boolean(f));
    if (missing.length > 0) return fail(400, { errors: missing.map((field) => ({ field, key: 'staff.error.missing' })) });
    const subjects = [`confirm:${who.accountId}`];
    const now = Date.now();
    const wait = signInThrottle.waitFor(subjects, now);
    if (wait > 0) return fail(429, { errors: [{ field: null, key: 'staff.sign_in.wait', seconds: Math.ceil(wait / 1000) }] });
    signInThrottle.recordFailure(subjects, now);
    const { db } = await database();
    if (!(await confirmWithPassword(db, masterKey(), { who, password, code }))) return fail(400, { errors: [{ field: null, key: 'security.confirm.failed' }] });
    signInThrottle.reset(subjects);
    redirect(303, next);
  }
};
