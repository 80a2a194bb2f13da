/**
 * Seeds for the deliberation tests (themes, statements, recommendations, the submission):
 * a consultation replaying the reference document (Mist, 2024: 15 questions, 13–15 chosen,
 * two workshops) and contributions written straight into the database with the encryption
 * contexts every slice uses (conventions: contribution.text_encrypted / translation_encrypted
 * bound to {table:'contribution', column, rowId: id}). Fictional text only.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { inTenant } from '../../src/lib/server/db/tenant';
import { dataKeyOf } from '../../src/lib/server/accounts/organization.service';
import { encryptField } from '../../src/lib/server/crypto/envelope';

export interface ContributionSeed {
  text: string;
  language?: string;
  translation?: string | null;
  consent?: 'internal' | 'summarise' | 'quote';
  status?: 'draft' | 'submitted' | 'withdrawn';
  questionId?: string | null;
  workshopId?: string | null;
  source?: string;
}

/** One contribution, encrypted as the contributions slice stores it; returns its id. */
export async function insertContribution(db: Kysely<Database>, masterKey: Buffer, organizationId: string, consultationId: string, seed: ContributionSeed): Promise<string> {
  const key = await dataKeyOf(db, masterKey, organizationId);
  const id = randomUUID();
  await inTenant(db, organizationId, (trx) =>
    trx
      .insertInto('contribution')
      .values({
        id,
        organization_id: organizationId,
        consultation_id: consultationId,
        question_id: seed.questionId ?? null,
        source: seed.source ?? 'member',
        workshop_id: seed.workshopId ?? null,
        present_count: null,
        language: seed.language ?? 'fr',
        text_encrypted: encryptField(key, seed.text, { table: 'contribution', column: 'text_encrypted', rowId: id }),
        translation_encrypted: seed.translation ? encryptField(key, seed.translation, { table: 'contribution', column: 'translation_encrypted', rowId: id }) : null,
        translation_language: seed.translation ? 'fr' : null,
        audio_encrypted: null,
        audio_type: null,
        content_note: null,
        consent: seed.consent ?? 'summarise',
        status: seed.status ?? 'submitted',
        author_tag: null,
        created_on: '2024-01-15',
        updated_on: '2024-01-15',
        withdrawn_on: seed.status === 'withdrawn' ? '2024-01-20' : null
      })
      .execute()
  );
  return id;
}

export async function setContributionStatus(db: Kysely<Database>, organizationId: string, id: string, status: 'submitted' | 'withdrawn'): Promise<void> {
  await inTenant(db, organizationId, (trx) =>
    trx.updateTable('contribution').set({ status, withdrawn_on: status === 'withdrawn' ? '2024-01-20' : null }).where('organization_id', '=', organizationId).where('id', '=', id).execute()
  );
}

export interface SeededConsultation {
  consultationId: string;
  /** The chosen questions 13, 14, 15, in order. */
  questionIds: [string, string, string];
  workshopIds: [string, string];
}

/** Opens `phase` (members vote in agree, adopt in write): a test's shortcut past the switches. */
export async function setPhase(db: Kysely<Database>, organizationId: string, consultationId: string, phase: 'collect' | 'group' | 'agree' | 'write' | 'submit' | null): Promise<void> {
  await inTenant(db, organizationId, (trx) => trx.updateTable('consultation').set({ phase }).where('organization_id', '=', organizationId).where('id', '=', consultationId).execute());
}

