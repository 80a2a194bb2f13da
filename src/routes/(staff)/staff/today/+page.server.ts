import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { canDoCase } from '$lib/server/accompaniment/person.policy';
import { DASHBOARD_GROUP_LIMIT, dashboard } from '$lib/server/accompaniment/person.service';
import { caseContext, caseLoad } from '$lib/server/accompaniment/web';

export const _policy: StaffPolicy = 'cases';

/** "What needs doing": hers, or the association's for a coordinator (`?scope=association`). */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const association = event.url.searchParams.get('scope') === 'association' && canDoCase(who.role, 'case.association_dashboard');
  const ctx = await caseContext(who);
  const items = await caseLoad(dashboard(ctx, association ? 'association' : 'mine'));
  // Lists cut at the limit say so, and where to find the rest.
  const overdue = items.filter((i) => i.group === 'overdue' || i.group === 'waiting').length;
  const cut = { overdue: overdue >= DASHBOARD_GROUP_LIMIT, coming: items.length - overdue >= DASHBOARD_GROUP_LIMIT, limit: DASHBOARD_GROUP_LIMIT };
  return { items, cut, scope: association ? 'association' : 'mine', canSeeAssociation: canDoCase(who.role, 'case.association_dashboard'), now: new Date().toISOString() };
};
