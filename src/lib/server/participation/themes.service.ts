/**
 * Themes of a consultation (issue 7: "Facilitators group contributions into themes; Relais
 * suggests a grouping … Members confirm, merge, rename or reject themes in a workshop; the
 * result is recorded"). Facilitators (policy participation.facilitate) act here; each
 * decision is a `theme_decision` row naming the workshop where the members decided.
 *
 * Only usable contributions are ever listed: a withdrawn one keeps its `theme_contribution`
 * row (so that it comes back if the member submits it again) but no reader shows or counts it.
 * Audit: actions on themes name the facilitator and the theme; a contribution moved between
 * themes is logged with the theme as target, never with who wrote it.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { DomainError } from '../../errors';
import { suggestThemes } from '../../participation/themes';
import { appendAudit } from '../audit/audit';
import type { Database, ThemeTable } from '../db/schema';
import { inTenant } from '../db/tenant';
import {
  consultationOf,
  nowOf,
  orderedId,
  ParticipationRefusedError,
  readUsableContributions,
  requiredText,
  requireNotSubmitted,
  type ParticipationContext,
  type UsableContribution
} from './deliberation';

export const THEME_TITLE_MAX = 200;
export const THEME_SUMMARY_MAX = 4000;
export type ThemeAction = 'confirm' | 'rename' | 'merge' | 'reject';
export const THEME_ACTIONS: readonly ThemeAction[] = ['confirm', 'rename', 'merge', 'reject'];

export interface ThemeContributionView extends UsableContribution {
  quoted: boolean;
}

export interface ThemeDecisionView {
  action: string;
  detail: string | null;
  workshopId: string | null;
  workshopTitle: string | null;
  decidedAt: string;
}

export interface ThemeView {
  id: string;
  title: string;
  summary: string | null;
  status: string;
  origin: string;
  mergedInto: string | null;
  contributions: ThemeContributionView[];
  decisions: ThemeDecisionView[];
}

export interface ThemesPage {
  consultation: { id: string; title: string; language: string; submitted: boolean };
  themes: ThemeView[];
  /** Usable contributions in no live theme. */
  unthemed: UsableContribution[];
  workshops: Array<{ id: string; title: string; startsAt: string }>;
  /** The chosen questions and the live themes mapped to each. */
  questions: Array<{ id: string; label: string; text: string; themeIds: string[] }>;
}

const LIVE = ['suggested', 'confirmed'];

async function themeOf(trx: Transaction<Database>, organizationId: string, themeId: string): Promise<ThemeTable> {
  if (typeof themeId !== 'string' || themeId.length > 60) throw new DomainError('not_found');
  const theme = await trx.selectFrom('theme').selectAll().where('organization_id', '=', organizationId).where('id', '=', themeId).executeTakeFirst();
  if (!theme) throw new DomainError('not_found');
  return theme;
}

