import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { momentOf } from '$lib/server/accompaniment/person.form';
import { readProcedure, recordStep } from '$lib/server/accompaniment/person.service';
import { caseAction, caseContext, caseLoad, isFailure } from '$lib/server/accompaniment/web';
import { PROCEDURES } from '$lib/accompaniment/procedures';

export const _policy: StaffPolicy = 'cases';

/** A procedure's history and the form for its next step (`?step=<transition>` chooses which). */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const view = await caseLoad(readProcedure(await caseContext(who), event.params.procedureId));
  if (view.personId !== event.params.id) error(404, { code: 'not_found', message: 'not_found' });
  const asked = event.url.searchParams.get('step');
  const step = view.allowed.includes(asked ?? '') ? asked : view.allowed.length === 1 ? view.allowed[0]! : null;
  const transition = step ? (PROCEDURES[view.kind].transitions.find((t) => t.id === step) ?? null) : null;
  return { view, step, fields: transition?.fields ?? [], recorded: event.url.searchParams.has('recorded') };
};

export const actions: Actions = {
  /** Records the chosen step; a refused step re-renders the form with the reason and her values. */
  step: async (event) => {
    const who = await guard(event, _policy);
    const form = await event.request.formData().catch(() => new FormData());
    const values: Record<string, string> = {};
    for (const [key, value] of form.entries()) if (typeof value === 'string') values[key] = value.slice(0, key === 'note' ? 5000 : 60);
    const transition = values.transition ?? '';
    if (!values.at_date) return fail(400, { problems: [{ field: 'at_date', key: 'case.refusal.missing_field' }], values });
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
      if (key.endsWith('__date')) {
        const name = key.slice(0, -'__date'.length);
        fields[name] = value.trim() === '' ? '' : momentOf(value, values[`${name}__time`] ?? '');
      } else if (!key.endsWith('__time') && !['transition', 'at_date', 'at_time', 'note'].includes(key)) {
        fields[key] = value;
      }
    }
    const note = (values.note ?? '').trim() || null;
    const ctx = await caseContext(who);
    const result = await caseAction(values, recordStep(ctx, event.params.procedureId, { transition, at: momentOf(values.at_date, values.at_time ?? ''), fields }, note));
    if (isFailure(result)) {
      // The refusal names a machine field: point at its input.
      const problems = result.data.problems.map((p) => ({ ...p, field: p.field === 'at' ? 'at_date' : p.field }));
      return fail(result.status, { problems, values });
    }
    redirect(303, `/staff/people/${encodeURIComponent(event.params.id)}/procedures/${encodeURIComponent(event.params.procedureId)}?recorded=1`);
  }
};
