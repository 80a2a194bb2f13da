/**
 * Consultations (issue 7): a call for input — who asks, the deadline, the link, its questions
 * — the questions the association chooses to answer, and the phases a facilitator opens and
 * closes (collect → group → agree → write → submit; which moves are allowed is
 * `participation/phases.ts`). Facilitators only (coordinators and admins); every change is
 * audited, ids only.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import { refuseMove, type Phase, type PhaseRefusal, type PhaseState } from '../../participation/phases';
import type { ParsedQuestion } from '../../participation/questions';
import { MAX_QUESTIONS } from '../../participation/questions';
import { allows } from '../accounts/staff.policy';
import type { SignedIn } from '../accounts/sign-in.service';
import { appendAudit } from '../audit/audit';
import type { Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { consultationOf, listPhaseHistory, type Consultation } from './consultation.repository';

export type { ParticipationContext } from './context';
import type { ParticipationContext } from './context';

export interface ConsultationDetails {
  title: string;
  requester: string;
  callUrl: string | null;
  deadline: string | null;
  summary: string | null;
  language: string;
}

export interface CreateConsultationInput extends ConsultationDetails {
  questions: ParsedQuestion[];
}

export interface UpdateConsultationInput extends ConsultationDetails {
  requiredModuleId: string | null;
  presentation: string | null;
}

/** A phase switch refused by the rules of phases.ts (`participation.phase.refused.<reason>`). */
export class PhaseRefusedError extends DomainError {
  constructor(readonly reason: PhaseRefusal) {
    super('conflict', `phase switch refused: ${reason}`);
  }
}

/** Throws `forbidden` unless she facilitates. */
export function requireFacilitator(who: SignedIn): void {
  if (!allows(who.role, 'participation.facilitate')) throw new DomainError('forbidden');
}

async function requireConsultation(ctx: ParticipationContext, id: string): Promise<Consultation> {
  const consultation = await consultationOf(ctx.db, ctx.who.organizationId, id);
  if (!consultation) throw new DomainError('not_found');
  return consultation;
}

/** Creates a consultation with its questions (none chosen yet). Throws `forbidden`. */
export async function createConsultation(ctx: ParticipationContext, input: CreateConsultationInput, now: Date = new Date()): Promise<{ id: string }> {
  requireFacilitator(ctx.who);
  const { organizationId, accountId } = ctx.who;
  const id = randomUUID();
  const at = now.toISOString();
  await inTenant(ctx.db, organizationId, async (trx) => {
    await trx
      .insertInto('consultation')
      .values({
        id,
        organization_id: organizationId,
        title: input.title,
        requester: input.requester,
        call_url: input.callUrl,
        deadline: input.deadline,
        summary: input.summary,
        language: input.language,
        phase: null,
        required_module_id: null,
        presentation: null,
        do_not_publish: 0,
        submitted_at: null,
        outcome: null,
        created_by: accountId,
        created_at: at,
        updated_at: at
      })
      .execute();
    await insertQuestions(trx, organizationId, id, 0, input.questions);
    await appendAudit(trx, { organizationId, actorId: accountId, action: 'consultation.create', target: { kind: 'consultation', id }, at: now });
  });
  return { id };
}

async function insertQuestions(trx: Kysely<Database>, organizationId: string, consultationId: string, from: number, questions: ParsedQuestion[]): Promise<void> {
  for (const [i, q] of questions.entries()) {
    await trx
      .insertInto('consultation_question')
      .values({ id: randomUUID(), organization_id: organizationId, consultation_id: consultationId, position: from + i + 1, label: q.label, text: q.text, chosen: 0 })
      .execute();
  }
}

/** Adds questions at the end of the call's list. Throws `forbidden`, `not_found`, `invalid_input` (too many). */
export async function addQuestions(ctx: ParticipationContext, consultationId: string, questions: ParsedQuestion[], now: Date = new Date()): Promise<void> {
  requireFacilitator(ctx.who);
  const consultation = await requireConsultation(ctx, consultationId);
  if (consultation.questions.length + questions.length > MAX_QUESTIONS) throw new DomainError('invalid_input', 'too many questions');
  const last = consultation.questions.reduce((max, q) => Math.max(max, q.position), 0);
  const { organizationId, accountId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    await insertQuestions(trx, organizationId, consultationId, last, questions);
    await appendAudit(trx, { organizationId, actorId: accountId, action: 'consultation.questions_add', target: { kind: 'consultation', id: consultationId }, at: now });
  });
}

/** Changes the call's details, the required training module and the presentation. Throws `forbidden`, `not_found`, `invalid_input` (a module not of hers). */
export async function updateConsultation(ctx: ParticipationContext, id: string, input: UpdateConsultationInput, now: Date = new Date()): Promise<void> {
  requireFacilitator(ctx.who);
  await requireConsultation(ctx, id);
  const { organizationId, accountId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    if (input.requiredModuleId) {
      const module = await trx.selectFrom('training_module').select('id').where('organization_id', '=', organizationId).where('id', '=', input.requiredModuleId).executeTakeFirst();
      if (!module) throw new DomainError('invalid_input', 'no such module');
    }
    await trx
      .updateTable('consultation')
      .set({
        title: input.title,
        requester: input.requester,
        call_url: input.callUrl,
        deadline: input.deadline,
        summary: input.summary,
        language: input.language,
        required_module_id: input.requiredModuleId,
        presentation: input.presentation,
        updated_at: now.toISOString()
      })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, { organizationId, actorId: accountId, action: 'consultation.update', target: { kind: 'consultation', id }, at: now });
  });
}

