import { describe, expect, it } from 'vitest';
import { generator, hhmm } from '../../../tests/support/random';
import { toParis } from '../time/paris-time';
import { fromHsdsSchedules, toHsdsSchedules } from './hsds-schedule';
import { isOpenAt, normalizeOpeningHours, statusAt, type OpeningHours, type TimeSlot, type Weekday } from './opening-hours';
import { parseOsmOpeningHours, toOsmOpeningHours } from './osm-opening-hours';

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

function randomWeekly(random: (n: number) => number): OpeningHours {
  const weekly: Partial<Record<Weekday, TimeSlot[]>> = {};
  for (let day = 1; day <= 7; day++) {
    const count = random(3);
    if (count === 0 && random(2) === 0) continue;
    weekly[day as Weekday] = Array.from({ length: count }, () => ({
      opens: hhmm(random(96) * 15),
      closes: hhmm(random(97) * 15)
    }));
  }
  return { weekly, publicHolidays: 'open' };
}

/** The obvious reading, minute by minute, for a week without DST change or holiday. */
function naiveIsOpen(hours: OpeningHours, at: Date): boolean {
  const p = toParis(at);
  const minute = p.hour * 60 + p.minute;
  const previous = (p.weekday === 1 ? 7 : p.weekday - 1) as Weekday;
  const today = (hours.weekly[p.weekday as Weekday] ?? []).some((s) => {
    const opens = minutesOf(s.opens);
    const closes = minutesOf(s.closes);
    return closes > opens ? minute >= opens && minute < closes : minute >= opens;
  });
  const fromYesterday = (hours.weekly[previous] ?? []).some((s) => {
    const closes = minutesOf(s.closes);
    return closes <= minutesOf(s.opens) && minute < closes;
  });
  return today || fromYesterday;
}

describe('opening hours on random weekly schedules', () => {
  const random = generator(42);
  const schedules = Array.from({ length: 25 }, () => randomWeekly(random));
  const weekStart = Date.UTC(2026, 10, 15, 23, 0); // Monday 16 November 2026, 00:00 in Paris

  it('agree with a naive minute-by-minute reading, and closesAt/opensNext are real edges', { timeout: 120_000 }, () => {
    for (const hours of schedules) {
      for (let minute = random(60); minute < 7 * 1440; minute += 61 + random(90)) {
        const at = new Date(weekStart + minute * 60_000);
        expect(isOpenAt(hours, at)).toBe(naiveIsOpen(hours, at));
        const status = statusAt(hours, at);
        if (status.closesAt) {
          expect(isOpenAt(hours, new Date(status.closesAt.getTime() - 60_000))).toBe(true);
          expect(isOpenAt(hours, status.closesAt)).toBe(false);
        }
        if (status.opensNext) {
          expect(isOpenAt(hours, status.opensNext)).toBe(true);
          expect(isOpenAt(hours, new Date(status.opensNext.getTime() - 60_000))).toBe(false);
        }
      }
    }
  });

  it('survive OSM and HSDS round trips unchanged (in canonical form)', { timeout: 120_000 }, () => {
    for (const hours of schedules) {
      const osm = parseOsmOpeningHours(toOsmOpeningHours(hours));
      expect(osm.ok && normalizeOpeningHours(osm.value)).toEqual(normalizeOpeningHours(hours));
      expect(fromHsdsSchedules(toHsdsSchedules(hours, { serviceId: 's' }))).toEqual({
        ok: true,
        value: normalizeOpeningHours(hours)
      });
    }
  });
});