async function nextPosition(trx: Transaction<Database>, organizationId: string, consultationId: string): Promise<number> {
  const row = await trx
    .selectFrom('theme')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('organization_id', '=', organizationId)
    .where('consultation_id', '=', consultationId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

/** Everything the themes page shows. Throws `not_found`. */
export async function themesPage(ctx: ParticipationContext, consultationId: string): Promise<ThemesPage> {
  const org = ctx.who.organizationId;
  const usable = await readUsableContributions(ctx.db, ctx.masterKey, org, consultationId);
  const byId = new Map(usable.map((c) => [c.id, c]));
  return inTenant(ctx.db, org, async (trx) => {
    const consultation = await consultationOf(trx, org, consultationId);
    const themes = await trx.selectFrom('theme').selectAll().where('organization_id', '=', org).where('consultation_id', '=', consultationId).orderBy('position').orderBy('id').execute();
    const ids = themes.map((t) => t.id);
    const links = ids.length
      ? await trx.selectFrom('theme_contribution').selectAll().where('organization_id', '=', org).where('theme_id', 'in', ids).orderBy('contribution_id').execute()
      : [];
    const decisions = ids.length
      ? await trx
          .selectFrom('theme_decision')
          .select(['theme_id', 'action', 'detail', 'workshop_id', 'decided_at'])
          .where('organization_id', '=', org)
          .where('theme_id', 'in', ids)
          .orderBy('decided_at')
          .orderBy('id')
          .execute()
      : [];
    const workshops = await trx
      .selectFrom('workshop')
      .select(['id', 'title', 'starts_at'])
      .where('organization_id', '=', org)
      .where('consultation_id', '=', consultationId)
      .where('cancelled_at', 'is', null)
      .orderBy('starts_at')
      .execute();
    const questions = await trx
      .selectFrom('consultation_question')
      .selectAll()
      .where('organization_id', '=', org)
      .where('consultation_id', '=', consultationId)
      .where('chosen', '=', 1)
      .orderBy('position')
      .execute();
    const qids = questions.map((q) => q.id);
    const map = qids.length ? await trx.selectFrom('question_theme').selectAll().where('organization_id', '=', org).where('question_id', 'in', qids).execute() : [];
    const liveIds = new Set(themes.filter((t) => LIVE.includes(t.status)).map((t) => t.id));
    const placed = new Set(links.filter((l) => liveIds.has(l.theme_id)).map((l) => l.contribution_id));
    return {
      consultation: { id: consultation.id, title: consultation.title, language: consultation.language, submitted: consultation.submitted_at !== null },
      themes: themes.map((t) => ({
        id: t.id,
        title: t.title,
        summary: t.summary,
        status: t.status,
        origin: t.origin,
        mergedInto: t.merged_into,
        contributions: links
          .filter((l) => l.theme_id === t.id && byId.has(l.contribution_id))
          .map((l) => ({ ...byId.get(l.contribution_id)!, quoted: Number(l.quoted) === 1 })),
        decisions: decisions
          .filter((d) => d.theme_id === t.id)
          .map((d) => ({ action: d.action, detail: d.detail, workshopId: d.workshop_id, workshopTitle: workshops.find((w) => w.id === d.workshop_id)?.title ?? null, decidedAt: d.decided_at }))
      })),
      unthemed: usable.filter((c) => !placed.has(c.id)),
      workshops: workshops.map((w) => ({ id: w.id, title: w.title, startsAt: w.starts_at })),
      questions: questions.map((q) => ({ id: q.id, label: q.label, text: q.text, themeIds: map.filter((m) => m.question_id === q.id && liveIds.has(m.theme_id)).map((m) => m.theme_id) }))
    };
  });
}

/**
 * Runs the local grouping (participation/themes.ts) over the usable contributions that are
 * in no live theme, and stores each suggested theme with its contributions (status and
 * origin 'suggested'). Suggested themes no one has decided on yet are replaced, so running
 * it twice does not pile up suggestions. Returns the ids of the new themes. Throws `not_found`.
 */
export async function suggestThemesFor(ctx: ParticipationContext, consultationId: string): Promise<string[]> {
  const org = ctx.who.organizationId;
  const usable = await readUsableContributions(ctx.db, ctx.masterKey, org, consultationId);
  const now = nowOf(ctx);
  return inTenant(ctx.db, org, async (trx) => {
    const consultation = await consultationOf(trx, org, consultationId);
    requireNotSubmitted(consultation);
    const themes = await trx.selectFrom('theme').selectAll().where('organization_id', '=', org).where('consultation_id', '=', consultationId).execute();
    const decided = new Set(
      themes.length ? (await trx.selectFrom('theme_decision').select('theme_id').where('organization_id', '=', org).where('theme_id', 'in', themes.map((t) => t.id)).execute()).map((d) => d.theme_id) : []
    );
    const used = new Set<string>();
    for (const table of ['statement', 'recommendation'] as const) {
      const rows = await trx.selectFrom(table).select('theme_id').where('organization_id', '=', org).where('consultation_id', '=', consultationId).where('theme_id', 'is not', null).execute();
      for (const r of rows) used.add(r.theme_id!);
    }
    const replaceable = themes.filter((t) => t.status === 'suggested' && t.origin === 'suggested' && !decided.has(t.id) && !used.has(t.id)).map((t) => t.id);
    if (replaceable.length) {
      await trx.deleteFrom('question_theme').where('organization_id', '=', org).where('theme_id', 'in', replaceable).execute();
      await trx.deleteFrom('theme_contribution').where('organization_id', '=', org).where('theme_id', 'in', replaceable).execute();
      await trx.deleteFrom('theme').where('organization_id', '=', org).where('id', 'in', replaceable).execute();
    }
    const kept = themes.filter((t) => LIVE.includes(t.status) && !replaceable.includes(t.id)).map((t) => t.id);
    const placed = new Set(
      kept.length ? (await trx.selectFrom('theme_contribution').select('contribution_id').where('organization_id', '=', org).where('theme_id', 'in', kept).execute()).map((r) => r.contribution_id) : []
    );
    const free = usable.filter((c) => !placed.has(c.id));
    const { themes: suggested } = suggestThemes(free, consultation.language);
    let position = await nextPosition(trx, org, consultationId);
    const ids: string[] = [];
    for (const s of suggested) {
      const id = randomUUID();
      ids.push(id);
      await trx
        .insertInto('theme')
        .values({ id, organization_id: org, consultation_id: consultationId, title: s.title || '…', summary: null, position: position++, status: 'suggested', merged_into: null, origin: 'suggested', created_by: ctx.who.accountId, created_at: now.toISOString() })
        .execute();
      for (const contributionId of s.contributionIds) {
        await trx.insertInto('theme_contribution').values({ organization_id: org, theme_id: id, contribution_id: contributionId, quoted: 0 }).execute();
      }
    }
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'theme.suggest', target: { kind: 'consultation', id: consultationId }, at: now });
    return ids;
  });
}

