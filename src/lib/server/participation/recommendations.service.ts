/**
 * Recommendations (issue 7: "drafted from supported statements, amended with version
 * history, and adopted by a vote (agree / abstain / disagree / block with a reason)").
 *
 * Life of a recommendation: `draft` (version 1 written from chosen statements) → amended any
 * number of times (each amendment is a new `recommendation_version`, never an overwrite) →
 * `voting` (the facilitator opens the adoption vote on the current version) → the facilitator
 * closes it: `adopted` when the rule of participation/results.ts `adoptionOutcome` says so,
 * otherwise back to `draft` with the block reasons shown. Votes belong to one version: an
 * amendment starts a fresh vote. `withdrawn`: dropped.
 *
 * Members vote with their voter tag; a block needs a reason, encrypted under the
 * organization's key bound to `${recommendation_id}:${version}:${voter_tag}`. When the
 * consultation requires a training module (consultation.required_module_id), a member
 * without its completion cannot vote (`trainingGate`).
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { DomainError } from '../../errors';
import { adoptionOutcome, ADOPTION_CHOICES, type AdoptionChoice, type AdoptionOutcome } from '../../participation/results';
import { dataKeyOf } from '../accounts/organization.service';
import { appendAudit } from '../audit/audit';
import { decryptField, encryptField } from '../crypto/envelope';
import type { Database, RecommendationTable } from '../db/schema';
import { inTenant } from '../db/tenant';
import { voterTag } from './authorship';
import { consultationOf, dayOf, nowOf, ParticipationRefusedError, phaseOf, requiredText, requireNotSubmitted, type ParticipationContext } from './deliberation';
import { memberMay } from '../../participation/phases';

export const RECOMMENDATION_MAX = 4000;
export const NOTE_MAX = 500;
export const REASON_MAX = 1000;

const reasonContext = (recommendationId: string, version: number, tag: string) => ({
  table: 'recommendation_vote',
  column: 'reason_encrypted',
  rowId: `${recommendationId}:${version}:${tag}`
});

export interface RecommendationView {
  id: string;
  position: number;
  status: string;
  themeId: string | null;
  currentVersion: number;
  text: string;
  versions: Array<{ version: number; text: string; note: string | null; changedAt: string }>;
  statementIds: string[];
  adoptedAt: string | null;
  /** The adoption vote on the current version (counts with the small-count rule). */
  outcome: AdoptionOutcome;
}

async function recommendationOf(trx: Transaction<Database>, organizationId: string, consultationId: string, id: unknown): Promise<RecommendationTable> {
  if (typeof id !== 'string' || id.length > 60) throw new DomainError('not_found');
  const row = await trx.selectFrom('recommendation').selectAll().where('organization_id', '=', organizationId).where('consultation_id', '=', consultationId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('not_found');
  return row;
}

/**
 * A new recommendation (version 1) from statements of the consultation. Throws `not_found`,
 * ParticipationRefusedError.
 */
export async function draftRecommendation(ctx: ParticipationContext, consultationId: string, input: { text: unknown; statementIds: readonly string[]; themeId?: unknown }): Promise<string> {
  const org = ctx.who.organizationId;
  const text = requiredText(input.text, 'text', RECOMMENDATION_MAX);
  const now = nowOf(ctx);
  return inTenant(ctx.db, org, async (trx) => {
    requireNotSubmitted(await consultationOf(trx, org, consultationId));
    const wanted = [...new Set(input.statementIds)].filter((s) => typeof s === 'string' && s.length <= 60);
    const statements = wanted.length
      ? await trx.selectFrom('statement').select(['id', 'theme_id']).where('organization_id', '=', org).where('consultation_id', '=', consultationId).where('id', 'in', wanted).where('status', '!=', 'removed').execute()
      : [];
    if (statements.length !== wanted.length) throw new ParticipationRefusedError('statements', 'participation.recommendation.error.statements');
    let themeId: string | null = null;
    if (typeof input.themeId === 'string' && input.themeId !== '') {
      const t = await trx.selectFrom('theme').select('id').where('organization_id', '=', org).where('consultation_id', '=', consultationId).where('id', '=', input.themeId).executeTakeFirst();
      if (!t) throw new ParticipationRefusedError('theme', 'participation.theme.error.into');
      themeId = t.id;
    } else {
      themeId = statements.find((s) => s.theme_id)?.theme_id ?? null;
    }
    const max = await trx.selectFrom('recommendation').select((eb) => eb.fn.max('position').as('max')).where('organization_id', '=', org).where('consultation_id', '=', consultationId).executeTakeFirst();
    const id = randomUUID();
    await trx
      .insertInto('recommendation')
      .values({ id, organization_id: org, consultation_id: consultationId, theme_id: themeId, position: Number(max?.max ?? 0) + 1, status: 'draft', current_version: 1, adopted_at: null, created_by: ctx.who.accountId, created_at: now.toISOString() })
      .execute();
    await trx.insertInto('recommendation_version').values({ organization_id: org, recommendation_id: id, version: 1, text, note: null, changed_by: ctx.who.accountId, changed_at: now.toISOString() }).execute();
    for (const s of statements) await trx.insertInto('recommendation_statement').values({ organization_id: org, recommendation_id: id, statement_id: s.id }).execute();
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'recommendation.draft', target: { kind: 'recommendation', id }, at: now });
    return id;
  });
}

