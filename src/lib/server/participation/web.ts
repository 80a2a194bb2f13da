/**
 * What participation's routes share: the use-case context, reading a form's fields, and
 * one mapping from domain errors to answers — `not_found`/`forbidden` are the 404/403
 * pages; `invalid_input` and `conflict` re-render the form (400/409) with the field's
 * message (`participation.error.<field>`) and her values kept.
 */
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { DomainError, httpStatusOf } from '../../errors';
import { database } from '../db';
import { masterKey } from '../accounts/web';
import type { SignedIn } from '../accounts/sign-in.service';
import type { ParticipationContext } from './context';

export interface Problem {
  field: string;
  key: string;
}
export type Values = Record<string, string>;
export type ParticipationFailure = ActionFailure<{ problems: Problem[]; values: Values; form: string }>;

export async function participationContext(who: SignedIn): Promise<ParticipationContext> {
  const { db } = await database();
  return { db, masterKey: masterKey(), who };
}

/** The form's text fields (trimmed to `max` characters), absent ones as ''. */
export async function readForm(request: Request, names: readonly string[], max = 2000): Promise<{ values: Values; form: FormData }> {
  const form = await request.formData().catch(() => new FormData());
  const values: Values = {};
  for (const name of names) {
    const v = form.get(name);
    values[name] = typeof v === 'string' ? v.slice(0, max) : '';
  }
  return { values, form };
}

/** A whole number from a field, or NaN (the use case refuses it). */
export function integer(text: string): number {
  return /^\s*\d{1,7}\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** For loads: a missing or hidden record is the 404 page; a role without the right, 403. */
export function loadError(e: unknown): never {
  if (e instanceof DomainError && (e.code === 'not_found' || e.code === 'forbidden')) error(httpStatusOf(e.code), { code: e.code, message: e.code });
  throw e;
}

/** The answer for a refused form: 400 with the problems, her values kept. */
export function refuse(formName: string, values: Values, problems: Problem[], status = 400): ParticipationFailure {
  return fail(status, { problems, values, form: formName });
}

/**
 * For actions: awaits the use case (a promise, not a callback: every async function in a
 * route file must start with `guard`); a domain error re-renders the form named `formName`.
 */
export async function participationAction<T>(formName: string, values: Values, work: Promise<T>): Promise<T | ParticipationFailure> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof DomainError) {
      if (e.code === 'not_found' || e.code === 'forbidden') loadError(e);
      if (e.code === 'invalid_input') return refuse(formName, values, [{ field: e.message, key: `participation.error.${e.message}` }]);
      if (e.code === 'conflict') return refuse(formName, values, [{ field: 'form', key: conflictKey(e.message) }], 409);
    }
    throw e;
  }
}

function conflictKey(detail: string): string {
  if (detail === 'pseudonym taken') return 'participation.error.pseudonym_taken';
  if (detail === 'attendance') return 'participation.error.cancel_attended';
  if (detail === 'cancelled') return 'participation.error.cancelled';
  return 'participation.error.conflict';
}

export function isFailure(value: unknown): value is ParticipationFailure {
  return typeof value === 'object' && value !== null && 'status' in value && 'data' in value && (value as { status: number }).status >= 400;
}