/** A theme made by hand (origin 'facilitator', status 'suggested' until members confirm it). Throws `not_found`, ParticipationRefusedError. */
export async function createTheme(ctx: ParticipationContext, consultationId: string, input: { title: unknown }): Promise<string> {
  const org = ctx.who.organizationId;
  const title = requiredText(input.title, 'title', THEME_TITLE_MAX);
  const now = nowOf(ctx);
  return inTenant(ctx.db, org, async (trx) => {
    requireNotSubmitted(await consultationOf(trx, org, consultationId));
    const id = randomUUID();
    await trx
      .insertInto('theme')
      .values({ id, organization_id: org, consultation_id: consultationId, title, summary: null, position: await nextPosition(trx, org, consultationId), status: 'suggested', merged_into: null, origin: 'facilitator', created_by: ctx.who.accountId, created_at: now.toISOString() })
      .execute();
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'theme.create', target: { kind: 'theme', id }, at: now });
    return id;
  });
}

export interface ThemeDecisionInput {
  action: unknown;
  /** The new title (rename). */
  title?: unknown;
  /** The theme it is merged into (merge). */
  into?: unknown;
  /** The workshop where the members decided; '' or null: decided outside a workshop. */
  workshopId?: unknown;
}

/**
 * Records what the members decided about a theme (confirm, rename, merge, reject) and applies
 * it. A merge moves the theme's contributions, statements, recommendations and questions to
 * the other theme. Throws `not_found`, ParticipationRefusedError.
 */