/** A new version of its text (back to draft: the next vote is on this version). Throws `not_found`, ParticipationRefusedError. */
export async function amendRecommendation(ctx: ParticipationContext, consultationId: string, recommendationId: string, input: { text: unknown; note?: unknown }): Promise<number> {
  const org = ctx.who.organizationId;
  const text = requiredText(input.text, 'text', RECOMMENDATION_MAX);
  const note = typeof input.note === 'string' && input.note.trim() !== '' ? input.note.trim() : null;
  if (note && note.length > NOTE_MAX) throw new ParticipationRefusedError('note', 'participation.deliberation.error.too_long');
  const now = nowOf(ctx);
  return inTenant(ctx.db, org, async (trx) => {
    requireNotSubmitted(await consultationOf(trx, org, consultationId));
    const rec = await recommendationOf(trx, org, consultationId, recommendationId);
    if (rec.status === 'withdrawn') throw new ParticipationRefusedError('form', 'participation.recommendation.error.withdrawn');
    const version = rec.current_version + 1;
    await trx.insertInto('recommendation_version').values({ organization_id: org, recommendation_id: rec.id, version, text, note, changed_by: ctx.who.accountId, changed_at: now.toISOString() }).execute();
    await trx.updateTable('recommendation').set({ current_version: version, status: 'draft', adopted_at: null }).where('organization_id', '=', org).where('id', '=', rec.id).execute();
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'recommendation.amend', target: { kind: 'recommendation', id: rec.id }, at: now });
    return version;
  });
}

/** Opens, closes (applying the adoption rule) or withdraws. Throws `not_found`, ParticipationRefusedError. */
export async function setRecommendationStage(ctx: ParticipationContext, consultationId: string, recommendationId: string, stage: 'open_vote' | 'close_vote' | 'withdraw'): Promise<AdoptionOutcome | null> {
  const org = ctx.who.organizationId;
  const key = await dataKeyOf(ctx.db, ctx.masterKey, org);
  const now = nowOf(ctx);
  return inTenant(ctx.db, org, async (trx) => {
    requireNotSubmitted(await consultationOf(trx, org, consultationId));
    const rec = await recommendationOf(trx, org, consultationId, recommendationId);
    let outcome: AdoptionOutcome | null = null;
    if (stage === 'open_vote') {
      if (rec.status !== 'draft') throw new ParticipationRefusedError('form', 'participation.recommendation.error.not_draft');
      await trx.updateTable('recommendation').set({ status: 'voting' }).where('organization_id', '=', org).where('id', '=', rec.id).execute();
    } else if (stage === 'close_vote') {
      if (rec.status !== 'voting') throw new ParticipationRefusedError('form', 'participation.recommendation.error.not_voting');
      outcome = await outcomeOf(trx, key, org, rec);
      await trx
        .updateTable('recommendation')
        .set(outcome.adopted ? { status: 'adopted', adopted_at: now.toISOString() } : { status: 'draft' })
        .where('organization_id', '=', org)
        .where('id', '=', rec.id)
        .execute();
    } else {
      await trx.updateTable('recommendation').set({ status: 'withdrawn' }).where('organization_id', '=', org).where('id', '=', rec.id).execute();
    }
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: `recommendation.${stage}`, target: { kind: 'recommendation', id: rec.id }, at: now });
    return outcome;
  });
}

