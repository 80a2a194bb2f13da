import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { canDoCase } from '$lib/server/accompaniment/person.policy';
import { breakGlass, listHelperAccounts, listPersons } from '$lib/server/accompaniment/person.service';
import { caseAction, caseContext, caseLoad, isFailure } from '$lib/server/accompaniment/web';
import { isProcedureKind, PROCEDURE_KINDS } from '$lib/accompaniment/procedures';

export const _policy: StaffPolicy = 'cases';

/** The people she may see: search by exact pseudonym, status, helper, procedure, overdue. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await caseContext(who);
  const p = event.url.searchParams;
  const filters = {
    q: (p.get('q') ?? '').slice(0, 60),
    status: (p.get('status') === 'open' || p.get('status') === 'closed' ? p.get('status') : '') as 'open' | 'closed' | '',
    helper: (p.get('helper') ?? '').slice(0, 40),
    kind: isProcedureKind(p.get('kind')) ? (p.get('kind') as string) : '',
    overdue: p.get('overdue') === '1',
    page: Math.max(1, Number.parseInt(p.get('page') ?? '1', 10) || 1),
    // Keyset pages (next/previous links): cheap wherever they are in a long list.
    after: (p.get('after') ?? '').slice(0, 200),
    before: (p.get('before') ?? '').slice(0, 200)
  };
  const result = await caseLoad(
    listPersons(ctx, {
      pseudonym: filters.q.trim() || undefined,
      status: filters.status || undefined,
      helperId: filters.helper || undefined,
      kind: isProcedureKind(filters.kind) ? filters.kind : undefined,
      overdue: filters.overdue,
      page: filters.page,
      after: filters.after || undefined,
      before: filters.before || undefined
    })
  );
  const helpers = await caseLoad(listHelperAccounts(ctx));
  return { ...result, filters, helpers, kinds: PROCEDURE_KINDS, canCreate: canDoCase(who.role, 'case.create'), erased: p.get('erased') === '1' };
};

export const actions: Actions = {
  /** A coordinator opens a record not assigned to her, with a written reason. */
  breakGlass: async (event) => {
    const who = await guard(event, 'cases');
    const form = await event.request.formData().catch(() => new FormData());
    const person = String(form.get('person') ?? '').slice(0, 40);
    const reason = String(form.get('reason') ?? '').slice(0, 1000);
    if (reason.trim().length < 10) return fail(400, { problems: [{ field: 'reason', key: 'case.glass.reason_short' }], values: { reason, person } });
    const ctx = await caseContext(who);
    const result = await caseAction({ reason, person }, breakGlass(ctx, person, reason));
    if (isFailure(result)) return result;
    redirect(303, `/staff/people/${encodeURIComponent(person)}`);
  }
};
