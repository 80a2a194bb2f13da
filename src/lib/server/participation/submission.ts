/**
 * The submission (issue 7: "A document that maps the call's questions to themes and adopted
 * recommendations, in the association's collective voice, with the method … and the
 * association's presentation"; "Before export, a disclosure check"; "Exports: DOCX … a
 * print-ready page; Pol.is-compatible CSV … a 'do not publish' flag; after submission, a page
 * records what happened to it"). Shaped on the reference document (Mist, 2024): title,
 * requester, presentation, method, then one section per chosen question with its themes and
 * the recommendations members adopted.
 *
 * `buildSubmission` reads everything into a plain object (texts already in the document's
 * language: the consultation's); `submissionDocx` and the print page only lay it out.
 * What goes in, and what never does:
 * - only usable contributions (status 'submitted'); a withdrawn one is in no count and no quote;
 * - quotes: contributions the facilitators marked quoted AND whose consent is 'quote', with no
 *   name and no date; one marked quoted without that consent is left out and flagged;
 * - only adopted recommendations, in the collective voice ("Members of X believe …");
 * - counts of the method under 5 read "fewer than 5" (participation/results.ts).
 */
import type { Kysely } from 'kysely';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { disclosureCheck, type DisclosureFlag, type DisclosureText } from '../../participation/disclosure';
import { statementsCsv as polisStatements, votesCsv as polisVotes } from '../../participation/polis-csv';
import { renderShown, shown, type Shown } from '../../participation/results';
import { isLocale, localeInfo, type LocaleCode } from '../../i18n/locales';
import { translator } from '../../i18n/translate';
import { dataKeyOf } from '../accounts/organization.service';
import { appendAudit } from '../audit/audit';
import { decryptField } from '../crypto/envelope';
import type { Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { voterTag } from './authorship';
import { consultationOf, nowOf, ParticipationRefusedError, readUsableContributions, type ParticipationContext } from './deliberation';

export const PRESENTATION_MAX = 6000;
export const OUTCOME_MAX = 6000;

export interface SubmissionQuote {
  contributionId: string;
  text: string;
  /** A translation shown under the original, marked as such. */
  translation: string | null;
}

export interface SubmissionTheme {
  id: string;
  title: string;
  summary: string | null;
  quotes: SubmissionQuote[];
  recommendations: Array<{ id: string; text: string }>;
}

export interface SubmissionQuestion {
  id: string;
  label: string;
  text: string;
  themes: SubmissionTheme[];
}

export interface Submission {
  consultation: {
    id: string;
    title: string;
    requester: string;
    callUrl: string | null;
    deadline: string | null;
    language: LocaleCode;
    presentation: string | null;
    doNotPublish: boolean;
    submittedAt: string | null;
    outcome: string | null;
  };
  association: string;
  method: {
    members: Shown;
    workshops: Shown;
    formats: Array<{ format: string; count: Shown }>;
    languages: string[];
    contributions: Shown;
  };
  questions: SubmissionQuestion[];
  /** Adopted recommendations whose theme answers no chosen question. */
  otherRecommendations: Array<{ id: string; text: string }>;
  disclosure: DisclosureFlag[];
  /** Every sentence of the document's frame, in its language. */
  words: Record<
    | 'requester'
    | 'deadline'
    | 'call'
    | 'presentation'
    | 'method'
    | 'method_text'
    | 'formats'
    | 'languages'
    | 'believe'
    | 'quotes'
    | 'translation'
    | 'no_theme'
    | 'other'
    | 'do_not_publish'
    | 'fewer'
    | 'withheld',
    string
  >;
}

const docLocale = (language: string): LocaleCode => (isLocale(language) ? language : 'en');

/**
 * Reads the consultation into the submission's plain object, with its disclosure flags.
 * Throws `not_found`.
 */
export async function buildSubmission(db: Kysely<Database>, masterKey: Buffer, organizationId: string, consultationId: string): Promise<Submission> {
  const org = organizationId;
  const usable = await readUsableContributions(db, masterKey, org, consultationId);
  const usableById = new Map(usable.map((c) => [c.id, c]));
  const key = await dataKeyOf(db, masterKey, org);
  return inTenant(db, org, async (trx) => {
    const c = await consultationOf(trx, org, consultationId);
    const organization = await trx.selectFrom('organization').select('name').where('id', '=', org).executeTakeFirst();
    const association = organization?.name ?? '';
    const locale = docLocale(c.language);
    const t = translator(locale);
    const languageName = new Intl.DisplayNames([localeInfo(locale).intl], { type: 'language' });

    const questions = await trx.selectFrom('consultation_question').selectAll().where('organization_id', '=', org).where('consultation_id', '=', consultationId).where('chosen', '=', 1).orderBy('position').execute();
    const themes = await trx
      .selectFrom('theme')
      .selectAll()
      .where('organization_id', '=', org)
      .where('consultation_id', '=', consultationId)
      .where('status', 'in', ['suggested', 'confirmed'])
      .orderBy('position')
      .orderBy('id')
      .execute();
    const themeIds = themes.map((x) => x.id);
    const qids = questions.map((q) => q.id);
    const map = qids.length && themeIds.length ? await trx.selectFrom('question_theme').selectAll().where('organization_id', '=', org).where('question_id', 'in', qids).where('theme_id', 'in', themeIds).execute() : [];
    const links = themeIds.length ? await trx.selectFrom('theme_contribution').selectAll().where('organization_id', '=', org).where('theme_id', 'in', themeIds).where('quoted', '=', 1).orderBy('contribution_id').execute() : [];
    const adopted = await trx
      .selectFrom('recommendation')
      .innerJoin('recommendation_version', (j) =>
        j
          .onRef('recommendation_version.recommendation_id', '=', 'recommendation.id')
          .onRef('recommendation_version.version', '=', 'recommendation.current_version')
          .onRef('recommendation_version.organization_id', '=', 'recommendation.organization_id')
      )
      .select(['recommendation.id', 'recommendation.theme_id', 'recommendation_version.text'])
      .where('recommendation.organization_id', '=', org)
      .where('recommendation_version.organization_id', '=', org)
      .where('recommendation.consultation_id', '=', consultationId)
      .where('recommendation.status', '=', 'adopted')
      .orderBy('recommendation.position')
      .orderBy('recommendation.id')
      .execute();

    // Method: who took part (attended a workshop of it, or voted), workshops, languages.
    const workshops = await trx.selectFrom('workshop').select(['id', 'format']).where('organization_id', '=', org).where('consultation_id', '=', consultationId).where('cancelled_at', 'is', null).execute();
    const attendees = workshops.length
      ? await trx.selectFrom('workshop_attendance').select('account_id').where('organization_id', '=', org).where('workshop_id', 'in', workshops.map((w) => w.id)).execute()
      : [];
    const participants = new Set(attendees.map((a) => voterTag(masterKey, org, consultationId, a.account_id)));
    const statementIds = (await trx.selectFrom('statement').select('id').where('organization_id', '=', org).where('consultation_id', '=', consultationId).execute()).map((s) => s.id);
    const statementVotes = statementIds.length ? await trx.selectFrom('statement_vote').select(['voter_tag', 'group_language']).where('organization_id', '=', org).where('statement_id', 'in', statementIds).execute() : [];
    for (const v of statementVotes) participants.add(v.voter_tag);
    const recIds = (await trx.selectFrom('recommendation').select('id').where('organization_id', '=', org).where('consultation_id', '=', consultationId).execute()).map((r) => r.id);
    if (recIds.length) for (const v of await trx.selectFrom('recommendation_vote').select('voter_tag').where('organization_id', '=', org).where('recommendation_id', 'in', recIds).execute()) participants.add(v.voter_tag);
    // Meetings, not people: the rule that hides counts under 5 protects people, so a number of
    // workshops is given as it is ("2 workshops", not "fewer than 5").
    const meetings = (n: number): Shown => ({ kind: 'count', value: n });
    const formats = [...new Set(workshops.map((w) => w.format))].sort().map((format) => ({ format, count: meetings(workshops.filter((w) => w.format === format).length) }));
    const languageCodes = [...new Set([...usable.map((u) => u.language), ...statementVotes.map((v) => v.group_language).filter((l): l is string => !!l)])].sort();
    const languages = languageCodes.map((code) => {
      try {
        return languageName.of(code) ?? code;
      } catch {
        return code;
      }
    });

    const flagsTexts: DisclosureText[] = [];
    const themeOut = (theme: (typeof themes)[number], section: string): SubmissionTheme => {
      const quotes: SubmissionQuote[] = [];
      for (const l of links.filter((x) => x.theme_id === theme.id)) {
        const u = usableById.get(l.contribution_id);
        if (!u) continue;
        const text = u.text.trim();
        if (text === '') continue;
        flagsTexts.push({ section: `${section} · ${t('participation.submission.doc.quotes')}`, text, quote: { contributionId: u.id, consent: u.consent } });
        if (u.consent !== 'quote') continue;
        const translation = u.language !== c.language && u.translation ? u.translation.trim() : null;
        if (translation) flagsTexts.push({ section: `${section} · ${t('participation.submission.doc.translation')}`, text: translation });
        quotes.push({ contributionId: u.id, text, translation });
      }
      if (theme.summary) flagsTexts.push({ section, text: theme.summary });
      flagsTexts.push({ section, text: theme.title });
      const recommendations = adopted.filter((r) => r.theme_id === theme.id).map((r) => ({ id: r.id, text: r.text }));
      recommendations.forEach((r, i) => flagsTexts.push({ section: `${section} · ${t('participation.submission.doc.recommendation_n', { n: i + 1 })}`, text: r.text }));
      return { id: theme.id, title: theme.title, summary: theme.summary, quotes, recommendations };
    };

    const answered = new Set<string>();
    const outQuestions: SubmissionQuestion[] = questions.map((q) => {
      const mine = themes.filter((th) => map.some((m) => m.question_id === q.id && m.theme_id === th.id));
      return {
        id: q.id,
        label: q.label,
        text: q.text,
        themes: mine.map((th) => {
          answered.add(th.id);
          return themeOut(th, `${t('participation.submission.doc.question')} ${q.label} · ${th.title}`);
        })
      };
    });
    const otherRecommendations = adopted.filter((r) => !r.theme_id || !answered.has(r.theme_id)).map((r) => ({ id: r.id, text: r.text }));
    otherRecommendations.forEach((r, i) => flagsTexts.push({ section: `${t('participation.submission.doc.other')} · ${i + 1}`, text: r.text }));

    const members = await trx.selectFrom('participation_member').select(['account_id', 'pseudonym_encrypted']).where('organization_id', '=', org).execute();
    const pseudonyms = members.map((m) => decryptField(key, m.pseudonym_encrypted, { table: 'participation_member', column: 'pseudonym_encrypted', rowId: m.account_id }));
    const disclosure = disclosureCheck(flagsTexts, { pseudonyms, allow: [association, c.requester, c.title] });

    const fewer = t('participation.results.fewer_than', { n: 5 });
    const withheld = t('participation.results.withheld');
    const r = (s: Shown) => renderShown(s, { fewer, withheld });
    const method = { members: shown(participants.size), workshops: meetings(workshops.length), formats, languages, contributions: shown(usable.length) };
    return {
      consultation: {
        id: c.id,
        title: c.title,
        requester: c.requester,
        callUrl: c.call_url,
        deadline: c.deadline,
        language: locale,
        presentation: c.presentation,
        doNotPublish: c.do_not_publish === 1,
        submittedAt: c.submitted_at,
        outcome: c.outcome
      },
      association,
      method,
      questions: outQuestions,
      otherRecommendations,
      disclosure,
      words: {
        requester: t('participation.submission.doc.requester'),
        deadline: t('participation.submission.doc.deadline'),
        call: t('participation.submission.doc.call'),
        presentation: t('participation.submission.doc.presentation'),
        method: t('participation.submission.doc.method'),
        method_text: t('participation.submission.doc.method_text', {
          association,
          members: r(method.members),
          workshops: r(method.workshops),
          contributions: r(method.contributions)
        }),
        formats: t('participation.submission.doc.formats', {
          formats: formats.map((f) => `${t(`participation.submission.format.${f.format}`)}: ${r(f.count)}`).join(', ') || '—'
        }),
        languages: t('participation.submission.doc.languages', { languages: languages.join(', ') || '—' }),
        believe: t('participation.submission.doc.believe', { association }),
        quotes: t('participation.submission.doc.quotes'),
        translation: t('participation.submission.doc.translation'),
        no_theme: t('participation.submission.doc.no_theme'),
        other: t('participation.submission.doc.other'),
        do_not_publish: t('participation.submission.doc.do_not_publish'),
        fewer,
        withheld
      }
    };
  });
}

/** The submission as a Word document (DOCX). */
export async function submissionDocx(s: Submission): Promise<Buffer> {
  const p = (text: string, options: { bold?: boolean; italics?: boolean } = {}) => new Paragraph({ children: [new TextRun({ text, ...options })] });
  const paragraphs = (text: string | null) => (text ?? '').split(/\n{2,}|\r?\n/).map((x) => x.trim()).filter(Boolean).map((x) => p(x));
  const children: Paragraph[] = [];
  if (s.consultation.doNotPublish) children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: s.words.do_not_publish, bold: true, allCaps: true })] }));
  children.push(new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(s.consultation.title)] }));
  children.push(p(`${s.association}`, { bold: true }));
  children.push(p(`${s.words.requester}: ${s.consultation.requester}`));
  if (s.consultation.deadline) children.push(p(`${s.words.deadline}: ${s.consultation.deadline}`));
  if (s.consultation.callUrl) children.push(p(`${s.words.call}: ${s.consultation.callUrl}`));
  if (s.consultation.presentation) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(s.words.presentation)] }));
    children.push(...paragraphs(s.consultation.presentation));
  }
  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(s.words.method)] }));
  children.push(p(s.words.method_text), p(s.words.formats), p(s.words.languages));
  for (const q of s.questions) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`${q.label}. ${q.text}`)] }));
    if (q.themes.length === 0) children.push(p(s.words.no_theme, { italics: true }));
    for (const theme of q.themes) {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(theme.title)] }));
      children.push(...paragraphs(theme.summary));
      for (const quote of theme.quotes) {
        children.push(new Paragraph({ indent: { left: 720 }, children: [new TextRun({ text: `« ${quote.text} »`, italics: true })] }));
        if (quote.translation) children.push(new Paragraph({ indent: { left: 720 }, children: [new TextRun({ text: `${s.words.translation}: « ${quote.translation} »`, italics: true })] }));
      }
      if (theme.recommendations.length) {
        children.push(p(s.words.believe, { bold: true }));
        for (const r of theme.recommendations) children.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(r.text)] }));
      }
    }
  }
  if (s.otherRecommendations.length) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(s.words.other)] }));
    children.push(p(s.words.believe, { bold: true }));
    for (const r of s.otherRecommendations) children.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(r.text)] }));
  }
  const doc = new Document({
    creator: s.association || 'Relais',
    title: s.consultation.title,
    description: s.consultation.doNotPublish ? s.words.do_not_publish : '',
    sections: [{ children }]
  });
  return Packer.toBuffer(doc);
}

