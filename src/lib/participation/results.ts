/**
 * Results of statement votes and recommendation adoption votes (issue 7: "Results show counts
 * ('17 of 23 agree'); a consensus score across declared groups (workshop, language) only when
 * every group has at least 8 people; no count below 5 is ever shown ('fewer than 5')").
 * Pure: counts in, values to render out.
 *
 * Small counts. A count under MIN_SHOWN is never a number here: it is `{ kind: 'fewer' }`,
 * which pages render as "fewer than 5". And since "23 voted, 20 agree, 0 unsure" would give
 * away the 3 who disagree by subtraction, when exactly one of agree / disagree / unsure is
 * hidden and the total is shown, the smallest other one is withheld too (`{ kind: 'withheld' }`,
 * rendered "not shown").
 *
 * Consensus. Pol.is's group-informed consensus over *declared* groups (anchors §10, Pol.is 2):
 * for one kind of group (the workshop where she last took part, or her language), the product
 * over groups of (agree + 1) / (votes + 2). High only when every group tends to agree. Computed
 * only when there are two groups or more and every group has at least MIN_GROUP voters;
 * otherwise null with the reason (showing a group of 3's leaning points at people).
 *
 * Adoption (Loomio's proposal poll): agree / abstain / disagree / block. The rule:
 * - any block → not adopted, whatever the counts, until the block is addressed (the text is
 *   amended: a new version is a new vote) — the block reasons are shown to the facilitators;
 * - otherwise adopted when agrees are more than disagrees (a simple majority of the votes
 *   cast, abstentions not counted) and at least one member agreed;
 * - no votes → not adopted.
 */

export const MIN_SHOWN = 5;
export const MIN_GROUP = 8;

/** A count as it may be shown. */
export type Shown = { kind: 'count'; value: number } | { kind: 'fewer'; limit: typeof MIN_SHOWN } | { kind: 'withheld' };

export function shown(n: number): Shown {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('a count is a whole number, 0 or more');
  return n < MIN_SHOWN ? { kind: 'fewer', limit: MIN_SHOWN } : { kind: 'count', value: n };
}

/** Words for the two hidden kinds, in the reader's language. */
export interface ShownWords {
  fewer: string;
  withheld: string;
}

/** The text of a count: "17", "fewer than 5", "not shown". */
export function renderShown(value: Shown, words: ShownWords): string {
  if (value.kind === 'count') return String(value.value);
  return value.kind === 'fewer' ? words.fewer : words.withheld;
}

export type StatementChoice = 'agree' | 'disagree' | 'unsure';
export const STATEMENT_CHOICES: readonly StatementChoice[] = ['agree', 'disagree', 'unsure'];

export interface StatementBallot {
  vote: StatementChoice;
  groupLanguage: string | null;
  groupWorkshop: string | null;
}

export type ConsensusReason = 'no_votes' | 'one_group' | 'group_too_small';
export type Consensus = { score: number; groups: number } | { score: null; reason: ConsensusReason };

export interface StatementResult {
  total: Shown;
  agree: Shown;
  disagree: Shown;
  unsure: Shown;
  /** Supported: more than half of the votes agree (the raw rule; shown only as yes/no). */
  supported: boolean;
  /** More than 30 % unsure: "discuss in the next workshop" (Pol.is's uncertainty block). */
  uncertain: boolean;
  consensus: { workshop: Consensus; language: Consensus };
}

/** Group-informed consensus over one kind of declared group (a null group is its own group). */
export function groupConsensus(ballots: readonly StatementBallot[], groupOf: (b: StatementBallot) => string | null): Consensus {
  if (ballots.length === 0) return { score: null, reason: 'no_votes' };
  const groups = new Map<string, { agree: number; total: number }>();
  for (const b of ballots) {
    const key = groupOf(b) ?? '';
    const g = groups.get(key) ?? { agree: 0, total: 0 };
    g.total++;
    if (b.vote === 'agree') g.agree++;
    groups.set(key, g);
  }
  if (groups.size < 2) return { score: null, reason: 'one_group' };
  if ([...groups.values()].some((g) => g.total < MIN_GROUP)) return { score: null, reason: 'group_too_small' };
  let score = 1;
  for (const g of groups.values()) score *= (g.agree + 1) / (g.total + 2);
  return { score, groups: groups.size };
}

/** Counts with the small-count rule, the support and uncertainty flags and the consensus. */
export function statementResult(ballots: readonly StatementBallot[]): StatementResult {
  const counts = { agree: 0, disagree: 0, unsure: 0 };
  for (const b of ballots) counts[b.vote]++;
  const total = ballots.length;
  const shownCounts: Record<StatementChoice, Shown> = { agree: shown(counts.agree), disagree: shown(counts.disagree), unsure: shown(counts.unsure) };
  const hidden = STATEMENT_CHOICES.filter((c) => shownCounts[c].kind !== 'count');
  if (total >= MIN_SHOWN && hidden.length === 1) {
    // Secondary suppression: the smallest shown count, so the hidden one cannot be subtracted out.
    const smallest = STATEMENT_CHOICES.filter((c) => c !== hidden[0]!).sort((a, b) => counts[a] - counts[b])[0];
    shownCounts[smallest!] = { kind: 'withheld' };
  }
  return {
    total: shown(total),
    ...shownCounts,
    supported: total > 0 && counts.agree * 2 > total,
    uncertain: total > 0 && counts.unsure * 10 > total * 3,
    consensus: {
      workshop: groupConsensus(ballots, (b) => b.groupWorkshop),
      language: groupConsensus(ballots, (b) => b.groupLanguage)
    }
  };
}

export type AdoptionChoice = 'agree' | 'abstain' | 'disagree' | 'block';
export const ADOPTION_CHOICES: readonly AdoptionChoice[] = ['agree', 'abstain', 'disagree', 'block'];

export interface AdoptionBallot {
  vote: AdoptionChoice;
  /** The reason given with a block (required then), decrypted. */
  reason: string | null;
}

export type AdoptionStatus = 'adopted' | 'blocked' | 'not_adopted' | 'no_votes';

export interface AdoptionOutcome {
  status: AdoptionStatus;
  adopted: boolean;
  total: Shown;
  agree: Shown;
  abstain: Shown;
  disagree: Shown;
  block: Shown;
  /** The reasons of the blocks, in a stable order (sorted), never with who gave them. */
  blockReasons: string[];
}

/** The outcome of an adoption vote under the rule in this module's header. */
export function adoptionOutcome(ballots: readonly AdoptionBallot[]): AdoptionOutcome {
  const counts = { agree: 0, abstain: 0, disagree: 0, block: 0 };
  for (const b of ballots) counts[b.vote]++;
  const blockReasons = ballots
    .filter((b) => b.vote === 'block')
    .map((b) => (b.reason ?? '').trim())
    .filter((r) => r !== '')
    .sort();
  let status: AdoptionStatus;
  if (ballots.length === 0) status = 'no_votes';
  else if (counts.block > 0) status = 'blocked';
  else if (counts.agree > 0 && counts.agree > counts.disagree) status = 'adopted';
  else status = 'not_adopted';
  return {
    status,
    adopted: status === 'adopted',
    total: shown(ballots.length),
    agree: shown(counts.agree),
    abstain: shown(counts.abstain),
    disagree: shown(counts.disagree),
    block: shown(counts.block),
    blockReasons
  };
}
