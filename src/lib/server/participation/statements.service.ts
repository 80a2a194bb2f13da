/**
 * Statements and their votes (issue 7: "Statements proposed by facilitators or members;
 * members vote agree / disagree / unsure, one statement per screen"; "Results show counts …
 * no count below 5 is ever shown").
 *
 * A vote is keyed by her voter tag (authorship.ts `voterTag`: one per member and
 * consultation), with the declared groups the consensus reads: her language and the last
 * workshop of this consultation she attended. Re-voting replaces her vote. Votes are not
 * audited (an entry "she voted on statement X" says nothing useful and points at her); a
 * member's proposal is not audited (its place in the chain would name her).
 * Results go through participation/results.ts: counts under 5 leave this module only as
 * `{ kind: 'fewer' }`, never as numbers.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../errors';
import { shown, statementResult, STATEMENT_CHOICES, type Shown, type StatementChoice, type StatementResult } from '../../participation/results';
import { appendAudit } from '../audit/audit';
import { inTenant } from '../db/tenant';
import { voterTag } from './authorship';
import { memberMay } from '../../participation/phases';
import { consultationOf, dayOf, orderedId, nowOf, ParticipationRefusedError, readUsableContributions, requiredText, requireNotSubmitted, phaseOf, type ParticipationContext } from './deliberation';

/** Pol.is keeps statements to 140 characters; a little more room for French. */
export const STATEMENT_MAX = 280;

export interface StatementResultView {
  id: string;
  text: string;
  language: string;
  proposedBy: string;
  status: string;
  theme: { id: string; title: string } | null;
  /** How many usable contributions its theme holds (the evidence), with the small-count rule. */
  evidence: Shown | null;
  result: StatementResult;
}

/** A statement proposed by a facilitator, or by a member (never recorded which). Throws `not_found`, ParticipationRefusedError. */
export async function proposeStatement(
  ctx: ParticipationContext,
  consultationId: string,
  input: { text: unknown; themeId?: unknown; language?: unknown },
  by: 'facilitator' | 'member'
): Promise<string> {
  const org = ctx.who.organizationId;
  const text = requiredText(input.text, 'text', STATEMENT_MAX);
  const now = nowOf(ctx);
  return inTenant(ctx.db, org, async (trx) => {
    if (by === 'member') {
      // Only a current member of the participation group (not one who left).
      const member = await trx.selectFrom('participation_member').select('left_at').where('organization_id', '=', org).where('account_id', '=', ctx.who.accountId).executeTakeFirst();
      if (!member || member.left_at) throw new DomainError('forbidden');
    }
    const consultation = await consultationOf(trx, org, consultationId);
    requireNotSubmitted(consultation);
    // Members propose while they vote (the agree phase); facilitators whenever.
    if (by === 'member' && !memberMay('vote', phaseOf(consultation))) throw new ParticipationRefusedError('form', 'participation.vote.error.phase');
    let themeId: string | null = null;
    if (typeof input.themeId === 'string' && input.themeId !== '') {
      const theme = await trx.selectFrom('theme').select(['id', 'status']).where('organization_id', '=', org).where('id', '=', input.themeId).where('consultation_id', '=', consultationId).executeTakeFirst();
      if (!theme || !['suggested', 'confirmed'].includes(theme.status)) throw new ParticipationRefusedError('theme', 'participation.theme.error.into');
      themeId = theme.id;
    }
    const language = typeof input.language === 'string' && /^[a-z]{2,3}$/.test(input.language) ? input.language : consultation.language;
    // A member's proposal gets a random id: an id that sorts by time would carry the instant
    // she proposed it, which her session's activity could be lined up with.
    const id = by === 'member' ? randomUUID() : orderedId();
    await trx
      .insertInto('statement')
      .values({ id, organization_id: org, consultation_id: consultationId, theme_id: themeId, text, language, proposed_by: by, status: 'open', created_on: dayOf(now) })
      .execute();
    // A member's proposal is not audited: next to her sign-in in the chain, it would name her.
    if (by === 'facilitator') await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'statement.propose', target: { kind: 'statement', id }, at: now });
    return id;
  });
}

