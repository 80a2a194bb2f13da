import { describe, expect, it } from 'vitest';
import { addIsoWeeks, daysOf, formatIsoWeek, isoWeekOfDateKey, mondayOf, parisIsoWeek, parisWeekBounds, parseIsoWeek, weeksInIsoYear } from './iso-week';

const w = (text: string) => parseIsoWeek(text)!;

describe('isoWeekOfDateKey', () => {
  it('puts the last days of December in week 1 of the next year when their Thursday is there', () => {
    // Monday 29 December 2025 → Thursday 1 January 2026: week 1 of 2026.
    expect(formatIsoWeek(isoWeekOfDateKey('2025-12-29'))).toBe('2026-W01');
    expect(formatIsoWeek(isoWeekOfDateKey('2025-12-28'))).toBe('2025-W52');
  });

  it('puts the first days of January in week 53 of the year before when it has one', () => {
    // 2026 starts on a Thursday: it has 53 weeks, and 1–3 January 2027 belong to its week 53.
    expect(weeksInIsoYear(2026)).toBe(53);
    expect(formatIsoWeek(isoWeekOfDateKey('2026-12-31'))).toBe('2026-W53');
    expect(formatIsoWeek(isoWeekOfDateKey('2027-01-03'))).toBe('2026-W53');
    expect(formatIsoWeek(isoWeekOfDateKey('2027-01-04'))).toBe('2027-W01');
  });

  it('counts a leap year starting on a Wednesday as 53 weeks, and an ordinary year as 52', () => {
    expect(weeksInIsoYear(2020)).toBe(53);
    expect(weeksInIsoYear(2027)).toBe(52);
  });
});

describe('parseIsoWeek', () => {
  it('reads YYYY-Www', () => {
    expect(parseIsoWeek('2026-W49')).toEqual({ year: 2026, week: 49 });
    expect(parseIsoWeek('2026-w09')).toEqual({ year: 2026, week: 9 });
  });

  it('refuses a week the year does not have, and anything else', () => {
    for (const bad of ['2027-W53', '2026-W00', '2026-W54', '2026-49', '2026-W5', 'W49', '', '2026-W49; drop', '0000-W01']) expect(parseIsoWeek(bad), bad).toBeNull();
    expect(parseIsoWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
  });
});

describe('the days of a week', () => {
  it('runs Monday to Sunday across the year end', () => {
    expect(mondayOf(w('2026-W01'))).toBe('2025-12-29');
    expect(daysOf(w('2026-W53'))).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('steps to the previous and next week across the year end', () => {
    expect(formatIsoWeek(addIsoWeeks(w('2026-W53'), 1))).toBe('2027-W01');
    expect(formatIsoWeek(addIsoWeeks(w('2027-W01'), -1))).toBe('2026-W53');
    expect(formatIsoWeek(addIsoWeeks(w('2026-W01'), -1))).toBe('2025-W52');
  });
});

describe('parisWeekBounds', () => {
  it('starts on Monday at midnight in Paris (23:00 UTC in winter)', () => {
    const { start, end } = parisWeekBounds(w('2026-W49'));
    expect(start.toISOString()).toBe('2026-11-29T23:00:00.000Z');
    expect(end.toISOString()).toBe('2026-12-06T23:00:00.000Z');
  });

  it('is one hour shorter the week summer time starts, and one hour longer the week it ends', () => {
    // Summer time starts on Sunday 29 March 2026 and ends on Sunday 25 October 2026.
    const march = parisWeekBounds(w('2026-W13'));
    expect(march.start.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(march.end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(march.end.getTime() - march.start.getTime()).toBe(167 * 3_600_000);
    const october = parisWeekBounds(w('2026-W43'));
    expect(october.end.getTime() - october.start.getTime()).toBe(169 * 3_600_000);
  });

  it('puts Sunday 23:30 Paris in its own week, not the next one', () => {
    // Sunday 29 March 2026, 23:30 CEST = 21:30 UTC: still week 13.
    expect(formatIsoWeek(parisIsoWeek(new Date('2026-03-29T21:30:00Z')))).toBe('2026-W13');
    // Sunday 6 December 2026, 23:30 CET = 22:30 UTC: still week 49 (UTC says Sunday too; Monday 00:30 Paris is week 50).
    expect(formatIsoWeek(parisIsoWeek(new Date('2026-12-06T22:30:00Z')))).toBe('2026-W49');
    expect(formatIsoWeek(parisIsoWeek(new Date('2026-12-06T23:30:00Z')))).toBe('2026-W50');
  });
});
