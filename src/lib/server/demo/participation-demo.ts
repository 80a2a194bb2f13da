/**
 * `relais demo participation`: loads the demo consultation (participation-content.ts) through
 * the same use cases the pages call — a coordinator enrols ten members in person, records
 * their training and attendance, opens each phase in turn; members write, record and
 * translate their contributions with their own author keys (each in a cookie jar of her own
 * that is then dropped, as a browser would keep it — nothing stored says who wrote what);
 * flip charts are entered as workshop batches; themes are confirmed in the second workshop;
 * statements are voted; recommendations are drafted, amended and adopted; the submission is
 * marked sent with what happened to it. Pay entries follow from attendance and training.
 */
import { DomainError } from '../../errors';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Role } from '../accounts/roles';
import type { SignedIn } from '../accounts/sign-in.service';
import { acceptInvitation, inviteAccount } from '../accounts/account.service';
import { createOrganization } from '../accounts/organization.service';
import { inTenant } from '../db/tenant';
import type { ParticipationContext } from '../participation/context';
import { enrolInPerson, SYNTHETIC_EMAIL_DOMAIN } from '../participation/member.service';
import { createModule, recordCompletion } from '../participation/training.service';
import { createWorkshop, markPresent } from '../participation/workshop.service';
import { recordPayment, setHourlyRate } from '../participation/pay.service';
import { chooseQuestion, createConsultation, switchPhase, updateConsultation } from '../participation/consultation.service';
import { consultationOf } from '../participation/consultation.repository';
import { confirmTranscription, enterWorkshopBatch, translateAsFacilitator, translateOwn, writeContribution, type MemberContext } from '../participation/contribution.service';
import { createTheme, decideTheme, mapQuestionThemes, placeContribution, summariseTheme } from '../participation/themes.service';
import { castStatementVote, proposeStatement } from '../participation/statements.service';
import { amendRecommendation, castAdoptionVote, draftRecommendation, setRecommendationStage } from '../participation/recommendations.service';
import { markSubmitted, recordOutcome, updateSubmissionSettings } from '../participation/submission';
import type { Phase } from '../../participation/phases';
import {
  DEMO_CALL,
  DEMO_CONTRIBUTIONS,
  DEMO_HOURLY_RATE_CENTS,
  DEMO_MEMBERS,
  DEMO_QUESTIONS,
  DEMO_RECOMMENDATIONS,
  DEMO_STATEMENTS,
  DEMO_THEME_TITLES,
  DEMO_TRAINING,
  DEMO_WORKSHOPS,
  type DemoTheme
} from './participation-content';

export interface ParticipationDemoSummary {
  organizationId: string;
  organizationCreated: boolean;
  consultationId: string;
  title: string;
  members: number;
  languages: string[];
  workshops: number;
  questions: { total: number; chosen: string[] };
  contributions: { typed: number; recorded: number; paper: number };
  themes: number;
  statements: number;
  recommendations: { adopted: number };
  /** The coordinator account the demo acted as (it has no way to sign in: an invitation is needed). */
  facilitatorId: string;
}

/** A browser's cookie jar for one member: where her author key lives while she writes. */
function cookieJar(): MemberContext['cookies'] {
  const values = new Map<string, string>();
  return { get: (name: string) => values.get(name), set: (name: string, value: string) => void values.set(name, value) } as MemberContext['cookies'];
}

/** One second of silence, 8 kHz, 8-bit mono WAV: the demo's stand-in for a member's recording. */
export function silentWav(seconds = 1): Buffer {
  const samples = 8000 * seconds;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 128)]);
}