/** Takes a statement out of the vote (kept, marked removed). Throws `not_found`. */
export async function removeStatement(ctx: ParticipationContext, consultationId: string, statementId: string): Promise<void> {
  const org = ctx.who.organizationId;
  await inTenant(ctx.db, org, async (trx) => {
    requireNotSubmitted(await consultationOf(trx, org, consultationId));
    const done = await trx
      .updateTable('statement')
      .set({ status: 'removed' })
      .where('organization_id', '=', org)
      .where('consultation_id', '=', consultationId)
      .where('id', '=', String(statementId))
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw new DomainError('not_found');
    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'statement.remove', target: { kind: 'statement', id: String(statementId) }, at: nowOf(ctx) });
  });
}

/** Every statement of the consultation with its results (small-count rule applied). Throws `not_found`. */
export async function statementResults(ctx: ParticipationContext, consultationId: string): Promise<StatementResultView[]> {
  const org = ctx.who.organizationId;
  const usable = new Set((await readUsableContributions(ctx.db, ctx.masterKey, org, consultationId)).map((c) => c.id));
  return inTenant(ctx.db, org, async (trx) => {
    await consultationOf(trx, org, consultationId);
    const statements = await trx.selectFrom('statement').selectAll().where('organization_id', '=', org).where('consultation_id', '=', consultationId).orderBy('created_on').orderBy('id').execute();
    const ids = statements.map((s) => s.id);
    const votes = ids.length ? await trx.selectFrom('statement_vote').selectAll().where('organization_id', '=', org).where('statement_id', 'in', ids).execute() : [];
    const themes = await trx.selectFrom('theme').select(['id', 'title']).where('organization_id', '=', org).where('consultation_id', '=', consultationId).execute();
    const themeIds = themes.map((t) => t.id);
    const links = themeIds.length ? await trx.selectFrom('theme_contribution').select(['theme_id', 'contribution_id']).where('organization_id', '=', org).where('theme_id', 'in', themeIds).execute() : [];
    return statements.map((s) => {
      const theme = themes.find((t) => t.id === s.theme_id) ?? null;
      return {
        id: s.id,
        text: s.text,
        language: s.language,
        proposedBy: s.proposed_by,
        status: s.status,
        theme: theme ? { id: theme.id, title: theme.title } : null,
        evidence: theme ? shown(links.filter((l) => l.theme_id === theme.id && usable.has(l.contribution_id)).length) : null,
        result: statementResult(
          votes.filter((v) => v.statement_id === s.id).map((v) => ({ vote: v.vote as StatementChoice, groupLanguage: v.group_language, groupWorkshop: v.group_workshop }))
        )
      };
    });
  });
}

export interface BallotScreen {
  /** Open statements, in order. */
  total: number;
  /** How many of them she voted on. */
  voted: number;
  /** The statement on this screen (1-based position), or null when none is open. */
  current: { id: string; text: string; language: string; position: number; myVote: StatementChoice | null } | null;
  /** The next statement she has not voted on, after this one (its position), or null. */
  next: number | null;
  /** Whether members vote now (the agree phase is open): otherwise she reads, without buttons. */
  votingOpen: boolean;
}

/**
 * Her voting screen: the statement at `position` (1-based), or else the first one she has not
 * voted on yet, or else the first. Throws `not_found`.
 */
