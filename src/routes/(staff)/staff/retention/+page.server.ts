import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { listPurgeDue } from '$lib/server/accompaniment/rights.service';
import { caseContext, caseLoad } from '$lib/server/accompaniment/web';

export const _policy: StaffPolicy = 'cases.retention';

/** Coordinators: the closed records the purge will erase within a month (overdue first). */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  return { items: await caseLoad(listPurgeDue(await caseContext(who))) };
};
