import { describe, expect, it } from 'vitest';
import { parseIsoDateTime } from '../time/paris-time';
import {
  daySchedule,
  isOpenAt,
  openThisWeekend,
  openTonight,
  opensNextAt,
  statusAt,
  validateOpeningHours,
  type OpeningHours,
  type TimeSlot
} from './opening-hours';

/** Paris wall time ('2026-11-28T02:00') or an explicit offset / Z. */
function at(text: string): Date {
  const d = parseIsoDateTime(text);
  if (!d) throw new Error(`bad test date ${text}`);
  return d;
}

const slot = (opens: string, closes: string): TimeSlot => ({ opens, closes });
const everyDay = (...slots: TimeSlot[]) => ({ 1: slots, 2: slots, 3: slots, 4: slots, 5: slots, 6: slots, 7: slots });

const shelter: OpeningHours = { weekly: everyDay(slot('20:00', '08:00')), publicHolidays: 'open' };

const dayCentre = (publicHolidays: OpeningHours['publicHolidays'] = 'closed'): OpeningHours => {
  const weekday = [slot('09:00', '12:00'), slot('14:00', '17:00')];
  return {
    weekly: { 1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: weekday, 6: [slot('10:00', '13:00')] },
    publicHolidays
  };
};

const sundayNight: OpeningHours = { weekly: { 7: [slot('22:00', '06:00')] }, publicHolidays: 'open' };
const alwaysOpen: OpeningHours = { alwaysOpen: true, weekly: {}, publicHolidays: 'open' };

describe('statusAt: overnight slots', () => {
  it('says a 20:00–08:00 shelter is open at 02:00 on Saturday', () => {
    expect(statusAt(shelter, at('2026-11-28T02:00'))).toEqual({
      open: true,
      unknown: false,
      closesAt: at('2026-11-28T08:00'),
      opensNext: at('2026-11-28T20:00')
    });
  });

  it('says a 20:00–08:00 shelter is closed at 12:00 and opens at 20:00', () => {
    const status = statusAt(shelter, at('2026-11-28T12:00'));
    expect(status.open).toBe(false);
    expect(status.opensNext).toEqual(at('2026-11-28T20:00'));
  });

  it('keeps a Sunday 22:00–Monday 06:00 slot open at 03:00 on Monday, across the end of the week', () => {
    expect(statusAt(sundayNight, at('2026-11-30T03:00'))).toMatchObject({
      open: true,
      closesAt: at('2026-11-30T06:00'),
      opensNext: at('2026-12-06T22:00')
    });
  });

  it('finds next Sunday 22:00 from a Monday morning after the week has turned', () => {
    expect(opensNextAt(sundayNight, at('2026-11-30T07:00'))).toEqual(at('2026-12-06T22:00'));
  });

  it('merges Sunday 22:00–24:00 and Monday 00:00–06:00 into one opening', () => {
    const hours: OpeningHours = { weekly: { 7: [slot('22:00', '24:00')], 1: [slot('00:00', '06:00')] }, publicHolidays: 'open' };
    expect(statusAt(hours, at('2026-11-29T23:00')).closesAt).toEqual(at('2026-11-30T06:00'));
  });
});

describe('statusAt: lunch breaks', () => {
  it('says a day centre is open at 10:00 until 12:00 and reopens at 14:00', () => {
    expect(statusAt(dayCentre(), at('2026-11-30T10:00'))).toEqual({
      open: true,
      unknown: false,
      closesAt: at('2026-11-30T12:00'),
      opensNext: at('2026-11-30T14:00')
    });
  });

  it('says a day centre is closed at 12:30 and opens at 14:00 the same day', () => {
    expect(statusAt(dayCentre(), at('2026-11-30T12:30'))).toMatchObject({ open: false, opensNext: at('2026-11-30T14:00') });
  });

  it('says a day centre closed on Sunday opens on Monday at 09:00', () => {
    expect(opensNextAt(dayCentre(), at('2026-11-29T11:00'))).toEqual(at('2026-11-30T09:00'));
  });

  it('treats the closing minute as closed', () => {
    expect(isOpenAt(dayCentre(), at('2026-11-30T12:00'))).toBe(false);
    expect(isOpenAt(dayCentre(), at('2026-11-30T11:59'))).toBe(true);
  });
});

