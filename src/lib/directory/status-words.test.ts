import { describe, expect, it } from 'vitest';
import { parseIsoDateTime } from '../time/paris-time';
import type { OpeningHours, TimeSlot } from './opening-hours';
import { describeStatus } from './status-words';

function at(text: string): Date {
  const d = parseIsoDateTime(text);
  if (!d) throw new Error(`bad test date ${text}`);
  return d;
}

const slot = (opens: string, closes: string): TimeSlot => ({ opens, closes });
const lunch = [slot('09:00', '12:00'), slot('14:00', '17:00')];
const dayCentre: OpeningHours = { weekly: { 1: lunch, 2: lunch, 3: lunch, 4: lunch, 5: lunch }, publicHolidays: 'unknown' };

describe('describeStatus', () => {
  it('says "open until 17:00" on a weekday afternoon', () => {
    expect(describeStatus(dayCentre, at('2026-11-30T14:30'))).toEqual({
      kind: 'open_until',
      time: at('2026-11-30T17:00'),
      sameDay: true,
      weekday: 1
    });
  });

  it('says "closing soon" in the last hour', () => {
    expect(describeStatus(dayCentre, at('2026-11-30T16:15'))).toMatchObject({ kind: 'closing_soon', time: at('2026-11-30T17:00') });
  });

  it('says "closed — opens Monday 9:00" on a Saturday', () => {
    expect(describeStatus(dayCentre, at('2026-11-28T11:00'))).toEqual({
      kind: 'closed_opens_at',
      time: at('2026-11-30T09:00'),
      sameDay: false,
      weekday: 1
    });
  });

  it('says "closed — opens at 14:00" the same day during the lunch break', () => {
    expect(describeStatus(dayCentre, at('2026-11-30T12:30'))).toMatchObject({ kind: 'closed_opens_at', sameDay: true });
  });

  it('says "open 24 hours" for a 24/7 line', () => {
    expect(describeStatus({ alwaysOpen: true, weekly: {}, publicHolidays: 'open' }, at('2026-11-28T03:00'))).toEqual({
      kind: 'open_24h',
      sameDay: true
    });
  });

  it('says a 20:00–08:00 shelter is open until 08:00 tomorrow, not the same day', () => {
    const shelter: OpeningHours = { weekly: { 5: [slot('20:00', '08:00')] }, publicHolidays: 'open' };
    expect(describeStatus(shelter, at('2026-11-27T21:00'))).toEqual({
      kind: 'open_until',
      time: at('2026-11-28T08:00'),
      sameDay: false,
      weekday: 6
    });
  });

  it('counts closing at midnight as the same day', () => {
    const evening: OpeningHours = { weekly: { 5: [slot('18:00', '24:00')] }, publicHolidays: 'open' };
    expect(describeStatus(evening, at('2026-11-27T21:00'))).toMatchObject({ kind: 'open_until', sameDay: true });
  });

  it('says hours are unknown during usual hours on Christmas when the holiday policy is unknown', () => {
    expect(describeStatus(dayCentre, at('2026-12-25T10:00'))).toMatchObject({ kind: 'hours_unknown', time: at('2026-12-28T09:00') });
  });

  it('says closed with no known reopening during a long closure', () => {
    const closed: OpeningHours = { ...dayCentre, closures: [{ from: '2026-11-01T00:00', to: '2027-02-01T00:00' }] };
    expect(describeStatus(closed, at('2026-11-30T10:00'))).toEqual({ kind: 'closed_unknown', sameDay: true });
  });
});
