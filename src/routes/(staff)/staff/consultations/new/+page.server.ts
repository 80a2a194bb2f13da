import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { TEXT_LANGUAGES } from '$lib/participation/contributions';
import { readCreateConsultationForm } from '$lib/server/participation/consultation.form';
import { createConsultation } from '$lib/server/participation/consultation.service';
import { isParticipationFailure, participationAction, participationContext } from '$lib/server/participation/contribution.web';

export const _policy: StaffPolicy = 'participation.facilitate';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  void who;
  return { languages: TEXT_LANGUAGES };
};

export const actions: Actions = {
  /** Creates the consultation with its questions (pasted or from a file), then its page. */
  default: async (event) => {
    const who = await guard(event, _policy);
    const form = await event.request.formData().catch(() => new FormData());
    const parsed = await readCreateConsultationForm(form);
    if (!parsed.ok) return fail(400, { problems: parsed.problems, values: parsed.values });
    const result = await participationAction(parsed.values, createConsultation(await participationContext(who), parsed.value));
    if (isParticipationFailure(result)) return result;
    redirect(303, `/staff/consultations/${result.id}?done=created`);
  }
};