async function csvRows(db: Kysely<Database>, organizationId: string, consultationId: string) {
  return inTenant(db, organizationId, async (trx) => {
    await consultationOf(trx, organizationId, consultationId);
    const statements = await trx.selectFrom('statement').selectAll().where('organization_id', '=', organizationId).where('consultation_id', '=', consultationId).execute();
    const ids = statements.map((s) => s.id);
    const votes = ids.length ? await trx.selectFrom('statement_vote').selectAll().where('organization_id', '=', organizationId).where('statement_id', 'in', ids).execute() : [];
    return {
      statements: statements.map((s) => ({ id: s.id, text: s.text, status: s.status, createdOn: s.created_on })),
      votes: votes.map((v) => ({ statementId: v.statement_id, voterTag: v.voter_tag, vote: v.vote, votedOn: v.voted_on }))
    };
  });
}

/** Pol.is comments.csv of the consultation's statements. Throws `not_found`. */
export async function statementsCsv(db: Kysely<Database>, organizationId: string, consultationId: string): Promise<string> {
  const { statements, votes } = await csvRows(db, organizationId, consultationId);
  return polisStatements(statements, votes);
}

/** Pol.is votes.csv of the consultation's statement votes. Throws `not_found`. */
export async function votesCsv(db: Kysely<Database>, organizationId: string, consultationId: string): Promise<string> {
  const { statements, votes } = await csvRows(db, organizationId, consultationId);
  return polisVotes(statements, votes);
}

