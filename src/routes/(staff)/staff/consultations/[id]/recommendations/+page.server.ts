import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { formOf, participationAction, participationContext, participationLoad } from '$lib/server/participation/deliberation.web';
import { themesPage } from '$lib/server/participation/themes.service';
import { statementResults } from '$lib/server/participation/statements.service';
import { amendRecommendation, draftRecommendation, listRecommendations, setRecommendationStage } from '$lib/server/participation/recommendations.service';

export const _policy: StaffPolicy = 'participation.facilitate';

/** Recommendations: drafted from statements, amended (versions kept), put to an adoption vote. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  const themes = await participationLoad(themesPage(ctx, event.params.id));
  const statements = await participationLoad(statementResults(ctx, event.params.id));
  return {
    consultation: themes.consultation,
    themes: themes.themes.filter((th) => th.status === 'suggested' || th.status === 'confirmed').map((th) => ({ id: th.id, title: th.title })),
    statements: statements.filter((s) => s.status !== 'removed').map((s) => ({ id: s.id, text: s.text, supported: s.result.supported, agree: s.result.agree, total: s.result.total })),
    recommendations: await participationLoad(listRecommendations(ctx, event.params.id))
  };
};

export const actions: Actions = {
  draft: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(
      { ...form.values, statements: form.all('statements') },
      draftRecommendation(await participationContext(who), event.params.id, { text: form.get('text'), statementIds: form.all('statements'), themeId: form.get('theme') }),
      'draft'
    );
    return typeof result === 'string' ? { done: 'draft' } : result;
  },
  amend: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const id = form.get('recommendation');
    const result = await participationAction(form.values, amendRecommendation(await participationContext(who), event.params.id, id, { text: form.get('text'), note: form.get('note') }), `rec-${id}`);
    return typeof result === 'number' ? { done: 'amend' } : result;
  },
  // Opens the adoption vote on the current version, closes it (the rule decides), or withdraws.
  stage: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const id = form.get('recommendation');
    const stage = form.get('stage');
    const valid = stage === 'open_vote' || stage === 'close_vote' || stage === 'withdraw' ? stage : 'open_vote';
    const result = await participationAction(form.values, setRecommendationStage(await participationContext(who), event.params.id, id, valid), `rec-${id}`);
    return result && 'status' in result && typeof result.status === 'number' ? result : { done: valid };
  }
};
