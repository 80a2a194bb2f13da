import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { moduleForMember } from '$lib/server/participation/training.service';
import { loadError, participationContext } from '$lib/server/participation/web';

export const _policy: StaffPolicy = 'participation.take_part';

/** A training module as she reads it. A facilitator records that she completed it (training.service.ts says why). */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const module = await moduleForMember(await participationContext(who), event.params.id).catch(loadError);
  return { module };
};