async function outcomeOf(trx: Transaction<Database>, key: Buffer, org: string, rec: RecommendationTable): Promise<AdoptionOutcome> {
  const votes = await trx
    .selectFrom('recommendation_vote')
    .selectAll()
    .where('organization_id', '=', org)
    .where('recommendation_id', '=', rec.id)
    .where('version', '=', rec.current_version)
    .execute();
  return adoptionOutcome(
    votes.map((v) => ({
      vote: v.vote as AdoptionChoice,
      reason: v.reason_encrypted ? decryptField(key, v.reason_encrypted, reasonContext(rec.id, v.version, v.voter_tag)) : null
    }))
  );
}

/** The consultation's recommendations, with history and the current version's vote. Throws `not_found`. */
export async function listRecommendations(ctx: ParticipationContext, consultationId: string): Promise<RecommendationView[]> {
  const org = ctx.who.organizationId;
  const key = await dataKeyOf(ctx.db, ctx.masterKey, org);
  return inTenant(ctx.db, org, async (trx) => {
    await consultationOf(trx, org, consultationId);
    const recs = await trx.selectFrom('recommendation').selectAll().where('organization_id', '=', org).where('consultation_id', '=', consultationId).orderBy('position').orderBy('id').execute();
    const ids = recs.map((r) => r.id);
    const versions = ids.length ? await trx.selectFrom('recommendation_version').selectAll().where('organization_id', '=', org).where('recommendation_id', 'in', ids).orderBy('version').execute() : [];
    const links = ids.length ? await trx.selectFrom('recommendation_statement').selectAll().where('organization_id', '=', org).where('recommendation_id', 'in', ids).execute() : [];
    const out: RecommendationView[] = [];
    for (const r of recs) {
      const own = versions.filter((v) => v.recommendation_id === r.id);
      out.push({
        id: r.id,
        position: r.position,
        status: r.status,
        themeId: r.theme_id,
        currentVersion: r.current_version,
        text: own.find((v) => v.version === r.current_version)?.text ?? '',
        versions: own.map((v) => ({ version: v.version, text: v.text, note: v.note, changedAt: v.changed_at })),
        statementIds: links.filter((l) => l.recommendation_id === r.id).map((l) => l.statement_id).sort(),
        adoptedAt: r.adopted_at,
        outcome: await outcomeOf(trx, key, org, r)
      });
    }
    return out;
  });
}

export interface TrainingGate {
  /** The module the consultation requires, if any. */
  module: { id: string; title: string } | null;
  /** She may take part in drafting and adopting (no module required, or she completed it). */
  allowed: boolean;
}

/** Whether she may take part in drafting and adopting recommendations. Throws `not_found`. */
export async function trainingGate(ctx: ParticipationContext, consultationId: string): Promise<TrainingGate> {
  const org = ctx.who.organizationId;
  return inTenant(ctx.db, org, async (trx) => {
    const c = await consultationOf(trx, org, consultationId);
    if (!c.required_module_id) return { module: null, allowed: true };
    const module = await trx.selectFrom('training_module').select(['id', 'title']).where('organization_id', '=', org).where('id', '=', c.required_module_id).executeTakeFirst();
    const done = await trx
      .selectFrom('training_completion')
      .select('module_id')
      .where('organization_id', '=', org)
      .where('module_id', '=', c.required_module_id)
      .where('account_id', '=', ctx.who.accountId)
      .executeTakeFirst();
    return { module: module ? { id: module.id, title: module.title } : { id: c.required_module_id, title: '' }, allowed: done !== undefined };
  });
}

export interface MemberRecommendation {
  id: string;
  position: number;
  version: number;
  text: string;
  status: string;
  myVote: AdoptionChoice | null;
}

