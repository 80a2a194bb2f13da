import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { CONSENTS, CONTENT_NOTES, DEFAULT_CONSENT, TEXT_LANGUAGES } from '$lib/participation/contributions';
import { changeOwnConsent, confirmTranscription, memberConsultation, translateOwn, withdrawOwn, writeContribution } from '$lib/server/participation/contribution.service';
import { readAnswerForm } from '$lib/server/participation/contribution.form';
import { formText, isParticipationFailure, memberContext, participationAction, participationLoad } from '$lib/server/participation/contribution.web';

export const _policy: StaffPolicy = 'participation.take_part';

const DONE = ['paused', 'sent', 'consent', 'translated', 'withdrawn', 'confirmed'] as const;

/**
 * Her page of a consultation, in her language: the chosen questions and her answers, her own
 * contributions (found with this browser's author key) and the workshop transcriptions she
 * may confirm. `?edit=<id>` brings one of hers back into its question's form.
 */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const page = await participationLoad(memberConsultation(await memberContext(event, who), event.params.consultationId));
  const done = DONE.find((d) => d === event.url.searchParams.get('done')) ?? null;
  const editId = event.url.searchParams.get('edit');
  const editing = page.may.edit ? (page.own.find((c) => c.id === editId && c.status !== 'withdrawn') ?? null) : null;
  return { ...page, editing, done, consents: CONSENTS, defaultConsent: DEFAULT_CONSENT, contentNotes: CONTENT_NOTES, languages: TEXT_LANGUAGES };
};

const back = (id: string, done: (typeof DONE)[number], anchor = '#mine') => `/staff/participate/${encodeURIComponent(id)}?done=${done}${anchor}`;
const formOf = (event: { request: Request }) => event.request.formData().catch(() => new FormData());

export const actions: Actions = {
  /** Writes or changes her answer: "pause" keeps a draft, "send" submits it. Multipart (a recording may come with it). */
  write: async (event) => {
    const who = await guard(event, _policy);
    const { values, input } = await readAnswerForm(event.request);
    const result = await participationAction(values, writeContribution(await memberContext(event, who), event.params.consultationId, input), 'write');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.consultationId, result.status === 'draft' ? 'paused' : 'sent'));
  },
  consent: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const contribution = formText(form, 'contribution', 60);
    const consent = formText(form, 'consent', 20);
    const result = await participationAction({ contribution, consent }, changeOwnConsent(await memberContext(event, who), event.params.consultationId, contribution, consent), 'consent');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.consultationId, 'consent'));
  },
  translate: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const contribution = formText(form, 'contribution', 60);
    const values = { contribution, translation: formText(form, 'translation', 12_000), translation_language: formText(form, 'translation_language', 16) };
    const result = await participationAction(values, translateOwn(await memberContext(event, who), event.params.consultationId, contribution, { language: values.translation_language, translation: values.translation }), 'translate');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.consultationId, 'translated'));
  },
  withdraw: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const contribution = formText(form, 'contribution', 60);
    const result = await participationAction({ contribution }, withdrawOwn(await memberContext(event, who), event.params.consultationId, contribution, formText(form, 'erase', 4) === 'on'), 'withdraw');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.consultationId, 'withdrawn'));
  },
  confirm: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const contribution = formText(form, 'contribution', 60);
    const result = await participationAction({ contribution }, confirmTranscription(await memberContext(event, who), event.params.consultationId, contribution, formText(form, 'verdict', 20)), 'confirm');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.consultationId, 'confirmed', '#workshops'));
  }
};