/** Sets "we will answer this" on one of its questions. Throws `forbidden`, `not_found`. */
export async function chooseQuestion(ctx: ParticipationContext, consultationId: string, questionId: string, chosen: boolean, now: Date = new Date()): Promise<void> {
  requireFacilitator(ctx.who);
  const consultation = await requireConsultation(ctx, consultationId);
  if (!consultation.questions.some((q) => q.id === questionId)) throw new DomainError('not_found');
  const { organizationId, accountId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    await trx
      .updateTable('consultation_question')
      .set({ chosen: chosen ? 1 : 0 })
      .where('organization_id', '=', organizationId)
      .where('consultation_id', '=', consultationId)
      .where('id', '=', questionId)
      .execute();
    await appendAudit(trx, { organizationId, actorId: accountId, action: 'consultation.question_choose', target: { kind: 'consultation_question', id: questionId }, at: now });
  });
}

/** The phases' state from the consultation and its history. */
export async function phaseStateOf(db: Kysely<Database>, organizationId: string, consultation: Pick<Consultation, 'id' | 'phase'>): Promise<PhaseState> {
  const history = await listPhaseHistory(db, organizationId, consultation.id);
  return { open: consultation.phase, closed: history.filter((h) => h.closed_at !== null).map((h) => h.phase) };
}

/**
 * Opens or closes a phase, if phases.ts allows it (else PhaseRefusedError). Closing the submit
 * phase records the submission's instant. Throws `forbidden`, `not_found`.
 */
export async function switchPhase(ctx: ParticipationContext, consultationId: string, move: { kind: 'open' | 'close'; phase: Phase }, now: Date = new Date()): Promise<void> {
  requireFacilitator(ctx.who);
  const { organizationId, accountId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    // Lock the row first: two facilitators may press a switch at once.
    const locked = await trx.updateTable('consultation').set({ updated_at: now.toISOString() }).where('organization_id', '=', organizationId).where('id', '=', consultationId).executeTakeFirst();
    if (Number(locked.numUpdatedRows) === 0) throw new DomainError('not_found');
    const row = await trx.selectFrom('consultation').select(['id', 'phase', 'submitted_at']).where('organization_id', '=', organizationId).where('id', '=', consultationId).executeTakeFirstOrThrow();
    const history = await trx.selectFrom('consultation_phase').selectAll().where('organization_id', '=', organizationId).where('consultation_id', '=', consultationId).execute();
    const state: PhaseState = { open: row.phase, closed: history.filter((h) => h.closed_at !== null).map((h) => h.phase) };
    const refusal = refuseMove(state, move);
    if (refusal) throw new PhaseRefusedError(refusal);
    const at = now.toISOString();
    if (move.kind === 'open') {
      await trx.insertInto('consultation_phase').values({ id: randomUUID(), organization_id: organizationId, consultation_id: consultationId, phase: move.phase, opened_at: at, opened_by: accountId, closed_at: null, closed_by: null }).execute();
      await trx.updateTable('consultation').set({ phase: move.phase }).where('organization_id', '=', organizationId).where('id', '=', consultationId).execute();
    } else {
      await trx
        .updateTable('consultation_phase')
        .set({ closed_at: at, closed_by: accountId })
        .where('organization_id', '=', organizationId)
        .where('consultation_id', '=', consultationId)
        .where('phase', '=', move.phase)
        .where('closed_at', 'is', null)
        .execute();
      await trx
        .updateTable('consultation')
        .set({ phase: null, ...(move.phase === 'submit' && !row.submitted_at ? { submitted_at: at } : {}) })
        .where('organization_id', '=', organizationId)
        .where('id', '=', consultationId)
        .execute();
    }
    await appendAudit(trx, { organizationId, actorId: accountId, action: move.kind === 'open' ? 'consultation.phase_open' : 'consultation.phase_close', target: { kind: 'consultation', id: consultationId }, at: now });
  });
}

/** A consultation for its facilitators' page: the consultation, its phase history and state, the organization's training modules. Throws `forbidden`, `not_found`. */
export async function consultationForFacilitator(ctx: ParticipationContext, id: string) {
  requireFacilitator(ctx.who);
  const consultation = await requireConsultation(ctx, id);
  const { organizationId } = ctx.who;
  const history = await listPhaseHistory(ctx.db, organizationId, id);
  const modules = await inTenant(ctx.db, organizationId, (trx) =>
    trx.selectFrom('training_module').select(['id', 'title', 'archived_at']).where('organization_id', '=', organizationId).orderBy('title').execute()
  );
  const state: PhaseState = { open: consultation.phase, closed: history.filter((h) => h.closed_at !== null).map((h) => h.phase) };
  return {
    consultation,
    state,
    history: history.map((h) => ({ phase: h.phase, openedAt: h.opened_at, closedAt: h.closed_at })),
    modules: modules.filter((m) => m.archived_at === null || m.id === consultation.requiredModuleId).map((m) => ({ id: m.id, title: m.title }))
  };
}
