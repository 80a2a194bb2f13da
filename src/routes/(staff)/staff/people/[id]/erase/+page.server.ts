import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { erasePerson, personSummary } from '$lib/server/accompaniment/rights.service';
import { caseAction, caseContext, caseLoad, isFailure } from '$lib/server/accompaniment/web';
import { confirmOrFail } from '$lib/server/accompaniment/rights.web';

export const _policy: StaffPolicy = 'cases.erase';

/** The confirmation page: what erasing her destroys and keeps, and the proof of who acts. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  return { person: await caseLoad(personSummary(await caseContext(who), event.params.id, 'case.erase')) };
};

export const actions: Actions = {
  // Irreversible: she ticks that she understands, proves who she is, then her record is erased.
  default: async (event) => {
    const who = await guard(event, _policy);
    const ctx = await caseContext(who);
    const seen = await caseAction({}, personSummary(ctx, event.params.id, 'case.erase'));
    if (isFailure(seen)) return seen;
    const form = await event.request.formData().catch(() => new FormData());
    if (form.get('understood') !== 'on') return fail(400, { problems: [{ field: 'understood', key: 'case.erase.error.understood' }], values: {} });
    const failed = await confirmOrFail(who, form, { understood: 'on' });
    if (failed) return failed;
    const result = await caseAction({}, erasePerson(ctx, event.params.id));
    if (isFailure(result)) return result;
    redirect(303, '/staff/people?erased=1');
  }
};
