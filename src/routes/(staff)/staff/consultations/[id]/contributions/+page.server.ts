import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { CONSENTS, CONTENT_NOTES, TEXT_LANGUAGES, batchLines, MAX_BATCH_LENGTH } from '$lib/participation/contributions';
import { contributionsForFacilitator, enterWorkshopBatch, transcribeContribution, translateAsFacilitator, withdrawOnRequest } from '$lib/server/participation/contribution.service';
import { formText, isParticipationFailure, participationAction, participationContext, participationLoad } from '$lib/server/participation/contribution.web';

export const _policy: StaffPolicy = 'participation.facilitate';

const DONE = ['transcribed', 'batch', 'withdrawn', 'translated'] as const;

/** Every sent or withdrawn contribution, with nothing about who wrote it; the forms to enter more. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const page = await participationLoad(contributionsForFacilitator(await participationContext(who), event.params.id));
  const done = DONE.find((d) => d === event.url.searchParams.get('done')) ?? null;
  return {
    ...page,
    consents: CONSENTS,
    contentNotes: CONTENT_NOTES,
    languages: TEXT_LANGUAGES,
    done
  };
};

const back = (id: string, done: (typeof DONE)[number]) => `/staff/consultations/${encodeURIComponent(id)}/contributions?done=${done}`;
const formOf = (event: { request: Request }) => event.request.formData().catch(() => new FormData());

export const actions: Actions = {
  /** A facilitator writes down what a member said: no author, sent at once. */
  transcribe: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const values = { question: formText(form, 'question', 60), language: formText(form, 'language', 16), text: formText(form, 'text', 12_000), content_note: formText(form, 'content_note', 40), consent: formText(form, 'consent', 20) };
    const input = { questionId: values.question, language: values.language, text: values.text, contentNote: values.content_note || null, consent: values.consent };
    const result = await participationAction(values, transcribeContribution(await participationContext(who), event.params.id, input), 'transcribe');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.id, 'transcribed'));
  },
  /** A workshop's paper or flip charts: one contribution per line, attributed to the workshop. */
  batch: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const values = {
      workshop: formText(form, 'workshop', 60),
      present_count: formText(form, 'present_count', 6).trim(),
      batch_question: formText(form, 'batch_question', 60),
      batch_language: formText(form, 'batch_language', 16),
      batch_consent: formText(form, 'batch_consent', 20),
      lines: formText(form, 'lines', MAX_BATCH_LENGTH + 1)
    };
    if (values.lines.length > MAX_BATCH_LENGTH) return fail(400, { problems: [{ field: 'lines', key: 'participation.contribution.error.too_long' }], values, form: 'batch' });
    if (!/^\d{1,4}$/.test(values.present_count)) return fail(400, { problems: [{ field: 'present_count', key: 'participation.batch.error.present_count' }], values, form: 'batch' });
    const input = {
      workshopId: values.workshop,
      presentCount: Number(values.present_count),
      questionId: values.batch_question || null,
      language: values.batch_language,
      lines: batchLines(values.lines),
      consent: values.batch_consent
    };
    const result = await participationAction(values, enterWorkshopBatch(await participationContext(who), event.params.id, input), 'batch');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.id, 'batch'));
  },
  /** On a member's request (she points at the text; nobody records who asked). */
  withdraw: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const result = await participationAction({}, withdrawOnRequest(await participationContext(who), event.params.id, formText(form, 'contribution', 60), formText(form, 'erase', 4) === 'on'), 'withdraw');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.id, 'withdrawn'));
  },
  translate: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const contribution = formText(form, 'contribution', 60);
    const values = { contribution, translation: formText(form, 'translation', 12_000), translation_language: formText(form, 'translation_language', 16) };
    const result = await participationAction(values, translateAsFacilitator(await participationContext(who), event.params.id, contribution, { language: values.translation_language, translation: values.translation }), 'translate');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.id, 'translated'));
  }
};
