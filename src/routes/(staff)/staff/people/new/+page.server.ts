import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { CONSENT_SCOPES } from '$lib/server/accompaniment/consent';
import { readOpenPersonForm } from '$lib/server/accompaniment/person.form';
import { openPerson } from '$lib/server/accompaniment/person.service';
import { caseAction, caseContext, isFailure } from '$lib/server/accompaniment/web';

export const _policy: StaffPolicy = 'cases.create';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  void who;
  return { scopes: CONSENT_SCOPES };
};

export const actions: Actions = {
  /** Opens her record with the consent she gave; then her page. */
  default: async (event) => {
    const who = await guard(event, _policy);
    const form = await event.request.formData().catch(() => new FormData());
    const parsed = readOpenPersonForm(form);
    if (!parsed.ok) return fail(400, { problems: parsed.problems, values: parsed.values });
    const ctx = await caseContext(who);
    const result = await caseAction(parsed.values, openPerson(ctx, parsed.value));
    if (isFailure(result)) return result;
    redirect(303, `/staff/people/${result.id}`);
  }
};
