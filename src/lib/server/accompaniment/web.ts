/**
 * What the case tracker's routes share: the signed-in context, and one mapping from domain
 * errors to answers — `not_found` and `forbidden` become the 404/403 pages (a record she may
 * not see is answered like a missing one), anything else re-renders the form with a message.
 */
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { DomainError, httpStatusOf } from '../../errors';
import { database } from '../db';
import { masterKey } from '../accounts/web';
import type { SignedIn } from '../accounts/sign-in.service';
import { StepRefusedError, type CaseContext } from './person.service';
import type { Problem } from './person.form';

/** The context of a use case, for someone `guard` let in (routes call guard first, themselves). */
export async function caseContext(who: SignedIn): Promise<CaseContext> {
  const { db } = await database();
  return { db, masterKey: masterKey(), who };
}

/** Runs a load's use case: a missing or hidden record is the 404 page, a role without the right 403. */
export function caseLoad<T>(work: Promise<T>): Promise<T> {
  return work.catch(httpErrorOf);
}

/** For loads: a missing or hidden record is the 404 page; a role without the right, 403. */
export function httpErrorOf(e: unknown): never {
  if (e instanceof DomainError && (e.code === 'not_found' || e.code === 'forbidden')) error(httpStatusOf(e.code), { code: e.code, message: e.code });
  throw e;
}

export type CaseFailure = ActionFailure<{ problems: Problem[]; values: Record<string, unknown> }>;

/**
 * For actions: awaits the use case; a refused step or a domain error re-renders the form
 * with its message and her values. (Route files pass a promise, not a callback: every async
 * function in a route file must start with `guard`.)
 */
export async function caseAction<T>(values: Record<string, unknown>, work: Promise<T>): Promise<T | CaseFailure> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof StepRefusedError) return fail(400, { problems: [{ field: e.refusal.field ?? 'transition', key: `case.refusal.${e.refusal.code}` }], values });
    if (e instanceof DomainError) {
      if (e.code === 'not_found' || e.code === 'forbidden') httpErrorOf(e);
      return fail(httpStatusOf(e.code), { problems: [{ field: 'form', key: `case.error.${e.code}` }], values });
    }
    throw e;
  }
}

export function isFailure(value: unknown): value is CaseFailure {
  return typeof value === 'object' && value !== null && 'status' in value && 'data' in value && (value as { status: number }).status >= 400;
}
