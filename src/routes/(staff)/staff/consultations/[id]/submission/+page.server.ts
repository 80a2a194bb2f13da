import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { formOf, participationAction, participationContext, participationLoad } from '$lib/server/participation/deliberation.web';
import { buildSubmission, markSubmitted, recordOutcome, updateSubmissionSettings } from '$lib/server/participation/submission';

export const _policy: StaffPolicy = 'participation.facilitate';

/** The submission: the document, its disclosure flags, the exports, and what happened after. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  return { submission: await participationLoad(buildSubmission(ctx.db, ctx.masterKey, who.organizationId, event.params.id)), refused: event.url.searchParams.get('refused') === 'review' };
};

export const actions: Actions = {
  settings: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(
      form.values,
      updateSubmissionSettings(await participationContext(who), event.params.id, { presentation: form.get('presentation'), doNotPublish: form.get('do_not_publish') === 'on' }),
      'settings'
    );
    return result ?? { done: 'settings' };
  },
  submit: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(form.values, markSubmitted(await participationContext(who), event.params.id), 'submit');
    return result ?? { done: 'submit' };
  },
  outcome: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(form.values, recordOutcome(await participationContext(who), event.params.id, form.get('outcome')), 'outcome');
    return result ?? { done: 'outcome' };
  }
};
