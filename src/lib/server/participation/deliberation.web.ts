/**
 * What the deliberation routes share: the use-case context, loads (a missing consultation is
 * the 404 page) and actions (a refused field re-renders the form with its message and her
 * values, with JavaScript off too).
 */
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { DomainError, httpStatusOf } from '../../errors';
import { ParticipationRefusedError, type ParticipationContext } from './deliberation';

export interface Problem {
  field: string;
  key: string;
}

export type DeliberationFailure = ActionFailure<{ problems: Problem[]; values: Record<string, unknown>; form?: string }>;

export { participationContext } from './web';
import { participationContext } from './web';

function httpErrorOf(e: unknown): never {
  if (e instanceof DomainError && (e.code === 'not_found' || e.code === 'forbidden')) error(httpStatusOf(e.code), { code: e.code, message: e.code });
  throw e;
}

/** Runs a load's use case: a missing consultation is the 404 page. */
export function participationLoad<T>(work: Promise<T>): Promise<T> {
  return work.catch(httpErrorOf);
}

/** Runs an action's use case; `form` names which form of the page the problems belong to. */
export async function participationAction<T>(values: Record<string, unknown>, work: Promise<T>, form?: string): Promise<T | DeliberationFailure> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof ParticipationRefusedError) return fail(400, { problems: [{ field: e.field, key: e.key }], values, form });
    if (e instanceof DomainError) {
      if (e.code === 'not_found' || e.code === 'forbidden') httpErrorOf(e);
      return fail(httpStatusOf(e.code), { problems: [{ field: 'form', key: 'participation.deliberation.error.generic' }], values, form });
    }
    throw e;
  }
}

export function isFailure(value: unknown): value is DeliberationFailure {
  return typeof value === 'object' && value !== null && 'status' in value && 'data' in value && (value as { status: number }).status >= 400;
}

/** A form's fields as strings (a field sent twice keeps its first value); lists with `all`. */
export async function formOf(request: Request): Promise<{ get(name: string): string; all(name: string): string[]; values: Record<string, string> }> {
  const data = await request.formData().catch(() => new FormData());
  const values: Record<string, string> = {};
  for (const [k, v] of data) if (typeof v === 'string' && !(k in values)) values[k] = v.slice(0, 10_000);
  return {
    get: (name) => values[name] ?? '',
    all: (name) => data.getAll(name).filter((v): v is string => typeof v === 'string'),
    values
  };
}