export type ExportFormat = 'docx' | 'statements' | 'votes';

/** Records an export in the audit log (the consultation, the facilitator; never the content). */
export async function auditExport(ctx: ParticipationContext, consultationId: string): Promise<void> {
  await appendAudit(ctx.db, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'submission.export', target: { kind: 'consultation', id: consultationId }, at: nowOf(ctx) });
}

/** The association's presentation and the "do not publish" flag. Throws `not_found`, ParticipationRefusedError. */
export async function updateSubmissionSettings(ctx: ParticipationContext, consultationId: string, input: { presentation: unknown; doNotPublish: boolean }): Promise<void> {
  const org = ctx.who.organizationId;
  const presentation = typeof input.presentation === 'string' ? input.presentation.trim() : '';
  if (presentation.length > PRESENTATION_MAX) throw new ParticipationRefusedError('presentation', 'participation.deliberation.error.too_long');
  const now = nowOf(ctx);
  await inTenant(ctx.db, org, async (trx) => {
    await consultationOf(trx, org, consultationId);
    await trx
      .updateTable('consultation')
      .set({ presentation: presentation === '' ? null : presentation, do_not_publish: input.doNotPublish ? 1 : 0, updated_at: now.toISOString() })
      .where('organization_id', '=', org)
      .where('id', '=', consultationId)
      .execute();
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'submission.settings', target: { kind: 'consultation', id: consultationId }, at: now });
  });
}

