/**
 * What the routes of her documents, her export and her erasure share: reading an upload
 * (a multipart form) without ever answering 500, the mapping of a refused document to its
 * message, and the confirmation of who the staff member is before an export or an erasure.
 */
import { fail } from '@sveltejs/kit';
import { database } from '../db';
import { masterKey, signInThrottle } from '../accounts/web';
import { confirmIdentity } from '../accounts/confirm.service';
import type { SignedIn } from '../accounts/sign-in.service';
import { MAX_DOCUMENT_BYTES, UPLOAD_BODY_LIMIT } from './document-type';
import { DocumentRefusedError, type DocumentRefusal } from './document.service';
import { caseAction, type CaseFailure } from './web';
import type { Problem } from './person.form';


export type Upload = { ok: true; name: string; bytes: Buffer } | { ok: false; status: number; reason: DocumentRefusal | 'missing' | 'unreadable' };

/**
 * The file of an upload form (`file`), read into memory once it is known to be at most
 * MAX_DOCUMENT_BYTES. A body over the server's limit (refused by adapter-node while it is
 * read), a declared or real size over the maximum: `too_big`; no file chosen: `missing`.
 */
export async function readUpload(request: Request): Promise<Upload> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > UPLOAD_BODY_LIMIT) return { ok: false, status: 413, reason: 'too_big' };
  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    const status = (error as { status?: number }).status;
    return status === 413 ? { ok: false, status: 413, reason: 'too_big' } : { ok: false, status: 400, reason: 'unreadable' };
  }
  const file = form.get('file');
  if (!(file instanceof File) || (file.size === 0 && file.name === '')) return { ok: false, status: 400, reason: 'missing' };
  if (file.size === 0) return { ok: false, status: 400, reason: 'empty' };
  if (file.size > MAX_DOCUMENT_BYTES) return { ok: false, status: 413, reason: 'too_big' };
  return { ok: true, name: file.name.slice(0, 500), bytes: Buffer.from(await file.arrayBuffer()) };
}

/** The form failure for a refused upload (`case.documents.error.<reason>`), nothing stored. */
export function uploadFailure(status: number, reason: string): CaseFailure {
  return fail(status, { problems: [{ field: 'file', key: `case.documents.error.${reason}` }], values: {} });
}

/** Like caseAction, with a refused document's own message. */
export function documentAction<T>(work: Promise<T>): Promise<T | CaseFailure> {
  return caseAction(
    {},
    work.catch((e: unknown) => {
      if (e instanceof DocumentRefusedError) return uploadFailure(e.reason === 'too_big' ? 413 : e.reason === 'closed' ? 409 : 400, e.reason) as T;
      throw e;
    })
  );
}

const text = (form: FormData, name: string, max: number) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
};

/**
 * She proves again who she is (password + a fresh code) before an export or an erasure:
 * null when she did, else the form's failure. Throttled like sign-in, per account, in
 * memory; the password is never sent back to the page.
 */
export async function confirmOrFail(who: SignedIn, form: FormData, values: Record<string, unknown> = {}): Promise<CaseFailure | null> {
  const password = text(form, 'password', 300);
  const code = text(form, 'code', 40).trim();
  const problems: Problem[] = [];
  if (!password) problems.push({ field: 'password', key: 'case.confirm.error.password' });
  if (!code) problems.push({ field: 'code', key: 'case.confirm.error.code' });
  if (problems.length) return fail(400, { problems, values });
  const subjects = [`confirm:${who.organizationId}:${who.accountId}`];
  const now = Date.now();
  if (signInThrottle.waitFor(subjects, now) > 0) return fail(429, { problems: [{ field: 'form', key: 'case.confirm.error.wait' }], values });
  // Counted before it is checked: parallel attempts cannot all pass while argon2 runs.
  signInThrottle.recordFailure(subjects, now);
  const { db } = await database();
  if (!(await confirmIdentity(db, masterKey(), who, { password, code }))) return fail(400, { problems: [{ field: 'password', key: 'case.confirm.error.failed' }], values });
  signInThrottle.reset(subjects);
  return null;
}
