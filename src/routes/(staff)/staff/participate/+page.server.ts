import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { endProxy } from '$lib/server/participation/member.service';
import { myTraining } from '$lib/server/participation/training.service';
import { myWorkshops, openConsultations } from '$lib/server/participation/workshop.service';
import { myPay } from '$lib/server/participation/pay.service';
import { participationContext } from '$lib/server/participation/web';
import { restoreFacilitatorSession } from '$lib/server/participation/proxy.web';

export const _policy: StaffPolicy = 'participation.take_part';

/** Her home: her next workshops, her training, her hours, the consultations open now. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  const [workshops, training, pay, consultations] = await Promise.all([myWorkshops(ctx), myTraining(ctx), myPay(ctx), openConsultations(ctx)]);
  return { workshops, training, pay, consultations };
};

export const actions: Actions = {
  /** Ends the proxy under way in this session; the facilitator gets her own session back, or signs in again. */
  endProxy: async (event) => {
    const who = await guard(event, _policy);
    const { db } = await database();
    const ended = await endProxy(db, who);
    if (!ended) redirect(303, '/staff/participate');
    const restored = await restoreFacilitatorSession(event.cookies, ended.facilitatorId);
    redirect(303, restored ? '/staff/members' : '/sign-in');
  }
};
