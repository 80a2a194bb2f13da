import { describe, expect, it } from 'vitest';
import {
  addParisDays,
  formatIsoParis,
  fromParis,
  isLeapYear,
  lastSundayOfMonth,
  parisDateKey,
  parisOffsetMinutes,
  parseIsoDateTime,
  toParis,
  weekdayOfDateKey
} from './paris-time';

const utc = (s: string) => new Date(s);

describe('parisOffsetMinutes', () => {
  it('is +01:00 in winter and +02:00 in summer', () => {
    expect(parisOffsetMinutes(utc('2026-01-15T12:00:00Z'))).toBe(60);
    expect(parisOffsetMinutes(utc('2026-07-15T12:00:00Z'))).toBe(120);
  });

  it('switches to summer time at 01:00 UTC on 29 March 2026', () => {
    expect(parisOffsetMinutes(utc('2026-03-29T00:59:59Z'))).toBe(60);
    expect(parisOffsetMinutes(utc('2026-03-29T01:00:00Z'))).toBe(120);
  });

  it('switches back to winter time at 01:00 UTC on 25 October 2026', () => {
    expect(parisOffsetMinutes(utc('2026-10-25T00:59:59Z'))).toBe(120);
    expect(parisOffsetMinutes(utc('2026-10-25T01:00:00Z'))).toBe(60);
  });

  it('finds the last Sunday of March and October for several years', () => {
    expect(lastSundayOfMonth(2024, 3)).toBe(31);
    expect(lastSundayOfMonth(2024, 10)).toBe(27);
    expect(lastSundayOfMonth(2025, 3)).toBe(30);
    expect(lastSundayOfMonth(2025, 10)).toBe(26);
    expect(lastSundayOfMonth(2026, 3)).toBe(29);
    expect(lastSundayOfMonth(2026, 10)).toBe(25);
    expect(lastSundayOfMonth(2027, 3)).toBe(28);
    expect(lastSundayOfMonth(2027, 10)).toBe(31);
  });
});

describe('toParis', () => {
  it('gives the wall clock and the ISO weekday', () => {
    expect(toParis(utc('2026-11-27T22:10:00Z'))).toEqual({
      year: 2026, month: 11, day: 27, hour: 23, minute: 10, second: 0, weekday: 5
    });
    expect(toParis(utc('2026-11-28T23:30:00Z')).weekday).toBe(7); // Sunday 00:30 in Paris
  });

  it('jumps from 01:59:59 to 03:00:00 on the spring night', () => {
    expect(toParis(utc('2026-03-29T00:59:59Z'))).toMatchObject({ hour: 1, minute: 59, second: 59 });
    expect(toParis(utc('2026-03-29T01:00:00Z'))).toMatchObject({ hour: 3, minute: 0 });
  });

  it('shows 02:30 twice on the autumn night', () => {
    expect(toParis(utc('2026-10-25T00:30:00Z'))).toMatchObject({ hour: 2, minute: 30 });
    expect(toParis(utc('2026-10-25T01:30:00Z'))).toMatchObject({ hour: 2, minute: 30 });
  });
});

