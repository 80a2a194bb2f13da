/**
 * What the participation routes share: the use cases' contexts (hers carries her browser's
 * cookies, where her author key lives), and one mapping from refusals to answers — a refused
 * field re-renders the form with its message and her values (400), a refused phase switch
 * 409, a consultation or contribution she may not reach the 404 page, a role without the
 * right 403.
 */
import { error, fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { DomainError, httpStatusOf } from '../../errors';
import type { SignedIn } from '../accounts/sign-in.service';
import type { Problem } from '../accompaniment/person.form';
import { PhaseRefusedError, type ParticipationContext } from './consultation.service';
import { ContributionRefusedError, type MemberContext } from './contribution.service';

export { participationContext } from './web';
import { participationContext } from './web';

export async function memberContext(event: Pick<RequestEvent, 'cookies' | 'url'>, who: SignedIn): Promise<MemberContext> {
  return { ...(await participationContext(who)), cookies: event.cookies, secure: event.url.protocol === 'https:' };
}

function httpError(e: unknown): never {
  if (e instanceof DomainError && (e.code === 'not_found' || e.code === 'forbidden')) error(httpStatusOf(e.code), { code: e.code, message: e.code });
  throw e;
}

/** For loads: a missing or hidden record is the 404 page; a role without the right, 403. */
export function participationLoad<T>(work: Promise<T>): Promise<T> {
  return work.catch(httpError);
}

export type ParticipationFailure = ActionFailure<{ problems: Problem[]; values: Record<string, unknown>; form?: string }>;

/** For actions: awaits the use case; a refusal re-renders the form (`form` names which) with her values. */
export async function participationAction<T>(values: Record<string, unknown>, work: Promise<T>, form?: string): Promise<T | ParticipationFailure> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof ContributionRefusedError) return fail(400, { problems: [{ field: e.field, key: e.key }], values, form });
    if (e instanceof PhaseRefusedError) return fail(409, { problems: [{ field: 'form', key: `participation.phase.refused.${e.reason}` }], values, form });
    if (e instanceof DomainError) {
      if (e.code === 'not_found' || e.code === 'forbidden') httpError(e);
      return fail(httpStatusOf(e.code), { problems: [{ field: 'form', key: `participation.error.${e.code}` }], values, form });
    }
    throw e;
  }
}

export function isParticipationFailure(value: unknown): value is ParticipationFailure {
  return typeof value === 'object' && value !== null && 'status' in value && 'data' in value && (value as { status: number }).status >= 400;
}

/** A text field of a form, cut to `max`. */
export function formText(form: FormData, name: string, max = 200): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
}