export async function decideTheme(ctx: ParticipationContext, consultationId: string, themeId: string, input: ThemeDecisionInput): Promise<void> {
  const org = ctx.who.organizationId;
  const action = input.action as ThemeAction;
  if (!THEME_ACTIONS.includes(action)) throw new ParticipationRefusedError('action', 'participation.theme.error.action');
  const now = nowOf(ctx);
  await inTenant(ctx.db, org, async (trx) => {
    requireNotSubmitted(await consultationOf(trx, org, consultationId));
    const theme = await themeOf(trx, org, themeId);
    if (theme.consultation_id !== consultationId) throw new DomainError('not_found');
    if (!LIVE.includes(theme.status)) throw new ParticipationRefusedError('form', 'participation.theme.error.closed');
    let workshopId: string | null = null;
    if (typeof input.workshopId === 'string' && input.workshopId !== '') {
      const w = await trx.selectFrom('workshop').select('id').where('organization_id', '=', org).where('id', '=', input.workshopId).where('consultation_id', '=', consultationId).executeTakeFirst();
      if (!w) throw new ParticipationRefusedError('workshop', 'participation.theme.error.workshop');
      workshopId = w.id;
    }
    let detail: string | null = null;
    if (action === 'confirm') {
      await trx.updateTable('theme').set({ status: 'confirmed' }).where('organization_id', '=', org).where('id', '=', themeId).execute();
    } else if (action === 'reject') {
      await trx.updateTable('theme').set({ status: 'rejected' }).where('organization_id', '=', org).where('id', '=', themeId).execute();
      await trx.deleteFrom('question_theme').where('organization_id', '=', org).where('theme_id', '=', themeId).execute();
    } else if (action === 'rename') {
      const title = requiredText(input.title, 'title', THEME_TITLE_MAX);
      detail = title;
      await trx.updateTable('theme').set({ title }).where('organization_id', '=', org).where('id', '=', themeId).execute();
    } else {
      const intoId = typeof input.into === 'string' ? input.into : '';
      const into = intoId ? await trx.selectFrom('theme').selectAll().where('organization_id', '=', org).where('id', '=', intoId).executeTakeFirst() : undefined;
      if (!into || into.consultation_id !== consultationId || into.id === themeId || !LIVE.includes(into.status)) throw new ParticipationRefusedError('into', 'participation.theme.error.into');
      detail = into.id;
      const links = await trx.selectFrom('theme_contribution').selectAll().where('organization_id', '=', org).where('theme_id', '=', themeId).execute();
      const there = new Set((await trx.selectFrom('theme_contribution').select('contribution_id').where('organization_id', '=', org).where('theme_id', '=', into.id).execute()).map((r) => r.contribution_id));
      for (const l of links) {
        if (!there.has(l.contribution_id)) await trx.insertInto('theme_contribution').values({ organization_id: org, theme_id: into.id, contribution_id: l.contribution_id, quoted: Number(l.quoted) }).execute();
      }
      await trx.deleteFrom('theme_contribution').where('organization_id', '=', org).where('theme_id', '=', themeId).execute();
      for (const table of ['statement', 'recommendation'] as const) {
        await trx.updateTable(table).set({ theme_id: into.id }).where('organization_id', '=', org).where('theme_id', '=', themeId).execute();
      }
      const questions = await trx.selectFrom('question_theme').selectAll().where('organization_id', '=', org).where('theme_id', '=', themeId).execute();
      await trx.deleteFrom('question_theme').where('organization_id', '=', org).where('theme_id', '=', themeId).execute();
      for (const q of questions) {
        const exists = await trx.selectFrom('question_theme').select('question_id').where('organization_id', '=', org).where('question_id', '=', q.question_id).where('theme_id', '=', into.id).executeTakeFirst();
        if (!exists) await trx.insertInto('question_theme').values({ organization_id: org, question_id: q.question_id, theme_id: into.id }).execute();
      }
      await trx.updateTable('theme').set({ status: 'merged', merged_into: into.id }).where('organization_id', '=', org).where('id', '=', themeId).execute();
    }
    await trx
      .insertInto('theme_decision')
      .values({ id: orderedId(), organization_id: org, theme_id: themeId, action, detail, workshop_id: workshopId, decided_by: ctx.who.accountId, decided_at: now.toISOString() })
      .execute();
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'theme.decide', target: { kind: 'theme', id: themeId }, at: now });
  });
}

/** The theme's collective summary, as the submission will print it ('' clears it). Throws `not_found`, ParticipationRefusedError. */
export async function summariseTheme(ctx: ParticipationContext, consultationId: string, themeId: string, summary: unknown): Promise<void> {
  const org = ctx.who.organizationId;
  const text = typeof summary === 'string' ? summary.trim() : '';
  if (text.length > THEME_SUMMARY_MAX) throw new ParticipationRefusedError('summary', 'participation.deliberation.error.too_long');
  await inTenant(ctx.db, org, async (trx) => {
    requireNotSubmitted(await consultationOf(trx, org, consultationId));
    const theme = await themeOf(trx, org, themeId);
    if (theme.consultation_id !== consultationId) throw new DomainError('not_found');
    await trx.updateTable('theme').set({ summary: text === '' ? null : text }).where('organization_id', '=', org).where('id', '=', themeId).execute();
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'theme.summarise', target: { kind: 'theme', id: themeId }, at: nowOf(ctx) });
  });
}