/** What she reads and votes on: recommendations under vote or adopted, with her vote on the current version. Throws `not_found`. */
export async function memberRecommendations(ctx: ParticipationContext, consultationId: string): Promise<MemberRecommendation[]> {
  const org = ctx.who.organizationId;
  const tag = voterTag(ctx.masterKey, org, consultationId, ctx.who.accountId);
  return inTenant(ctx.db, org, async (trx) => {
    await consultationOf(trx, org, consultationId);
    const recs = await trx
      .selectFrom('recommendation')
      .selectAll()
      .where('organization_id', '=', org)
      .where('consultation_id', '=', consultationId)
      .where('status', 'in', ['voting', 'adopted'])
      .orderBy('position')
      .orderBy('id')
      .execute();
    const out: MemberRecommendation[] = [];
    for (const r of recs) {
      const v = await trx.selectFrom('recommendation_version').select('text').where('organization_id', '=', org).where('recommendation_id', '=', r.id).where('version', '=', r.current_version).executeTakeFirst();
      const mine = await trx
        .selectFrom('recommendation_vote')
        .select('vote')
        .where('organization_id', '=', org)
        .where('recommendation_id', '=', r.id)
        .where('version', '=', r.current_version)
        .where('voter_tag', '=', tag)
        .executeTakeFirst();
      out.push({ id: r.id, position: r.position, version: r.current_version, text: v?.text ?? '', status: r.status, myVote: (mine?.vote as AdoptionChoice) ?? null });
    }
    return out;
  });
}

/**
 * Her adoption vote on the current version of a recommendation under vote (replaces an
 * earlier one). A block needs a reason. Refused without the required training. Throws
 * `not_found`, `forbidden`, ParticipationRefusedError.
 */
export async function castAdoptionVote(ctx: ParticipationContext, consultationId: string, recommendationId: unknown, input: { vote: unknown; reason?: unknown }): Promise<void> {
  const org = ctx.who.organizationId;
  const vote = input.vote as AdoptionChoice;
  if (!ADOPTION_CHOICES.includes(vote)) throw new ParticipationRefusedError('vote', 'participation.vote.error.choice');
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (vote === 'block' && reason === '') throw new ParticipationRefusedError('reason', 'participation.adoption.error.reason');
  if (reason.length > REASON_MAX) throw new ParticipationRefusedError('reason', 'participation.deliberation.error.too_long');
  const gate = await trainingGate(ctx, consultationId);
  if (!gate.allowed) throw new ParticipationRefusedError('form', 'participation.adoption.error.training');
  const key = await dataKeyOf(ctx.db, ctx.masterKey, org);
  const tag = voterTag(ctx.masterKey, org, consultationId, ctx.who.accountId);
  const now = nowOf(ctx);
  await inTenant(ctx.db, org, async (trx) => {
    const consultation = await consultationOf(trx, org, consultationId);
    requireNotSubmitted(consultation);
    const member = await trx.selectFrom('participation_member').select('left_at').where('organization_id', '=', org).where('account_id', '=', ctx.who.accountId).executeTakeFirst();
    if (!member || member.left_at) throw new DomainError('forbidden');
    if (!memberMay('adopt', phaseOf(consultation))) throw new ParticipationRefusedError('form', 'participation.adoption.error.phase');
    const rec = await recommendationOf(trx, org, consultationId, recommendationId).catch(() => {
      throw new ParticipationRefusedError('recommendation', 'participation.adoption.error.closed');
    });
    if (rec.status !== 'voting') throw new ParticipationRefusedError('recommendation', 'participation.adoption.error.closed');
    await trx
      .deleteFrom('recommendation_vote')
      .where('organization_id', '=', org)
      .where('recommendation_id', '=', rec.id)
      .where('version', '=', rec.current_version)
      .where('voter_tag', '=', tag)
      .execute();
    await trx
      .insertInto('recommendation_vote')
      .values({
        organization_id: org,
        recommendation_id: rec.id,
        version: rec.current_version,
        voter_tag: tag,
        vote,
        reason_encrypted: reason ? encryptField(key, reason, reasonContext(rec.id, rec.current_version, tag)) : null,
        voted_on: dayOf(now)
      })
      .execute();
  });
}
