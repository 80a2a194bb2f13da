import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { exportPerson, personSummary } from '$lib/server/accompaniment/rights.service';
import { caseAction, caseContext, caseLoad, isFailure } from '$lib/server/accompaniment/web';
import { confirmOrFail } from '$lib/server/accompaniment/rights.web';

export const _policy: StaffPolicy = 'cases.export';

const PROBLEMS = { confirm: 'case.confirm.error.failed', wait: 'case.confirm.error.wait' } as const;

/**
 * Her right of access: what the export holds, and the form where the staff member proves
 * again who she is. A failed JSON download comes back here with `?problem=`.
 */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const person = await caseLoad(personSummary(await caseContext(who), event.params.id, 'case.export'));
  const problem = event.url.searchParams.get('problem');
  const key = problem && problem in PROBLEMS ? PROBLEMS[problem as keyof typeof PROBLEMS] : null;
  return { person, problems: key ? [{ field: 'password', key }] : [] };
};

export const actions: Actions = {
  // The printable page: after she proves who she is, the whole export (audited).
  default: async (event) => {
    const who = await guard(event, _policy);
    const ctx = await caseContext(who);
    const seen = await caseAction({}, personSummary(ctx, event.params.id, 'case.export'));
    if (isFailure(seen)) return seen;
    const failed = await confirmOrFail(who, await event.request.formData().catch(() => new FormData()));
    if (failed) return failed;
    const result = await caseAction({}, exportPerson(ctx, event.params.id));
    if (isFailure(result)) return result;
    return { export: result };
  }
};
