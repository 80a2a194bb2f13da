import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { formOf, participationAction, participationContext, participationLoad } from '$lib/server/participation/deliberation.web';
import { createTheme, decideTheme, mapQuestionThemes, placeContribution, summariseTheme, suggestThemesFor, themesPage } from '$lib/server/participation/themes.service';

export const _policy: StaffPolicy = 'participation.facilitate';

/** Themes of a consultation: suggested, decided in workshops, mapped to the chosen questions. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  return { page: await participationLoad(themesPage(await participationContext(who), event.params.id)) };
};

export const actions: Actions = {
  // Runs the local, deterministic grouping over the contributions not yet in a theme.
  suggest: async (event) => {
    const who = await guard(event, _policy);
    const result = await participationAction({}, suggestThemesFor(await participationContext(who), event.params.id), 'suggest');
    return Array.isArray(result) ? { suggested: result.length } : result;
  },
  create: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(form.values, createTheme(await participationContext(who), event.params.id, { title: form.get('title') }), 'create');
    return typeof result === 'string' ? { done: 'create' } : result;
  },
  // What the members decided in a workshop: confirm, rename, merge or reject.
  decide: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(
      form.values,
      decideTheme(await participationContext(who), event.params.id, form.get('theme'), { action: form.get('action'), title: form.get('title'), into: form.get('into'), workshopId: form.get('workshop') }),
      `theme-${form.get('theme')}`
    );
    return result ?? { done: 'decide' };
  },
  summarise: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(form.values, summariseTheme(await participationContext(who), event.params.id, form.get('theme'), form.get('summary')), `theme-${form.get('theme')}`);
    return result ?? { done: 'summarise' };
  },
  // Moves a contribution into a theme, and marks whether the submission quotes it.
  place: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(
      form.values,
      placeContribution(await participationContext(who), event.params.id, { contributionId: form.get('contribution'), toThemeId: form.get('to'), fromThemeId: form.get('from'), quoted: form.get('quoted') === 'on' }),
      `contribution-${form.get('contribution')}`
    );
    return result ?? { done: 'place' };
  },
  map: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const result = await participationAction(form.values, mapQuestionThemes(await participationContext(who), event.params.id, form.get('question'), form.all('themes')), `question-${form.get('question')}`);
    return result ?? { done: 'map' };
  }
};
