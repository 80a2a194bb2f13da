import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { participationContext, participationLoad } from '$lib/server/participation/deliberation.web';
import { buildSubmission } from '$lib/server/participation/submission';

export const _policy: StaffPolicy = 'participation.facilitate';

/** The submission as a print-ready page (the browser prints it or saves it as PDF). */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  return { submission: await participationLoad(buildSubmission(ctx.db, ctx.masterKey, who.organizationId, event.params.id)) };
};
