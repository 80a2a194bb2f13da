import { describe, expect, it } from 'vitest';
import { generator, hhmm } from '../../../tests/support/random';
import { addParisDays, fromParis } from '../time/paris-time';
import { isOpenAt, openingsBetween, openThisWeekend, openTonight, tonightWindow, weekendWindow, type OpeningHours, type TimeSlot, type Weekday } from './opening-hours';
import { compactHours, openInWindow, wallWindow } from './compact-hours';

function slots(random: (n: number) => number, count: number): TimeSlot[] {
  // quarter hours, and now and then a minute that is not one (17:10)
  const time = (max: number) => (random(5) === 0 ? random(max * 15) : random(max) * 15);
  return Array.from({ length: count }, () => ({ opens: hhmm(time(96)), closes: hhmm(Math.min(1440, time(97))) }));
}

/** Any hours the validator accepts: lunch breaks, overnight slots, 24/7, holidays, exceptions, closures. */
function randomHours(random: (n: number) => number, around: string): OpeningHours {
  const hours: OpeningHours = { weekly: {}, publicHolidays: (['open', 'closed', 'unknown'] as const)[random(4)] ?? { slots: slots(random, 1 + random(2)) } };
  if (random(8) === 0) hours.alwaysOpen = true;
  else for (let day = 1; day <= 7; day++) if (random(4) !== 0) hours.weekly[day as Weekday] = slots(random, 1 + random(3));
  if (random(3) === 0) hours.exceptions = [{ date: addParisDays(around, random(5) - 2), slots: slots(random, random(3)) }];
  if (random(3) === 0) {
    const from = addParisDays(around, random(5) - 3);
    hours.closures = [{ from: `${from}T${hhmm(random(96) * 15)}`, to: `${addParisDays(from, random(3))}T${hhmm(random(96) * 15)}` }];
  }
  return hours;
}

const at = (key: string, hour: number, minute = 0) =>
  fromParis({ year: Number(key.slice(0, 4)), month: Number(key.slice(5, 7)), day: Number(key.slice(8, 10)), hour, minute });

const span = (w: { from: Date; to: Date }) => wallWindow(w.from, w.to);

// Ordinary days, public holidays (Christmas, 1 May, Easter Monday 2027, 14 July on a
// Tuesday) and the two nights the clocks change (25 October 2026, 28 March 2027).
const DAYS = ['2026-12-08', '2026-12-11', '2026-12-24', '2026-12-25', '2026-12-31', '2027-05-01', '2027-03-29', '2026-07-14', '2026-10-24', '2026-10-25', '2027-03-27', '2027-03-28'];

describe('compact hours answer what the opening-hours module answers', () => {
  it('at a moment, tonight and this weekend, for 2,000 random hours', { timeout: 60_000 }, () => {
    const random = generator(20261130);
    let compared = 0;
    let open = 0;
    let onClockChange = 0;
    for (let n = 0; n < 2000; n++) {
      const day = DAYS[n % DAYS.length]!;
      const hours = randomHours(random, day);
      const compact = compactHours(hours);
      for (let k = 0; k < 4; k++) {
        const moment = at(day, random(24), random(60));
        const cases: Array<[string, boolean, ReturnType<typeof wallWindow>]> = [
          ['now', isOpenAt(hours, moment), wallWindow(moment, moment, true)],
          ['tonight', openTonight(hours, moment), span(tonightWindow(moment))],
          ['weekend', openThisWeekend(hours, moment), span(weekendWindow(moment))]
        ];
        for (const [what, expected, window] of cases) {
          if (window.clockChange && compact.needsModuleOnClockChange) continue;
          if (window.clockChange) onClockChange++;
          expect(openInWindow(compact, window), `${what} at ${moment.toISOString()} with ${JSON.stringify(hours)}`).toBe(expected);
          compared++;
          if (expected) open++;
        }
      }
    }
    // the comparison is not empty on either side, and holds on the nights the clocks change
    expect(compared).toBeGreaterThan(16_000);
    expect(open).toBeGreaterThan(1000);
    expect(compared - open).toBeGreaterThan(500);
    expect(onClockChange).toBeGreaterThan(500);
  });

  it('reads a window as the module reads openings between two moments', () => {
    const random = generator(7);
    for (let n = 0; n < 1000; n++) {
      const day = DAYS[n % 9]!; // no clock change
      const hours = randomHours(random, day);
      const from = at(day, random(24), random(4) * 15);
      const to = new Date(from.getTime() + (1 + random(36 * 4)) * 15 * 60_000);
      expect(openInWindow(compactHours(hours), wallWindow(from, to)), `${from.toISOString()}–${to.toISOString()} ${JSON.stringify(hours)}`).toBe(openingsBetween(hours, from, to).length > 0);
    }
  });

  it('knows the windows that touch a clock change and the hours that must then be asked of the module', () => {
    expect(wallWindow(at('2026-10-25', 1, 30), at('2026-10-25', 1, 30), true).clockChange).toBe(true);
    expect(wallWindow(at('2026-10-24', 23), at('2026-10-24', 23), true).clockChange).toBe(true); // the night to come
    expect(wallWindow(at('2026-12-08', 10), at('2026-12-08', 10), true).clockChange).toBe(false);
    const plain: OpeningHours = { weekly: { 1: [{ opens: '20:00', closes: '08:00' }] }, publicHolidays: 'closed' };
    expect(compactHours(plain).needsModuleOnClockChange).toBe(false);
    expect(compactHours({ ...plain, weekly: { 1: [{ opens: '02:30', closes: '08:00' }] } }).needsModuleOnClockChange).toBe(true);
    expect(compactHours({ ...plain, closures: [{ from: '2026-12-01T00:00', to: '2026-12-02T00:00' }] }).needsModuleOnClockChange).toBe(true);
  });

  it('answers the cases the directory names: overnight across the week\'s end, a lunch break, 24/7, a holiday', () => {
    const shelter = compactHours({ weekly: { 7: [{ opens: '20:00', closes: '08:00' }] }, publicHolidays: 'open' });
    // Sunday 13 December 2026 23:00 and Monday 14 at 07:59: open; Monday 08:00: closed
    expect(openInWindow(shelter, wallWindow(at('2026-12-13', 23), at('2026-12-13', 23), true))).toBe(true);
    expect(openInWindow(shelter, wallWindow(at('2026-12-14', 7, 59), at('2026-12-14', 7, 59), true))).toBe(true);
    expect(openInWindow(shelter, wallWindow(at('2026-12-14', 8), at('2026-12-14', 8), true))).toBe(false);
    const office = compactHours({ weekly: { 2: [{ opens: '09:00', closes: '12:30' }, { opens: '13:30', closes: '17:00' }] }, publicHolidays: 'closed' });
    expect(openInWindow(office, wallWindow(at('2026-12-08', 13), at('2026-12-08', 13), true))).toBe(false);
    expect(openInWindow(office, wallWindow(at('2026-12-08', 13, 30), at('2026-12-08', 13, 30), true))).toBe(true);
    // Tuesday 14 July 2026: a public holiday, closed
    expect(openInWindow(office, wallWindow(at('2026-07-14', 10), at('2026-07-14', 10), true))).toBe(false);
    const always = compactHours({ alwaysOpen: true, weekly: {}, publicHolidays: 'unknown' });
    expect(openInWindow(always, wallWindow(at('2026-12-08', 3), at('2026-12-08', 3), true))).toBe(true);
    expect(openInWindow(always, wallWindow(at('2026-12-25', 12), at('2026-12-25', 12), true))).toBe(false); // unknown on Christmas
  });
});
