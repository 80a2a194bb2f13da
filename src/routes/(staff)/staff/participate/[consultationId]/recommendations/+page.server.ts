import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { formOf, participationAction, participationContext, participationLoad } from '$lib/server/participation/deliberation.web';
import { castAdoptionVote, memberRecommendations, trainingGate } from '$lib/server/participation/recommendations.service';

export const _policy: StaffPolicy = 'participation.take_part';

/** The recommendations under vote (and those adopted), with her vote; the training gate. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  const id = event.params.consultationId;
  return { consultationId: id, gate: await participationLoad(trainingGate(ctx, id)), recommendations: await participationLoad(memberRecommendations(ctx, id)) };
};

export const actions: Actions = {
  // agree / abstain / disagree / block (a block needs a reason, kept encrypted).
  vote: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const rec = form.get('recommendation');
    const result = await participationAction(form.values, castAdoptionVote(await participationContext(who), event.params.consultationId, rec, { vote: form.get('vote'), reason: form.get('reason') }), `rec-${rec}`);
    return result ?? { voted: rec };
  }
};
