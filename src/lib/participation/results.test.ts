import { describe, expect, it } from 'vitest';
import { adoptionOutcome, groupConsensus, renderShown, shown, statementResult, MIN_SHOWN, type AdoptionBallot, type StatementBallot, type StatementChoice } from './results';

const words = { fewer: 'fewer than 5', withheld: 'not shown' };
const ballots = (spec: Partial<Record<StatementChoice, number>>, group: Partial<StatementBallot> = {}): StatementBallot[] =>
  (Object.entries(spec) as [StatementChoice, number][]).flatMap(([vote, n]) => Array.from({ length: n }, () => ({ vote, groupLanguage: null, groupWorkshop: null, ...group })));

describe('shown', () => {
  it('never gives a number under 5', () => {
    for (let n = 0; n < MIN_SHOWN; n++) {
      expect(shown(n)).toEqual({ kind: 'fewer', limit: 5 });
      expect(renderShown(shown(n), words)).toBe('fewer than 5');
    }
  });
  it('gives 5 and more as numbers', () => {
    expect(shown(5)).toEqual({ kind: 'count', value: 5 });
    expect(renderShown(shown(23), words)).toBe('23');
  });
  it('refuses what is not a count', () => {
    expect(() => shown(-1)).toThrow(RangeError);
    expect(() => shown(2.5)).toThrow(RangeError);
  });
});

describe('statementResult', () => {
  it('says "17 of 23 agree"', () => {
    const r = statementResult(ballots({ agree: 17, disagree: 6 }));
    expect(renderShown(r.agree, words)).toBe('17');
    expect(renderShown(r.total, words)).toBe('23');
    expect(r.supported).toBe(true);
  });

  it('with 0 votes: everything is "fewer than 5", not supported, no consensus', () => {
    const r = statementResult([]);
    expect([r.total, r.agree, r.disagree, r.unsure].map((s) => renderShown(s, words))).toEqual(Array(4).fill('fewer than 5'));
    expect(r.supported).toBe(false);
    expect(r.consensus.workshop).toEqual({ score: null, reason: 'no_votes' });
  });

  it('with 4 voters shows no number at all', () => {
    const r = statementResult(ballots({ agree: 4 }));
    const texts = [r.total, r.agree, r.disagree, r.unsure].map((s) => renderShown(s, words));
    expect(texts.join(' ').replaceAll('fewer than 5', '')).not.toMatch(/[0-9]/);
    expect(r.supported).toBe(true);
  });

  it('with exactly 5 voters shows 5', () => {
    const r = statementResult(ballots({ agree: 5 }));
    expect(renderShown(r.total, words)).toBe('5');
    expect(renderShown(r.agree, words)).toBe('5');
    // disagree 0 and unsure 0: both hidden, nothing to subtract.
    expect(r.disagree.kind).toBe('fewer');
  });

  it('withholds a second count so a hidden one cannot be found by subtraction', () => {
    const r = statementResult(ballots({ agree: 14, disagree: 6, unsure: 3 }));
    expect(r.unsure.kind).toBe('fewer');
    expect(r.disagree.kind).toBe('withheld');
    expect(renderShown(r.agree, words)).toBe('14');
    expect(renderShown(r.disagree, words)).toBe('not shown');
  });

  it('flags a statement where more than 30 % are unsure', () => {
    expect(statementResult(ballots({ agree: 6, unsure: 4 })).uncertain).toBe(true);
    expect(statementResult(ballots({ agree: 7, unsure: 3 })).uncertain).toBe(false);
  });
});

describe('groupConsensus', () => {
  const byWorkshop = (b: StatementBallot) => b.groupWorkshop;

  it('is the product over groups of (agree+1)/(votes+2) when every group has 8 or more', () => {
    const votes = [...ballots({ agree: 8 }, { groupWorkshop: 'w1' }), ...ballots({ agree: 6, disagree: 2 }, { groupWorkshop: 'w2' })];
    const c = groupConsensus(votes, byWorkshop);
    expect(c.score).toBeCloseTo((9 / 10) * (7 / 10), 10);
    expect(c).toMatchObject({ groups: 2 });
  });

  it('is null when one group has 7', () => {
    const votes = [...ballots({ agree: 8 }, { groupWorkshop: 'w1' }), ...ballots({ agree: 7 }, { groupWorkshop: 'w2' })];
    expect(groupConsensus(votes, byWorkshop)).toEqual({ score: null, reason: 'group_too_small' });
  });

  it('is null with a single group, and counts members without a workshop as a group', () => {
    expect(groupConsensus(ballots({ agree: 20 }, { groupWorkshop: 'w1' }), byWorkshop)).toEqual({ score: null, reason: 'one_group' });
    const votes = [...ballots({ agree: 9 }, { groupWorkshop: 'w1' }), ...ballots({ agree: 3 })];
    expect(groupConsensus(votes, byWorkshop)).toEqual({ score: null, reason: 'group_too_small' });
  });

  it('is low when one group disagrees even if the other agrees', () => {
    const votes = [...ballots({ agree: 20 }, { groupLanguage: 'fr' }), ...ballots({ disagree: 8 }, { groupLanguage: 'pcm' })];
    const c = statementResult(votes).consensus.language;
    expect(c.score).not.toBeNull();
    expect(c.score!).toBeLessThan(0.1);
  });
});

describe('adoptionOutcome', () => {
  const b = (vote: AdoptionBallot['vote'], n: number, reason: string | null = null): AdoptionBallot[] => Array.from({ length: n }, () => ({ vote, reason }));

  it('adopts with more agrees than disagrees and no block', () => {
    const o = adoptionOutcome([...b('agree', 6), ...b('abstain', 3), ...b('disagree', 2)]);
    expect(o.status).toBe('adopted');
    expect(o.adopted).toBe(true);
    expect(renderShown(o.agree, words)).toBe('6');
    expect(renderShown(o.disagree, words)).toBe('fewer than 5');
  });

  it('one block stops it, whatever the counts, and shows the reason', () => {
    const o = adoptionOutcome([...b('agree', 20), ...b('block', 1, 'It names the shelter.')]);
    expect(o.status).toBe('blocked');
    expect(o.adopted).toBe(false);
    expect(o.blockReasons).toEqual(['It names the shelter.']);
  });

  it('a tie or only abstentions is not adopted; no votes is its own outcome', () => {
    expect(adoptionOutcome([...b('agree', 3), ...b('disagree', 3)]).status).toBe('not_adopted');
    expect(adoptionOutcome(b('abstain', 5)).status).toBe('not_adopted');
    expect(adoptionOutcome([]).status).toBe('no_votes');
  });
});
