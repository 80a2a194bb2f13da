import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { isPhase, openablePhases, PHASES } from '$lib/participation/phases';
import { TEXT_LANGUAGES } from '$lib/participation/contributions';
import { readQuestions, readUpdateConsultationForm } from '$lib/server/participation/consultation.form';
import { addQuestions, chooseQuestion, consultationForFacilitator, switchPhase, updateConsultation } from '$lib/server/participation/consultation.service';
import { formText, isParticipationFailure, participationAction, participationContext, participationLoad } from '$lib/server/participation/contribution.web';

export const _policy: StaffPolicy = 'participation.facilitate';

const DONE = ['created', 'saved', 'chosen', 'opened', 'closed', 'added'] as const;

/** The consultation: its questions and the "we will answer this" switches, its details, its phases. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const page = await participationLoad(consultationForFacilitator(await participationContext(who), event.params.id));
  const done = DONE.find((d) => d === event.url.searchParams.get('done')) ?? null;
  return { ...page, openable: openablePhases(page.state), phases: PHASES, languages: TEXT_LANGUAGES, done };
};

const back = (id: string, done: (typeof DONE)[number], anchor = '') => `/staff/consultations/${encodeURIComponent(id)}?done=${done}${anchor}`;
const formOf = (event: { request: Request }) => event.request.formData().catch(() => new FormData());

export const actions: Actions = {
  details: async (event) => {
    const who = await guard(event, _policy);
    const parsed = readUpdateConsultationForm(await formOf(event));
    if (!parsed.ok) return fail(400, { problems: parsed.problems, values: parsed.values, form: 'details' });
    const result = await participationAction(parsed.values, updateConsultation(await participationContext(who), event.params.id, parsed.value), 'details');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.id, 'saved', '#details'));
  },
  choose: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const chosen = formText(form, 'chosen', 4) === '1';
    const result = await participationAction({}, chooseQuestion(await participationContext(who), event.params.id, formText(form, 'question', 60), chosen), 'questions');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.id, 'chosen', '#call-questions'));
  },
  questions: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event);
    const read = await readQuestions(form);
    const values = { questions: formText(form, 'questions', 200_000) };
    if (!read.ok) return fail(400, { problems: [read.problem], values, form: 'questions' });
    if (read.questions.length === 0) return fail(400, { problems: [{ field: 'questions', key: 'participation.consultation.error.questions' }], values, form: 'questions' });
    const result = await participationAction(values, addQuestions(await participationContext(who), event.params.id, read.questions), 'questions');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.id, 'added', '#call-questions'));
  },
  open: async (event) => {
    const who = await guard(event, _policy);
    const phase = formText(await formOf(event), 'phase', 20);
    if (!isPhase(phase)) return fail(400, { problems: [{ field: 'form', key: 'participation.phase.refused.unknown' }], values: {}, form: 'phases' });
    const result = await participationAction({}, switchPhase(await participationContext(who), event.params.id, { kind: 'open', phase }), 'phases');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.id, 'opened', '#phases'));
  },
  close: async (event) => {
    const who = await guard(event, _policy);
    const phase = formText(await formOf(event), 'phase', 20);
    if (!isPhase(phase)) return fail(400, { problems: [{ field: 'form', key: 'participation.phase.refused.unknown' }], values: {}, form: 'phases' });
    const result = await participationAction({}, switchPhase(await participationContext(who), event.params.id, { kind: 'close', phase }), 'phases');
    if (isParticipationFailure(result)) return result;
    redirect(303, back(event.params.id, 'closed', '#phases'));
  }
};