describe('statusAt: 24/7', () => {
  it('says a 24/7 line is open with no closing time and no next opening', () => {
    expect(statusAt(alwaysOpen, at('2026-11-28T04:00'))).toEqual({ open: true, unknown: false, closesAt: null, opensNext: null });
  });

  it('gives a 24/7 line closed on public holidays a closing time on Christmas Eve at midnight', () => {
    const hours: OpeningHours = { ...alwaysOpen, publicHolidays: 'closed' };
    expect(statusAt(hours, at('2026-12-24T10:00'))).toMatchObject({
      open: true,
      closesAt: at('2026-12-25T00:00'),
      opensNext: at('2026-12-26T00:00')
    });
  });

  it('says a week of 00:00–24:00 days is open with no closing time', () => {
    const hours: OpeningHours = { weekly: everyDay(slot('00:00', '24:00')), publicHolidays: 'open' };
    expect(statusAt(hours, at('2026-11-28T04:00'))).toMatchObject({ open: true, closesAt: null });
  });
});

describe('statusAt: public holidays', () => {
  it('says a day centre closed on public holidays is closed on Friday 25 December 2026 at 10:00', () => {
    expect(statusAt(dayCentre('closed'), at('2026-12-25T10:00'))).toMatchObject({
      open: false,
      unknown: false,
      opensNext: at('2026-12-26T10:00')
    });
  });

  it('says a day centre open on public holidays keeps its Friday hours on 25 December 2026', () => {
    expect(statusAt(dayCentre('open'), at('2026-12-25T10:00'))).toMatchObject({ open: true, closesAt: at('2026-12-25T12:00') });
  });

  it('uses the public-holiday slots on 25 December 2026 when they are given', () => {
    const hours = dayCentre({ slots: [slot('10:00', '11:00')] });
    expect(isOpenAt(hours, at('2026-12-25T09:30'))).toBe(false);
    expect(statusAt(hours, at('2026-12-25T10:30'))).toMatchObject({ open: true, closesAt: at('2026-12-25T11:00') });
  });

  it('says "unknown", not open, during usual hours on a public holiday with unknown policy', () => {
    expect(statusAt(dayCentre('unknown'), at('2026-12-25T10:00'))).toMatchObject({ open: false, unknown: true });
  });

  it('says closed, not unknown, outside usual hours on a public holiday with unknown policy', () => {
    expect(statusAt(dayCentre('unknown'), at('2026-12-25T13:00'))).toMatchObject({ open: false, unknown: false });
  });

  it('lets an overnight slot starting on Christmas Eve run into Christmas morning when holidays are closed', () => {
    const hours: OpeningHours = { ...shelter, publicHolidays: 'closed' };
    expect(statusAt(hours, at('2026-12-25T02:00'))).toMatchObject({
      open: true,
      closesAt: at('2026-12-25T08:00'),
      opensNext: at('2026-12-26T20:00')
    });
    expect(isOpenAt(hours, at('2026-12-25T21:00'))).toBe(false);
  });

  it('applies the holiday to 1 May and Ascension 2026 as well', () => {
    expect(isOpenAt(dayCentre('closed'), at('2026-05-01T10:00'))).toBe(false);
    expect(isOpenAt(dayCentre('closed'), at('2026-05-14T10:00'))).toBe(false);
    expect(isOpenAt(dayCentre('closed'), at('2026-05-13T10:00'))).toBe(true);
  });
});

describe('statusAt: exceptions', () => {
  it('closes a day centre on an exceptional closed Monday', () => {
    const hours: OpeningHours = { ...dayCentre(), exceptions: [{ date: '2026-11-30', slots: [], note: 'staff training' }] };
    expect(statusAt(hours, at('2026-11-30T10:00'))).toMatchObject({ open: false, opensNext: at('2026-12-01T09:00') });
  });

  it('shortens Christmas Eve to the morning when an exception says so', () => {
    const hours: OpeningHours = { ...dayCentre(), exceptions: [{ date: '2026-12-24', slots: [slot('09:00', '12:00')] }] };
    expect(isOpenAt(hours, at('2026-12-24T10:00'))).toBe(true);
    expect(statusAt(hours, at('2026-12-24T14:30'))).toMatchObject({ open: false, opensNext: at('2026-12-26T10:00') });
  });

  it('opens on a public holiday when an exception overrides the closed policy', () => {
    const hours: OpeningHours = { ...dayCentre('closed'), exceptions: [{ date: '2026-12-25', slots: [slot('12:00', '14:00')] }] };
    expect(statusAt(hours, at('2026-12-25T13:00'))).toMatchObject({ open: true, closesAt: at('2026-12-25T14:00') });
    expect(daySchedule(hours, '2026-12-25').source).toBe('exception');
  });
});