/** Marks the submission sent (once). Throws `not_found`, ParticipationRefusedError. */
export async function markSubmitted(ctx: ParticipationContext, consultationId: string): Promise<void> {
  const org = ctx.who.organizationId;
  const now = nowOf(ctx);
  await inTenant(ctx.db, org, async (trx) => {
    const c = await consultationOf(trx, org, consultationId);
    if (c.submitted_at) throw new ParticipationRefusedError('form', 'participation.deliberation.error.submitted');
    await trx.updateTable('consultation').set({ submitted_at: now.toISOString(), updated_at: now.toISOString() }).where('organization_id', '=', org).where('id', '=', consultationId).execute();
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'submission.submit', target: { kind: 'consultation', id: consultationId }, at: now });
  });
}

/** What happened to the submission after it was sent. Throws `not_found`, ParticipationRefusedError. */
export async function recordOutcome(ctx: ParticipationContext, consultationId: string, outcome: unknown): Promise<void> {
  const org = ctx.who.organizationId;
  const text = typeof outcome === 'string' ? outcome.trim() : '';
  if (text.length > OUTCOME_MAX) throw new ParticipationRefusedError('outcome', 'participation.deliberation.error.too_long');
  const now = nowOf(ctx);
  await inTenant(ctx.db, org, async (trx) => {
    const c = await consultationOf(trx, org, consultationId);
    if (!c.submitted_at) throw new ParticipationRefusedError('outcome', 'participation.submission.error.not_submitted');
    await trx.updateTable('consultation').set({ outcome: text === '' ? null : text, updated_at: now.toISOString() }).where('organization_id', '=', org).where('id', '=', consultationId).execute();
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'submission.outcome', target: { kind: 'consultation', id: consultationId }, at: now });
  });
}

/** Guards an export: refused while flags are not reviewed. */
export function requireReviewed(submission: Submission, reviewed: boolean): void {
  if (submission.disclosure.length > 0 && !reviewed) throw new ParticipationRefusedError('reviewed', 'participation.submission.error.review');
}