describe('fromParis', () => {
  it('round-trips ordinary times in winter and summer', () => {
    expect(fromParis({ year: 2026, month: 1, day: 31, hour: 9, minute: 15 }).toISOString()).toBe('2026-01-31T08:15:00.000Z');
    expect(fromParis({ year: 2026, month: 7, day: 14, hour: 9, minute: 15, second: 30 }).toISOString()).toBe('2026-07-14T07:15:30.000Z');
  });

  it('shifts a time in the spring gap forward by one hour (02:30 → 03:30 CEST)', () => {
    const d = fromParis({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 });
    expect(d.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(formatIsoParis(d)).toBe('2026-03-29T03:30:00+02:00');
  });

  it('keeps the times around the spring gap exact', () => {
    expect(formatIsoParis(fromParis({ year: 2026, month: 3, day: 29, hour: 1, minute: 59 }))).toBe('2026-03-29T01:59:00+01:00');
    expect(formatIsoParis(fromParis({ year: 2026, month: 3, day: 29, hour: 3, minute: 0 }))).toBe('2026-03-29T03:00:00+02:00');
  });

  it('takes the earlier (CEST) instant for a time in the autumn overlap', () => {
    const d = fromParis({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 });
    expect(d.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(formatIsoParis(d)).toBe('2026-10-25T02:30:00+02:00');
    expect(formatIsoParis(fromParis({ year: 2026, month: 10, day: 25, hour: 3, minute: 0 }))).toBe('2026-10-25T03:00:00+01:00');
  });

  it('accepts 24:00 as the end of the day', () => {
    expect(formatIsoParis(fromParis({ year: 2026, month: 12, day: 31, hour: 24, minute: 0 }))).toBe('2027-01-01T00:00:00+01:00');
  });

  it('refuses impossible dates and times', () => {
    expect(() => fromParis({ year: 2026, month: 2, day: 29, hour: 0, minute: 0 })).toThrow(RangeError);
    expect(() => fromParis({ year: 2026, month: 1, day: 1, hour: 25, minute: 0 })).toThrow(RangeError);
    expect(() => fromParis({ year: 2026, month: 13, day: 1, hour: 0, minute: 0 })).toThrow(RangeError);
    expect(() => fromParis({ year: 2026, month: 1, day: 1, hour: 24, minute: 1 })).toThrow(RangeError);
  });
});

describe('date keys', () => {
  it('uses the Paris calendar day, not the UTC one', () => {
    expect(parisDateKey(utc('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(parisDateKey(utc('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addParisDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addParisDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addParisDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addParisDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addParisDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addParisDays('2026-03-28', 2)).toBe('2026-03-30'); // across the DST night
  });

  it('knows leap years (2028 and 2000 are, 2026 and 2100 are not)', () => {
    expect(isLeapYear(2028)).toBe(true);
    expect(isLeapYear(2000)).toBe(true);
    expect(isLeapYear(2026)).toBe(false);
    expect(isLeapYear(2100)).toBe(false);
  });

  it('gives ISO weekdays', () => {
    expect(weekdayOfDateKey('2026-11-30')).toBe(1);
    expect(weekdayOfDateKey('2026-11-29')).toBe(7);
    expect(weekdayOfDateKey('2028-02-29')).toBe(2);
  });

  it('refuses invalid keys', () => {
    expect(() => addParisDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => weekdayOfDateKey('2026-1-1')).toThrow(RangeError);
  });
});

describe('formatIsoParis', () => {
  it('writes the Paris offset and seconds', () => {
    expect(formatIsoParis(utc('2026-11-29T22:10:00Z'))).toBe('2026-11-29T23:10:00+01:00');
    expect(formatIsoParis(utc('2026-07-14T10:00:05.900Z'))).toBe('2026-07-14T12:00:05+02:00');
  });
});

describe('parseIsoDateTime', () => {
  it('reads offsets and Z', () => {
    expect(parseIsoDateTime('2026-11-27T23:10:00+01:00')?.toISOString()).toBe('2026-11-27T22:10:00.000Z');
    expect(parseIsoDateTime('2026-11-27T22:10Z')?.toISOString()).toBe('2026-11-27T22:10:00.000Z');
    expect(parseIsoDateTime('2026-11-27T17:10:00-0500')?.toISOString()).toBe('2026-11-27T22:10:00.000Z');
    expect(parseIsoDateTime('2026-11-27T22:10:00.250Z')?.toISOString()).toBe('2026-11-27T22:10:00.250Z');
  });

  it('reads a time without offset as French wall time', () => {
    expect(parseIsoDateTime('2026-11-27T23:10')?.toISOString()).toBe('2026-11-27T22:10:00.000Z');
    expect(parseIsoDateTime('2026-07-14T10:00:00')?.toISOString()).toBe('2026-07-14T08:00:00.000Z');
    expect(parseIsoDateTime('2026-03-29T02:30')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(parseIsoDateTime('2026-10-25T02:30')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('rejects impossible dates, times and shapes', () => {
    for (const bad of [
      '2026-02-30T10:00',
      '2026-02-29T10:00',
      '2026-04-31T10:00',
      '2026-01-01T25:00',
      '2026-01-01T24:00',
      '2026-01-01T23:60',
      '2026-01-01T23:59:60',
      '2026-13-01T10:00',
      '2026-01-01',
      '2026-01-01T10',
      '01/01/2026 10:00',
      '2026-01-01T10:00+15:00',
      ''
    ]) {
      expect(parseIsoDateTime(bad), bad).toBeNull();
    }
    expect(parseIsoDateTime('2028-02-29T10:00')).not.toBeNull();
  });
});