describe('statusAt: temporary closures', () => {
  it('says closed during a summer closure and opens on the Monday after it', () => {
    const hours: OpeningHours = {
      ...dayCentre(),
      closures: [{ from: '2026-08-01T00:00', to: '2026-08-17T00:00', reason: 'summer' }]
    };
    expect(statusAt(hours, at('2026-08-10T10:00'))).toMatchObject({ open: false, opensNext: at('2026-08-17T09:00') });
  });

  it('ends the current opening when a closure starts in the middle of a slot', () => {
    const hours: OpeningHours = { ...dayCentre(), closures: [{ from: '2026-11-30T10:30', to: '2026-11-30T11:00' }] };
    expect(statusAt(hours, at('2026-11-30T10:00'))).toMatchObject({
      open: true,
      closesAt: at('2026-11-30T10:30'),
      opensNext: at('2026-11-30T11:00')
    });
  });

  it('closes even a 24/7 line and gives no next opening when the closure lasts beyond 14 days', () => {
    const hours: OpeningHours = { ...alwaysOpen, closures: [{ from: '2026-11-01T00:00:00+01:00', to: '2027-01-01T00:00:00+01:00' }] };
    expect(statusAt(hours, at('2026-11-28T04:00'))).toEqual({ open: false, unknown: false, closesAt: null, opensNext: null });
  });
});

describe('statusAt: daylight saving nights of 2026', () => {
  it('keeps a 20:00–08:00 shelter open until 08:00 CEST on 29 March 2026 (an 11-hour night)', () => {
    const status = statusAt(shelter, at('2026-03-28T21:00'));
    expect(status.closesAt).toEqual(new Date('2026-03-29T06:00:00Z'));
    expect(isOpenAt(shelter, new Date('2026-03-29T01:30:00Z'))).toBe(true); // 03:30 CEST
    expect(isOpenAt(shelter, new Date('2026-03-29T06:00:00Z'))).toBe(false);
    expect(opensNextAt(shelter, at('2026-03-29T09:00'))).toEqual(new Date('2026-03-29T18:00:00Z')); // 20:00 CEST
  });

  it('keeps a 20:00–08:00 shelter open until 08:00 CET on 25 October 2026 (a 13-hour night)', () => {
    const status = statusAt(shelter, at('2026-10-24T21:00'));
    expect(status.closesAt).toEqual(new Date('2026-10-25T07:00:00Z'));
    expect(isOpenAt(shelter, new Date('2026-10-25T00:30:00Z'))).toBe(true); // first 02:30 (CEST)
    expect(isOpenAt(shelter, new Date('2026-10-25T01:30:00Z'))).toBe(true); // second 02:30 (CET)
    expect(isOpenAt(shelter, new Date('2026-10-25T06:59:00Z'))).toBe(true); // 07:59 CET
    expect(opensNextAt(shelter, at('2026-10-25T09:00'))).toEqual(new Date('2026-10-25T19:00:00Z')); // 20:00 CET
  });
});

describe('openTonight', () => {
  const fridayEvening: OpeningHours = { weekly: { 5: [slot('17:00', '21:00')] }, publicHolidays: 'open' };

  it('says a shelter is open tonight on a Friday evening', () => {
    expect(openTonight(shelter, at('2026-11-27T18:00'))).toBe(true);
  });

  it('says a day centre closing at 17:00 is not open tonight on a Friday evening', () => {
    expect(openTonight(dayCentre(), at('2026-11-27T18:00'))).toBe(false);
  });

  it('counts a Friday 17:00–21:00 service as open tonight at 18:00 but not any more at 21:30', () => {
    expect(openTonight(fridayEvening, at('2026-11-27T18:00'))).toBe(true);
    expect(openTonight(fridayEvening, at('2026-11-27T21:30'))).toBe(false);
  });

  it('says a Sunday 22:00–06:00 service is open tonight on Sunday morning', () => {
    expect(openTonight(sundayNight, at('2026-11-29T10:00'))).toBe(true);
    expect(openTonight(dayCentre(), at('2026-11-29T10:00'))).toBe(false);
  });

  it('does not count a service closed by a temporary closure tonight', () => {
    const hours: OpeningHours = { ...shelter, closures: [{ from: '2026-11-27T12:00', to: '2026-11-28T12:00' }] };
    expect(openTonight(hours, at('2026-11-27T18:00'))).toBe(false);
  });
});