/**
 * Moves a usable contribution into a live theme (out of the one it was in, if `fromThemeId`),
 * and sets whether it is quoted in the submission (quoting needs her 'quote' consent).
 * Throws `not_found`, ParticipationRefusedError.
 */
export async function placeContribution(
  ctx: ParticipationContext,
  consultationId: string,
  input: { contributionId: unknown; toThemeId: unknown; fromThemeId?: unknown; quoted?: boolean }
): Promise<void> {
  const org = ctx.who.organizationId;
  await inTenant(ctx.db, org, (trx) => consultationOf(trx, org, consultationId));
  const usable = await readUsableContributions(ctx.db, ctx.masterKey, org, consultationId);
  const contribution = usable.find((c) => c.id === input.contributionId);
  if (!contribution) throw new ParticipationRefusedError('contribution', 'participation.theme.error.contribution');
  if (input.quoted && contribution.consent !== 'quote') throw new ParticipationRefusedError('quoted', 'participation.theme.error.no_quote_consent');
  await inTenant(ctx.db, org, async (trx) => {
    requireNotSubmitted(await consultationOf(trx, org, consultationId));
    const to = await themeOf(trx, org, String(input.toThemeId ?? ''));
    if (to.consultation_id !== consultationId || !LIVE.includes(to.status)) throw new ParticipationRefusedError('to', 'participation.theme.error.into');
    if (typeof input.fromThemeId === 'string' && input.fromThemeId !== '' && input.fromThemeId !== to.id) {
      await trx.deleteFrom('theme_contribution').where('organization_id', '=', org).where('theme_id', '=', input.fromThemeId).where('contribution_id', '=', contribution.id).execute();
    }
    const quoted = input.quoted ? 1 : 0;
    const existing = await trx.selectFrom('theme_contribution').select('quoted').where('organization_id', '=', org).where('theme_id', '=', to.id).where('contribution_id', '=', contribution.id).executeTakeFirst();
    if (existing) {
      await trx.updateTable('theme_contribution').set({ quoted }).where('organization_id', '=', org).where('theme_id', '=', to.id).where('contribution_id', '=', contribution.id).execute();
    } else {
      await trx.insertInto('theme_contribution').values({ organization_id: org, theme_id: to.id, contribution_id: contribution.id, quoted }).execute();
    }
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'theme.place', target: { kind: 'theme', id: to.id }, at: nowOf(ctx) });
  });
}

/** Which live themes answer a chosen question (replaces its list). Throws `not_found`, ParticipationRefusedError. */
export async function mapQuestionThemes(ctx: ParticipationContext, consultationId: string, questionId: string, themeIds: readonly string[]): Promise<void> {
  const org = ctx.who.organizationId;
  await inTenant(ctx.db, org, async (trx) => {
    requireNotSubmitted(await consultationOf(trx, org, consultationId));
    const question = await trx
      .selectFrom('consultation_question')
      .selectAll()
      .where('organization_id', '=', org)
      .where('id', '=', questionId)
      .where('consultation_id', '=', consultationId)
      .executeTakeFirst();
    if (!question || question.chosen !== 1) throw new ParticipationRefusedError('question', 'participation.theme.error.question');
    const live = themeIds.length
      ? await trx.selectFrom('theme').select('id').where('organization_id', '=', org).where('consultation_id', '=', consultationId).where('id', 'in', [...themeIds]).where('status', 'in', LIVE).execute()
      : [];
    if (live.length !== new Set(themeIds).size) throw new ParticipationRefusedError('themes', 'participation.theme.error.into');
    await trx.deleteFrom('question_theme').where('organization_id', '=', org).where('question_id', '=', questionId).execute();
    for (const t of live) await trx.insertInto('question_theme').values({ organization_id: org, question_id: questionId, theme_id: t.id }).execute();
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'theme.map', target: { kind: 'question', id: questionId }, at: nowOf(ctx) });
  });
}
