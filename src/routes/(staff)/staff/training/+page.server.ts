import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { createModule, listModules } from '$lib/server/participation/training.service';
import { MEMBER_LANGUAGES } from '$lib/server/participation/context';
import { integer, isFailure, participationAction, participationContext, readForm } from '$lib/server/participation/web';

export const _policy: StaffPolicy = 'participation.facilitate';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  return { modules: await listModules(await participationContext(who)), languages: MEMBER_LANGUAGES };
};

export const actions: Actions = {
  /** A new module (title, plain text, duration, language); then its page. */
  create: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['title', 'content', 'duration', 'language'], 20_000);
    const created = await participationAction('create', values, createModule(await participationContext(who), { title: values.title!, content: values.content!, durationMinutes: integer(values.duration!), language: values.language! }));
    if (isFailure(created)) return created;
    redirect(303, `/staff/training/${created.id}`);
  }
};