describe('openThisWeekend', () => {
  const weekdaysOnly: OpeningHours = { weekly: { 1: [slot('09:00', '17:00')], 5: [slot('09:00', '17:00')] }, publicHolidays: 'open' };
  const fridayNight: OpeningHours = { weekly: { 5: [slot('20:00', '08:00')] }, publicHolidays: 'open' };

  it('says a day centre open on Saturday morning is open this weekend, asked on a Friday evening', () => {
    expect(openThisWeekend(dayCentre(), at('2026-11-27T18:00'))).toBe(true);
  });

  it('says a Monday–Friday service is not open this weekend, asked on a Friday evening', () => {
    expect(openThisWeekend(weekdaysOnly, at('2026-11-27T18:00'))).toBe(false);
  });

  it('counts a Friday-night shelter that runs into Saturday morning as open this weekend', () => {
    expect(openThisWeekend(fridayNight, at('2026-11-27T18:00'))).toBe(true);
  });

  it('says on Sunday that a Saturday-only day centre is not open for the rest of the weekend', () => {
    expect(openThisWeekend(dayCentre(), at('2026-11-29T14:00'))).toBe(false);
  });

  it('says on Sunday that a Sunday 22:00–06:00 service is open this weekend', () => {
    expect(openThisWeekend(sundayNight, at('2026-11-29T14:00'))).toBe(true);
  });

  it('applies an exceptional closed Saturday to the weekend', () => {
    const hours: OpeningHours = { ...dayCentre(), exceptions: [{ date: '2026-11-28', slots: [] }] };
    expect(openThisWeekend(hours, at('2026-11-27T18:00'))).toBe(false);
  });

  it('applies a public holiday falling on Saturday (26 December is not one, 15 August 2026 is)', () => {
    expect(openThisWeekend(dayCentre('closed'), at('2026-08-14T18:00'))).toBe(false);
    expect(openThisWeekend(dayCentre('closed'), at('2026-12-25T18:00'))).toBe(true);
  });
});

describe('validateOpeningHours', () => {
  it('accepts a complete schedule and returns a clean copy', () => {
    const input = JSON.parse(
      JSON.stringify({
        ...dayCentre({ slots: [slot('10:00', '12:00')] }),
        exceptions: [{ date: '2026-12-24', slots: [], note: 'closed' }],
        closures: [{ from: '2026-08-01T00:00', to: '2026-08-17T00:00', reason: 'summer' }]
      })
    );
    const result = validateOpeningHours(input);
    expect(result.ok).toBe(true);
    if (result.ok) expect(statusAt(result.value, at('2026-11-30T10:00')).open).toBe(true);
  });

  it('reports each problem with a path and a stable code', () => {
    const result = validateOpeningHours({
      alwaysOpen: 'yes',
      weekly: { 1: [{ opens: '24:00', closes: '25:00' }], 8: [], 2: 'nine to five' },
      publicHolidays: 'maybe',
      exceptions: [{ date: '2026-02-30', slots: [] }, { date: '2026-12-24', slots: [] }, { date: '2026-12-24', slots: [], extra: 1 }],
      closures: [{ from: '2026-08-17T00:00', to: '2026-08-01T00:00' }, { from: 'soon' }],
      colour: 'red'
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { path: 'colour', code: 'unknown_key' },
        { path: 'alwaysOpen', code: 'invalid_type' },
        { path: 'weekly.1.0.opens', code: 'invalid_opens' },
        { path: 'weekly.1.0.closes', code: 'invalid_closes' },
        { path: 'weekly.8', code: 'invalid_weekday' },
        { path: 'weekly.2', code: 'invalid_type' },
        { path: 'publicHolidays', code: 'invalid_policy' },
        { path: 'exceptions.0.date', code: 'invalid_date' },
        { path: 'exceptions.2.date', code: 'duplicate_date' },
        { path: 'exceptions.2.extra', code: 'unknown_key' },
        { path: 'closures.0.to', code: 'closure_not_after_start' },
        { path: 'closures.1.from', code: 'invalid_date_time' },
        { path: 'closures.1.to', code: 'required' }
      ])
    );
    expect(result.errors).toHaveLength(13);
  });

  it('refuses 24/7 together with weekly slots, and a missing holiday policy', () => {
    const result = validateOpeningHours({ alwaysOpen: true, weekly: { 1: [slot('09:00', '12:00')] } });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'weekly', code: 'weekly_with_always_open' },
        { path: 'publicHolidays', code: 'required' }
      ]
    });
  });

  it('refuses something that is not an object', () => {
    expect(validateOpeningHours(null)).toEqual({ ok: false, errors: [{ path: '', code: 'invalid_type' }] });
  });
});
