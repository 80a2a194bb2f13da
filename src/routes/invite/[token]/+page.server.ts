import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { DomainError } from '$lib/errors';
import { database } from '$lib/server/db';
import { acceptInvitationWithPassword, findValidInvitation } from '$lib/server/accounts/sign-in.service';
import { passwordProblem } from '$lib/server/accounts/password';
import { base32Decode, generateTotpSecret, otpauthUri, verifyTotp } from '$lib/server/accounts/totp';
import { masterKey, relyingParty } from '$lib/server/accounts/web';

// Unknown, used and expired links all answer exactly like a page that does not exist.
function notFound(): never {
  error(404, { code: 'not_found', message: 'not_found' });
}

export type InviteField = 'password' | 'code';
export interface InviteError {
  field: InviteField | null;
  key: string;
}

export const load: PageServerLoad = async ({ params, request }) => {
  // After the form action, the page is rendered again: the action has already decided
  // (a spent link is then the success page, not "not found"), and its answer holds the secret.
  const passkeys = relyingParty() !== null;
  if (request.method === 'POST') return { secret: '', uri: '', passkeys };
  const { db } = await database();
  if (!(await findValidInvitation(db, params.token))) notFound();
  const secret = generateTotpSecret();
  return { secret, uri: otpauthUri(secret, 'staff'), passkeys };
};

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

export const actions: Actions = {
  default: async ({ request, params }) => {
    const { db } = await database();
    if (!(await findValidInvitation(db, params.token))) notFound();
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      form = new FormData();
    }
    const password = text(form, 'password');
    const code = text(form, 'code').trim().slice(0, 20);
    let secret = text(form, 'secret').replace(/\s/g, '').toUpperCase();
    // A missing or tampered secret: a fresh one (she adds it again to her app).
    if (!/^[A-Z2-7]{32}$/.test(secret) || !base32Decode(secret)) secret = generateTotpSecret();
    const errors: InviteError[] = [];
    const problem = password ? passwordProblem(password) : null;
    if (!password) errors.push({ field: 'password', key: 'staff.error.missing' });
    else if (problem) errors.push({ field: 'password', key: `staff.error.password_${problem}` });
    if (!code) errors.push({ field: 'code', key: 'staff.error.missing' });
    else if (verifyTotp(secret, code, new Date()) === null) errors.push({ field: 'code', key: 'staff.error.code_wrong' });
    // Never the password back: she types it again.
    const kept = { secret, uri: otpauthUri(secret, 'staff'), code };
    if (errors.length > 0) return fail(400, { ...kept, errors });
    try {
      const result = await acceptInvitationWithPassword(db, masterKey(), { token: params.token, password, totpSecret: secret, totpCode: code });
      return { done: true as const, recoveryCodes: result.recoveryCodes };
    } catch (e) {
      if (e instanceof DomainError && e.code === 'not_found') notFound();
      if (e instanceof DomainError && e.code === 'conflict') return fail(400, { ...kept, errors: [{ field: null, key: 'staff.error.conflict' }] });
      if (e instanceof DomainError && e.code === 'invalid_input') return fail(400, { ...kept, errors: [{ field: 'code', key: 'staff.error.code_wrong' }] });
      throw e;
    }
  }
};