export async function loadParticipationDemo(db: Kysely<Database>, masterKey: Buffer, options: { organizationId?: string } = {}): Promise<ParticipationDemoSummary> {
  let organizationId = options.organizationId;
  const organizationCreated = !organizationId;
  if (!organizationId) {
    organizationId = (await createOrganization(db, masterKey, { name: 'Association exemple — participation (démo)', actor: { id: 'cli' } })).id;
  } else {
    const found = await db.selectFrom('organization').select('id').where('id', '=', organizationId).executeTakeFirst();
    if (!found) throw new DomainError('not_found', 'organization');
  }
  const org = organizationId;

  // The coordinator who facilitates (an account nobody can sign in to until invited anew).
  const invitation = await inviteAccount(db, masterKey, { organizationId: org, email: `coordination-demo-${Date.now().toString(36)}@${SYNTHETIC_EMAIL_DOMAIN}`, role: 'coordinator', actor: { id: 'cli' } });
  const { accountId: facilitatorId } = await acceptInvitation(db, masterKey, invitation.token);
  const as = (accountId: string, role: Role, session: string): SignedIn => ({ sessionId: `demo-${session}`, organizationId: org, accountId, role });
  const ctx: ParticipationContext = { db, masterKey, who: as(facilitatorId, 'coordinator', 'facilitator') };

  await setHourlyRate(ctx, DEMO_HOURLY_RATE_CENTS);
  const { id: moduleId } = await createModule(ctx, { ...DEMO_TRAINING });

  // Ten members enrolled in person, each in her language, all trained.
  const members = new Map<string, { accountId: string; language: string; workshops: readonly number[]; jar: MemberContext['cookies'] }>();
  for (const m of DEMO_MEMBERS) {
    const { accountId } = await enrolInPerson(ctx, { pseudonym: m.pseudonym, language: m.language });
    await recordCompletion(ctx, { moduleId, accountId });
    members.set(m.pseudonym, { accountId, language: m.language, workshops: m.workshops, jar: cookieJar() });
  }
  const memberCtx = (pseudonym: string): MemberContext => {
    const m = members.get(pseudonym)!;
    return { db, masterKey, who: as(m.accountId, 'member', m.accountId), cookies: m.jar, secure: false };
  };

  // The call: fifteen questions, three chosen; the training required before drafting.
  const { id: consultationId } = await createConsultation(ctx, {
    title: DEMO_CALL.title,
    requester: DEMO_CALL.requester,
    callUrl: DEMO_CALL.callUrl,
    deadline: DEMO_CALL.deadline,
    summary: DEMO_CALL.summary,
    language: DEMO_CALL.language,
    questions: DEMO_QUESTIONS.map((q) => ({ label: q.label, text: q.text }))
  });
  await updateConsultation(ctx, consultationId, {
    title: DEMO_CALL.title,
    requester: DEMO_CALL.requester,
    callUrl: DEMO_CALL.callUrl,
    deadline: DEMO_CALL.deadline,
    summary: DEMO_CALL.summary,
    language: DEMO_CALL.language,
    requiredModuleId: moduleId,
    presentation: DEMO_CALL.presentation
  });
  const questions = (await consultationOf(db, org, consultationId))!.questions;
  const questionId = new Map(questions.map((q) => [q.label, q.id]));
  for (const q of DEMO_QUESTIONS) if (q.chosen) await chooseQuestion(ctx, consultationId, questionId.get(q.label)!, true);

  // Two workshops; who came to each.
  const workshopIds: string[] = [];
  for (const w of DEMO_WORKSHOPS) {
    const services = { interpretation: w.services.filter((s) => s.startsWith('interpretation:')).map((s) => s.slice('interpretation:'.length)), childcare: w.services.includes('childcare'), transport: (w.services as readonly string[]).includes('transport'), meal: w.services.includes('meal') };
    const { id } = await createWorkshop(ctx, { title: w.title, startsAt: new Date(w.startsAt), durationMinutes: w.durationMinutes, place: w.place, format: w.format, facilitatorIds: [facilitatorId], services, consultationId });
    workshopIds.push(id);
  }
  for (const m of members.values()) for (const n of m.workshops) await markPresent(ctx, { workshopId: workshopIds[n - 1]!, accountId: m.accountId });
  const presentAt = (n: 1 | 2) => [...members.values()].filter((m) => m.workshops.includes(n));

  const phase = async (p: Phase, work: () => Promise<void>) => {
    await switchPhase(ctx, consultationId, { kind: 'open', phase: p });
    await work();
    await switchPhase(ctx, consultationId, { kind: 'close', phase: p });
  };

  // Collect: typed and recorded by members (their own keys), flip charts as batches.
  const contributionIds = new Map<DemoTheme, string[]>();
  const quotable = new Set<string>();
  const counted = { typed: 0, recorded: 0, paper: 0 };
  await phase('collect', async () => {
    for (const c of DEMO_CONTRIBUTIONS) {
      let id: string;
      if (c.how === 'paper') {
        const n = c.workshop!;
        const { ids } = await enterWorkshopBatch(ctx, consultationId, { workshopId: workshopIds[n - 1]!, presentCount: presentAt(n).length, questionId: questionId.get(c.question)!, language: c.language, lines: [c.text], consent: c.consent });
        id = ids[0]!;
        if (c.translation) await translateAsFacilitator(ctx, consultationId, id, { language: 'en', translation: c.translation });
        // Those present confirm the transcription.
        for (const m of presentAt(n)) {
          const pseudonym = [...members.entries()].find(([, v]) => v === m)![0];
          await confirmTranscription(memberCtx(pseudonym), consultationId, id, 'confirmed');
        }
      } else {
        const mine = memberCtx(c.by!);
        const written = await writeContribution(mine, consultationId, {
          questionId: questionId.get(c.question)!,
          language: c.language,
          text: c.text,
          contentNote: null,
          consent: c.consent,
          audio: c.how === 'recorded' ? { bytes: silentWav(), type: 'audio/wav' } : null,
          intent: 'send'
        });
        id = written.id;
        if (c.translation) await translateOwn(mine, consultationId, id, { language: 'en', translation: c.translation });
      }
      counted[c.how] += 1;
      if (c.consent === 'quote') quotable.add(id);
      contributionIds.set(c.theme, [...(contributionIds.get(c.theme) ?? []), id]);
    }
  });

  // Group: four themes, confirmed by the members in the second workshop, mapped to the questions.
  const themeIds = new Map<DemoTheme, string>();
  await phase('group', async () => {
    for (const [theme, title] of Object.entries(DEMO_THEME_TITLES) as [DemoTheme, string][]) {
      const id = await createTheme(ctx, consultationId, { title });
      themeIds.set(theme, id);
      for (const contributionId of contributionIds.get(theme) ?? []) await placeContribution(ctx, consultationId, { contributionId, toThemeId: id, quoted: quotable.has(contributionId) });
      await decideTheme(ctx, consultationId, id, { action: 'confirm', workshopId: workshopIds[1] });
    }
    await summariseTheme(ctx, consultationId, themeIds.get('stigma')!, 'Moral judgement and loneliness keep victims of exploitation away from protection, asylum and justice.');
    await summariseTheme(ctx, consultationId, themeIds.get('power')!, 'Survivors need their own place, training and pay to give collective opinions, not testimonies.');
    await summariseTheme(ctx, consultationId, themeIds.get('migration')!, 'Not enough shelter, an exit programme that stalls in prefectures, and rights nobody explains.');
    await summariseTheme(ctx, consultationId, themeIds.get('child_protection')!, 'Child welfare shelters targeted by traffickers, chemical submission, minors not protected.');
    await mapQuestionThemes(ctx, consultationId, questionId.get('13')!, [themeIds.get('stigma')!]);
    await mapQuestionThemes(ctx, consultationId, questionId.get('14')!, [themeIds.get('power')!]);
    await mapQuestionThemes(ctx, consultationId, questionId.get('15')!, [themeIds.get('migration')!, themeIds.get('child_protection')!]);
  });

  // Agree: statements, and every member's vote on each.
  const statementIds = new Map<DemoTheme, string[]>();
  const voters = [...members.keys()];
  await phase('agree', async () => {
    for (const s of DEMO_STATEMENTS) {
      const id = await proposeStatement(ctx, consultationId, { text: s.text, themeId: themeIds.get(s.theme), language: 'en' }, 'facilitator');
      statementIds.set(s.theme, [...(statementIds.get(s.theme) ?? []), id]);
      const ballot = [...Array(s.votes.agree).fill('agree'), ...Array(s.votes.disagree).fill('disagree'), ...Array(s.votes.unsure).fill('unsure')] as string[];
      for (let i = 0; i < voters.length && i < ballot.length; i++) await castStatementVote(memberCtx(voters[i]!), consultationId, id, ballot[i]);
    }
  });

  // Write: recommendations drafted from the supported statements, amended, adopted.
  let adopted = 0;
  await phase('write', async () => {
    for (const r of DEMO_RECOMMENDATIONS) {
      const id = await draftRecommendation(ctx, consultationId, { text: r.draft, statementIds: statementIds.get(r.theme) ?? [], themeId: themeIds.get(r.theme) });
      await amendRecommendation(ctx, consultationId, id, { text: r.amended, note: 'Reworded in the drafting workshop: a shared position, in the collective voice.' });
      await setRecommendationStage(ctx, consultationId, id, 'open_vote');
      for (const [i, pseudonym] of voters.entries()) await castAdoptionVote(memberCtx(pseudonym), consultationId, id, { vote: i === voters.length - 1 && r.theme === 'child_protection' ? 'abstain' : 'agree' });
      const outcome = await setRecommendationStage(ctx, consultationId, id, 'close_vote');
      if (outcome && (outcome as { adopted?: boolean }).adopted) adopted += 1;
    }
  });

  // Submit: the association's presentation, sent, and what happened to it.
  await switchPhase(ctx, consultationId, { kind: 'open', phase: 'submit' });
  await updateSubmissionSettings(ctx, consultationId, { presentation: DEMO_CALL.presentation, doNotPublish: false });
  await markSubmitted(ctx, consultationId);
  await recordOutcome(ctx, consultationId, 'Sent to the Special Rapporteur before the deadline (demo). The report is expected at the Human Rights Council; the association will check whether its four themes are taken up.');

  // A first payment to each member for the two workshops' hours (the rest stays owed).
  for (const m of members.values()) await recordPayment(ctx, { accountId: m.accountId, amountCents: DEMO_HOURLY_RATE_CENTS * 3, paidOn: '2024-01-31', method: 'transfer' });

  const rows = await inTenant(db, org, (trx) => trx.selectFrom('recommendation').select('status').where('organization_id', '=', org).where('consultation_id', '=', consultationId).execute());
  adopted = rows.filter((r) => r.status === 'adopted').length;
  return {
    organizationId: org,
    organizationCreated,
    consultationId,
    title: DEMO_CALL.title,
    members: members.size,
    languages: [...new Set(DEMO_MEMBERS.map((m) => m.language))],
    workshops: workshopIds.length,
    questions: { total: DEMO_QUESTIONS.length, chosen: DEMO_QUESTIONS.filter((q) => q.chosen).map((q) => q.label) },
    contributions: counted,
    themes: themeIds.size,
    statements: DEMO_STATEMENTS.length,
    recommendations: { adopted },
    facilitatorId
  };
}
