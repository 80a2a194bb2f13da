import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { createService } from '$lib/server/directory/editing.service';
import { formChoices, formOfService, previewHours, readServiceForm } from '$lib/server/directory/service-form';

export const _policy: StaffPolicy = 'directory.edit';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  return { role: who.role, form: formOfService(null), choices: formChoices(null) };
};

export const actions: Actions = {
  /** Creates the service, then shows it; a bad form comes back with her values and the problems. */
  default: async (event) => {
    const who = await guard(event, _policy);
    const { db } = await database();
    const form = readServiceForm(await event.request.formData().catch(() => new FormData()));
    const answer = await createService(db, who, form);
    if (!answer.ok) return fail(400, { form, problems: answer.problems, preview: previewHours(form, null) });
    redirect(303, `/staff/directory/${encodeURIComponent(answer.id)}?done=created`);
  }
};
