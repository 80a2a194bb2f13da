import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { checkIn } from '$lib/server/participation/workshop.service';
import { isFailure, participationAction, participationContext, readForm } from '$lib/server/participation/web';

export const _policy: StaffPolicy = 'participation.take_part';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  void who;
  return {};
};

export const actions: Actions = {
  /** She types the code given at the door: she is marked present (again: nothing changes). */
  default: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['code'], 20);
    const result = await participationAction('check-in', values, checkIn(await participationContext(who), values.code!));
    if (isFailure(result)) return result;
    return { checkedIn: result };
  }
};