/** A consultation like the reference document's, with its 15 questions and two workshops. */
export async function seedConsultation(db: Kysely<Database>, organizationId: string, createdBy: string, options: { requiredModuleId?: string | null; title?: string } = {}): Promise<SeededConsultation> {
  const consultationId = randomUUID();
  const now = '2024-01-10T09:00:00.000Z';
  const questionIds: string[] = [];
  const workshopIds: string[] = [];
  await inTenant(db, organizationId, async (trx) => {
    await trx
      .insertInto('consultation')
      .values({
        id: consultationId,
        organization_id: organizationId,
        title: options.title ?? 'Lessons learned: call for input on violence against women and girls',
        requester: 'Special Rapporteur on violence against women and girls',
        call_url: 'https://example.org/call-for-input',
        deadline: '2024-01-31',
        summary: null,
        language: 'en',
        phase: 'agree',
        required_module_id: options.requiredModuleId ?? null,
        presentation: 'The association was created in 2020 by women who survived trafficking, to help others and speak for themselves.',
        do_not_publish: 0,
        submitted_at: null,
        outcome: null,
        created_by: createdBy,
        created_at: now,
        updated_at: now
      })
      .execute();
    for (let n = 1; n <= 15; n++) {
      const id = randomUUID();
      if (n >= 13) questionIds.push(id);
      const text =
        n === 13
          ? 'What are some of the lessons learned about what works and what does not?'
          : n === 14
            ? "Are frontline organizations and survivors' organisations sufficiently included in policymaking?"
            : n === 15
              ? 'What recommendations do you have to prevent and end violence?'
              : `Question number ${n} of the call.`;
      await trx.insertInto('consultation_question').values({ id, organization_id: organizationId, consultation_id: consultationId, position: n, label: String(n), text, chosen: n >= 13 ? 1 : 0 }).execute();
    }
    for (const [i, format] of (['debate', 'film_debate'] as const).entries()) {
      const id = randomUUID();
      workshopIds.push(id);
      await trx
        .insertInto('workshop')
        .values({
          id,
          organization_id: organizationId,
          consultation_id: consultationId,
          title: i === 0 ? 'Debate' : 'Debate after a film',
          starts_at: `2024-01-1${i + 2}T14:00:00.000Z`,
          duration_minutes: 180,
          place: 'Association premises',
          format,
          facilitators_json: JSON.stringify([createdBy]),
          services_json: '[]',
          attendance_code_hash: null,
          minutes_encrypted: null,
          created_by: createdBy,
          created_at: now,
          cancelled_at: null
        })
        .execute();
    }
  });
  return { consultationId, questionIds: questionIds as [string, string, string], workshopIds: workshopIds as [string, string] };
}

export async function attend(db: Kysely<Database>, organizationId: string, workshopId: string, accountId: string, recordedBy: string): Promise<void> {
  await inTenant(db, organizationId, (trx) =>
    trx.insertInto('workshop_attendance').values({ organization_id: organizationId, workshop_id: workshopId, account_id: accountId, checked_in_at: '2024-01-12T14:05:00.000Z', method: 'code', recorded_by: recordedBy }).execute()
  );
}

/** The reference document's four topics, as members might have said them (fictional). */
export const TOPIC_CONTRIBUTIONS: Record<'stigma' | 'power' | 'migration' | 'children', ContributionSeed[]> = {
  stigma: [
    { text: 'Stigma and moral judgement isolate us: families reject us and loneliness is terrible.', language: 'en' },
    { text: 'We live with loneliness, rejected by family and friends, with shame and judgement.', language: 'en', consent: 'quote' },
    { text: 'Family don reject us, we dey alone, shame and judgement everywhere.', language: 'pcm', translation: 'Family rejected us, we are alone, shame and judgement everywhere. Loneliness.' }
  ],
  power: [
    { text: 'Survivor associations need training and payment to take part with real power.', language: 'en', consent: 'quote' },
    { text: 'Training, payment and power so that survivors can participate freely.', language: 'en' },
    { text: 'Les survivantes ont besoin de formation et de rémunération pour participer.', language: 'fr', translation: 'Survivors need training and payment to participate, and the power to speak.' }
  ],
  migration: [
    { text: 'The prefecture refuses the residence permit, there is no housing, police arrest us.', language: 'en' },
    { text: 'Not enough emergency housing; the prefecture blocks the residence permit.', language: 'en', consent: 'quote' },
    { text: 'Police dey chase us, no house, prefecture no gree give paper.', language: 'pcm', translation: 'Police chase us, no housing, the prefecture does not give the residence permit.' }
  ],
  children: [
    { text: 'Child protection shelters are targeted by recruiters; minors are exploited.', language: 'en' },
    { text: 'Child welfare shelters lack budget; minors are recruited when they leave the shelters.', language: 'en' },
    { text: "Les foyers de protection de l'enfance sont ciblés par les recruteurs.", language: 'fr', translation: 'Child protection shelters are targeted by recruiters; minors in danger.' }
  ]
};
