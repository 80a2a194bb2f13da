/**
 * Consultations as the other parts of participation read them (themes, votes, the
 * submission, the command line): one with its questions, or the organization's list with
 * counts. No text a member wrote is read here.
 */
import { sql, type Kysely } from 'kysely';
import type { ConsultationPhase, ConsultationPhaseTable, Database } from '../db/schema';
import { inTenant } from '../db/tenant';

export interface ConsultationQuestion {
  id: string;
  position: number;
  /** The call's own number ("13"), or the position when the call has none. */
  label: string;
  text: string;
  /** The association answers this question. */
  chosen: boolean;
}

export interface Consultation {
  id: string;
  organizationId: string;
  title: string;
  requester: string;
  callUrl: string | null;
  /** YYYY-MM-DD */
  deadline: string | null;
  summary: string | null;
  language: string;
  /** The phase open now, or null. */
  phase: ConsultationPhase | null;
  requiredModuleId: string | null;
  /** The association's presentation, for the submission. */
  presentation: string | null;
  doNotPublish: boolean;
  submittedAt: string | null;
  outcome: string | null;
  createdAt: string;
  updatedAt: string;
  /** In the call's order. */
  questions: ConsultationQuestion[];
}

export interface ConsultationListItem {
  id: string;
  title: string;
  requester: string;
  deadline: string | null;
  phase: ConsultationPhase | null;
  questions: number;
  chosenQuestions: number;
  /** Contributions sent (status submitted). */
  contributions: number;
  /** Contributions withdrawn. */
  withdrawn: number;
  createdAt: string;
}

/** One consultation of the organization with its questions; null when there is none by that id there. */
export async function consultationOf(db: Kysely<Database>, organizationId: string, id: string): Promise<Consultation | null> {
  return inTenant(db, organizationId, async (trx) => {
    const row = await trx.selectFrom('consultation').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const questions = await trx
      .selectFrom('consultation_question')
      .select(['id', 'position', 'label', 'text', 'chosen'])
      .where('organization_id', '=', organizationId)
      .where('consultation_id', '=', id)
      .orderBy('position')
      .execute();
    return {
      id: row.id,
      organizationId: row.organization_id,
      title: row.title,
      requester: row.requester,
      callUrl: row.call_url,
      deadline: row.deadline,
      summary: row.summary,
      language: row.language,
      phase: row.phase,
      requiredModuleId: row.required_module_id,
      presentation: row.presentation,
      doNotPublish: Number(row.do_not_publish) === 1,
      submittedAt: row.submitted_at,
      outcome: row.outcome,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      questions: questions.map((q) => ({ id: q.id, position: Number(q.position), label: q.label, text: q.text, chosen: Number(q.chosen) === 1 }))
    };
  });
}

/** The organization's consultations, newest first, with counts of questions and contributions. */
export async function listConsultations(db: Kysely<Database>, organizationId: string): Promise<ConsultationListItem[]> {
  return inTenant(db, organizationId, async (trx) => {
    const rows = await trx
      .selectFrom('consultation')
      .select(['id', 'title', 'requester', 'deadline', 'phase', 'created_at'])
      .where('organization_id', '=', organizationId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const questions = await trx
      .selectFrom('consultation_question')
      .select(['consultation_id', sql<number>`count(*)`.as('n'), sql<number>`sum(chosen)`.as('chosen')])
      .where('organization_id', '=', organizationId)
      .where('consultation_id', 'in', ids)
      .groupBy('consultation_id')
      .execute();
    const contributions = await trx
      .selectFrom('contribution')
      .select(['consultation_id', 'status', sql<number>`count(*)`.as('n')])
      .where('organization_id', '=', organizationId)
      .where('consultation_id', 'in', ids)
      .where('status', 'in', ['submitted', 'withdrawn'])
      .groupBy(['consultation_id', 'status'])
      .execute();
    return rows.map((r) => {
      const q = questions.find((x) => x.consultation_id === r.id);
      const count = (status: string) => Number(contributions.find((c) => c.consultation_id === r.id && c.status === status)?.n ?? 0);
      return {
        id: r.id,
        title: r.title,
        requester: r.requester,
        deadline: r.deadline,
        phase: r.phase,
        questions: Number(q?.n ?? 0),
        chosenQuestions: Number(q?.chosen ?? 0),
        contributions: count('submitted'),
        withdrawn: count('withdrawn'),
        createdAt: r.created_at
      };
    });
  });
}

/** The history of a consultation's phase switches, oldest first. */
export async function listPhaseHistory(db: Kysely<Database>, organizationId: string, consultationId: string): Promise<ConsultationPhaseTable[]> {
  return inTenant(db, organizationId, (trx) =>
    trx.selectFrom('consultation_phase').selectAll().where('organization_id', '=', organizationId).where('consultation_id', '=', consultationId).orderBy('opened_at').orderBy('id').execute()
  );
}