export async function ballotScreen(ctx: ParticipationContext, consultationId: string, position?: number): Promise<BallotScreen> {
  const org = ctx.who.organizationId;
  const tag = voterTag(ctx.masterKey, org, consultationId, ctx.who.accountId);
  return inTenant(ctx.db, org, async (trx) => {
    const consultation = await consultationOf(trx, org, consultationId);
    const votingOpen = memberMay('vote', phaseOf(consultation));
    const open = await trx
      .selectFrom('statement')
      .select(['id', 'text', 'language'])
      .where('organization_id', '=', org)
      .where('consultation_id', '=', consultationId)
      .where('status', '=', 'open')
      .orderBy('created_on')
      .orderBy('id')
      .execute();
    const mine = open.length
      ? await trx.selectFrom('statement_vote').select(['statement_id', 'vote']).where('organization_id', '=', org).where('voter_tag', '=', tag).where('statement_id', 'in', open.map((s) => s.id)).execute()
      : [];
    const voteOf = new Map(mine.map((v) => [v.statement_id, v.vote as StatementChoice]));
    if (open.length === 0) return { total: 0, voted: 0, current: null, next: null, votingOpen };
    let index = position !== undefined && Number.isInteger(position) && position >= 1 && position <= open.length ? position - 1 : open.findIndex((s) => !voteOf.has(s.id));
    if (index < 0) index = 0;
    const after = open.findIndex((s, i) => i > index && !voteOf.has(s.id));
    const s = open[index]!;
    return {
      total: open.length,
      voted: voteOf.size,
      current: { id: s.id, text: s.text, language: s.language, position: index + 1, myVote: voteOf.get(s.id) ?? null },
      next: after >= 0 ? after + 1 : null,
      votingOpen
    };
  });
}

/**
 * Her vote on an open statement (replaces an earlier one). Her groups: her language, and the
 * last workshop of this consultation she attended. Throws `not_found`, ParticipationRefusedError.
 */
export async function castStatementVote(ctx: ParticipationContext, consultationId: string, statementId: unknown, vote: unknown): Promise<void> {
  const org = ctx.who.organizationId;
  if (!STATEMENT_CHOICES.includes(vote as StatementChoice)) throw new ParticipationRefusedError('vote', 'participation.vote.error.choice');
  const tag = voterTag(ctx.masterKey, org, consultationId, ctx.who.accountId);
  const now = nowOf(ctx);
  await inTenant(ctx.db, org, async (trx) => {
    const consultation = await consultationOf(trx, org, consultationId);
    requireNotSubmitted(consultation);
    if (!memberMay('vote', phaseOf(consultation))) throw new ParticipationRefusedError('form', 'participation.vote.error.phase');
    const statement = await trx
      .selectFrom('statement')
      .select('id')
      .where('organization_id', '=', org)
      .where('consultation_id', '=', consultationId)
      .where('id', '=', String(statementId ?? ''))
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (!statement) throw new ParticipationRefusedError('statement', 'participation.vote.error.statement');
    const member = await trx.selectFrom('participation_member').select(['language', 'left_at']).where('organization_id', '=', org).where('account_id', '=', ctx.who.accountId).executeTakeFirst();
    if (!member || member.left_at) throw new DomainError('forbidden');
    const last = await trx
      .selectFrom('workshop_attendance')
      .innerJoin('workshop', (j) => j.onRef('workshop.id', '=', 'workshop_attendance.workshop_id').onRef('workshop.organization_id', '=', 'workshop_attendance.organization_id'))
      .select('workshop.id')
      .where('workshop_attendance.organization_id', '=', org)
      .where('workshop.organization_id', '=', org)
      .where('workshop_attendance.account_id', '=', ctx.who.accountId)
      .where('workshop.consultation_id', '=', consultationId)
      .orderBy('workshop.starts_at', 'desc')
      .executeTakeFirst();
    await trx.deleteFrom('statement_vote').where('organization_id', '=', org).where('statement_id', '=', statement.id).where('voter_tag', '=', tag).execute();
    await trx
      .insertInto('statement_vote')
      .values({ organization_id: org, statement_id: statement.id, voter_tag: tag, vote: vote as string, group_language: member.language, group_workshop: last?.id ?? null, voted_on: dayOf(now) })
      .execute();
  });
}
