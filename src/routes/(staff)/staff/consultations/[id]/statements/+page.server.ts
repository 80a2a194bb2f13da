import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { formOf, participationAction, participationContext, participationLoad } from '$lib/server/participation/deliberation.web';
import { themesPage } from '$lib/server/participation/themes.service';
import { proposeStatement, removeStatement, statementResults } from '$lib/server/participation/statements.service';

export const _policy: StaffPolicy = 'participation.facilitate';

/** Statements and their results: counts under 5 read "fewer than 5". */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  const themes = await participationLoad(themesPage(ctx, event.params.id));
  return {
    consultation: themes.consultation,
    themes: themes.themes.filter((th) => th.status === 'suggested' || th.status === 'confirmed').map((th) => ({ id: th.id, title: th.title })),
    statements: await participationLoad(statementResults(ctx, event.params.id))
  };
};

export const actions: Actions = {
  propose: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(
      form.values,
      proposeStatement(await participationContext(who), event.params.id, { text: form.get('text'), themeId: form.get('theme'), language: form.get('language') }, 'facilitator'),
      'propose'
    );
    return typeof result === 'string' ? { done: 'propose' } : result;
  },
  remove: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(form.values, removeStatement(await participationContext(who), event.params.id, form.get('statement')), 'remove');
    return result ?? { done: 'remove' };
  }
};
