import { describe, expect, it } from 'vitest';
import { normalizeOpeningHours, type OpeningHours, type TimeSlot } from './opening-hours';
import { fromHsdsSchedules, toHsdsSchedules, type HsdsSchedule } from './hsds-schedule';
import { parseOsmOpeningHours } from './osm-opening-hours';

const slot = (opens: string, closes: string): TimeSlot => ({ opens, closes });
const lunch = [slot('09:00', '12:00'), slot('14:00', '17:00')];

const schedules: Record<string, OpeningHours> = {
  'a day centre with a lunch break, closed on holidays': {
    weekly: { 1: lunch, 2: lunch, 3: lunch, 4: lunch, 5: lunch, 6: [slot('10:00', '13:00')] },
    publicHolidays: 'closed'
  },
  'a 20:00–08:00 shelter open on holidays': {
    weekly: { 1: [slot('20:00', '08:00')], 2: [slot('20:00', '08:00')], 7: [slot('20:00', '08:00')] },
    publicHolidays: 'open'
  },
  'a 24/7 line': { alwaysOpen: true, weekly: {}, publicHolidays: 'open' },
  'a 24/7 line closed on holidays with a summer closure': {
    alwaysOpen: true,
    weekly: {},
    publicHolidays: 'closed',
    closures: [{ from: '2026-08-01T00:00', to: '2026-08-17T00:00:00+02:00', reason: 'Fermeture estivale' }]
  },
  'a service with unknown holiday hours and an evening until midnight': {
    weekly: { 5: [slot('18:00', '24:00')], 7: [slot('22:00', '06:00')] },
    publicHolidays: 'unknown'
  },
  'a service with holiday slots, exceptions and closures': {
    weekly: { 3: [slot('09:00', '12:00'), slot('13:30', '16:00')] },
    publicHolidays: { slots: [slot('10:00', '12:00'), slot('20:00', '24:00')] },
    exceptions: [
      { date: '2026-12-24', slots: [slot('09:00', '12:00')], note: 'Fermeture à midi' },
      { date: '2026-12-26', slots: [slot('10:00', '12:00'), slot('20:00', '02:00')] },
      { date: '2026-12-31', slots: [], note: 'Fermé' }
    ],
    closures: [
      { from: '2026-08-01T00:00', to: '2026-08-17T00:00' },
      { from: '2026-11-02T09:00:00+01:00', to: '2026-11-02T12:00:00+01:00', reason: 'Formation; équipe' }
    ]
  },
  'a service never open': { weekly: {}, publicHolidays: 'unknown' }
};

describe('toHsdsSchedules', () => {
  it('publishes one weekly row per distinct slot with its days in byday', () => {
    const rows = toHsdsSchedules(schedules['a day centre with a lunch break, closed on holidays'] as OpeningHours, { serviceId: 'svc-1' });
    expect(rows).toEqual([
      expect.objectContaining({ id: 'svc-1-schedule-1', service_id: 'svc-1', freq: 'WEEKLY', interval: 1, byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '12:00', description: 'relais:kind=weekly' }),
      expect.objectContaining({ byday: 'MO,TU,WE,TH,FR', opens_at: '14:00', closes_at: '17:00' }),
      expect.objectContaining({ byday: 'SA', opens_at: '10:00', closes_at: '13:00' }),
      expect.objectContaining({ description: 'relais:kind=public_holidays;policy=closed', notes: 'Closed on French public holidays.' })
    ]);
    expect(rows[3]).not.toHaveProperty('opens_at');
  });

  it('publishes an overnight slot as opens 20:00, closes 08:00 with a note', () => {
    const [row] = toHsdsSchedules(schedules['a 20:00–08:00 shelter open on holidays'] as OpeningHours, { serviceId: 's' });
    expect(row).toMatchObject({ byday: 'MO,TU,SU', opens_at: '20:00', closes_at: '08:00', description: 'relais:kind=weekly;overnight' });
    expect(row?.notes).toContain('Overnight');
  });

  it('publishes 24/7 as every day 00:00–23:59, marked always_open', () => {
    expect(toHsdsSchedules(schedules['a 24/7 line'] as OpeningHours, { serviceId: 's', locationId: 'loc' })[0]).toMatchObject({
      location_id: 'loc',
      byday: 'MO,TU,WE,TH,FR,SA,SU',
      opens_at: '00:00',
      closes_at: '23:59',
      description: 'relais:kind=always_open'
    });
  });

  it('publishes an exception as a one-day rule on that date, with its note', () => {
    const rows = toHsdsSchedules(schedules['a service with holiday slots, exceptions and closures'] as OpeningHours, { serviceId: 's' });
    expect(rows.find((r) => r.valid_from === '2026-12-24')).toMatchObject({
      valid_to: '2026-12-24',
      dtstart: '2026-12-24',
      count: 1,
      byday: 'TH',
      opens_at: '09:00',
      closes_at: '12:00',
      notes: 'Fermeture à midi',
      description: 'relais:kind=exception;date=2026-12-24'
    });
  });

  it('publishes a closure with the Paris dates it covers and its exact bounds in the marker', () => {
    const rows = toHsdsSchedules(schedules['a service with holiday slots, exceptions and closures'] as OpeningHours, { serviceId: 's' });
    expect(rows.find((r) => r.description?.startsWith('relais:kind=closure') && r.valid_from === '2026-08-01')).toMatchObject({
      valid_to: '2026-08-16'
    });
  });

  it('uses the ids it is given', () => {
    const rows = toHsdsSchedules(schedules['a 24/7 line'] as OpeningHours, { serviceId: 's', idFor: (i) => `uuid-${i}` });
    expect(rows.map((r) => r.id)).toEqual(['uuid-0', 'uuid-1']);
  });
});

describe('HSDS round trip: model → HSDS → model is identical', () => {
  it.each(Object.entries(schedules))('round-trips %s', (_name, hours) => {
    expect(normalizeOpeningHours(hours)).toEqual(hours); // the fixtures are canonical
    expect(fromHsdsSchedules(toHsdsSchedules(hours, { serviceId: 'svc' }))).toEqual({ ok: true, value: hours });
  });

  it('round-trips a JSON/CSV-like copy of the rows (nulls for empty fields)', () => {
    const hours = schedules['a service with holiday slots, exceptions and closures'] as OpeningHours;
    const rows = toHsdsSchedules(hours, { serviceId: 'svc' }).map((row) => ({ timezone: null, until: null, bymonthday: null, ...row }));
    expect(fromHsdsSchedules(JSON.parse(JSON.stringify(rows)))).toEqual({ ok: true, value: hours });
  });

  it('returns the canonical form of equivalent hours (closed days dropped, slots sorted)', () => {
    const hours: OpeningHours = { weekly: { 1: [slot('14:00', '17:00'), slot('09:00', '12:00')], 7: [] }, publicHolidays: { slots: [] } };
    expect(fromHsdsSchedules(toHsdsSchedules(hours, { serviceId: 's' }))).toEqual({
      ok: true,
      value: { weekly: { 1: [slot('09:00', '12:00'), slot('14:00', '17:00')] }, publicHolidays: 'closed' }
    });
  });

  it('round-trips every OSM example through HSDS', () => {
    for (const text of ['Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-13:00; Su off; PH off', 'Mo-Su 20:00-08:00', '24/7; PH 10:00-12:00']) {
      const osm = parseOsmOpeningHours(text);
      if (!osm.ok) throw new Error(text);
      const canonical = normalizeOpeningHours(osm.value);
      expect(fromHsdsSchedules(toHsdsSchedules(osm.value, { serviceId: 's' }))).toEqual({ ok: true, value: canonical });
    }
  });
});

describe('fromHsdsSchedules: rows from other publishers', () => {
  it('reads plain weekly rows, with seconds, and treats 23:59 as midnight', () => {
    const rows: HsdsSchedule[] = [
      { id: '1', freq: 'WEEKLY', interval: 1, byday: 'MO,TU', opens_at: '09:00:00', closes_at: '17:00:00' },
      { id: '2', byday: 'SA', opens_at: '18:00', closes_at: '23:59', timezone: 1 }
    ];
    expect(fromHsdsSchedules(rows)).toEqual({
      ok: true,
      value: {
        weekly: { 1: [slot('09:00', '17:00')], 2: [slot('09:00', '17:00')], 6: [slot('18:00', '24:00')] },
        publicHolidays: 'unknown'
      }
    });
  });

  it('refuses what it cannot represent instead of guessing', () => {
    const base = { id: 'x', byday: 'MO', opens_at: '09:00', closes_at: '12:00' };
    const cases: Array<[HsdsSchedule, string]> = [
      [{ ...base, freq: 'MONTHLY', byday: '2MO' }, '0.freq:unsupported_frequency'],
      [{ ...base, freq: 'WEEKLY', interval: 2 }, '0.interval:unsupported_interval'],
      [{ ...base, byweekno: '41,42' }, '0.byweekno:unsupported_recurrence'],
      [{ ...base, bymonthday: '1' }, '0.bymonthday:unsupported_recurrence'],
      [{ ...base, until: '2026-12-31' }, '0.until:unsupported_recurrence'],
      [{ ...base, valid_from: '2026-06-01' }, '0.valid_from:unsupported_validity'],
      [{ ...base, timezone: -5 }, '0.timezone:unsupported_time_zone'],
      [{ ...base, opens_at: '09:00-05:00' }, '0.opens_at:unsupported_time_zone'],
      [{ ...base, closes_at: '12:00Z' }, '0.closes_at:unsupported_time_zone'],
      [{ ...base, byday: 'MO,XX' }, '0.byday:invalid_byday'],
      [{ ...base, byday: null }, '0.byday:invalid_byday'],
      [{ ...base, closes_at: null }, '0.closes_at:missing_times'],
      [{ ...base, opens_at: '9h' }, '0.opens_at:invalid_time'],
      [{ ...base, description: 'relais:kind=teleport' }, '0.description:invalid_marker'],
      [{ ...base, description: 'relais:kind=exception;date=2026-02-30' }, '0.description:invalid_date']
    ];
    for (const [row, expected] of cases) {
      const result = fromHsdsSchedules([row]);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => `${e.path}:${e.code}`)).toEqual([expected]);
    }
  });

  it('refuses a marked closure whose bounds are not date-times', () => {
    const result = fromHsdsSchedules([{ id: '1', description: 'relais:kind=closure;from=soon;to=later' }]);
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'closures.0.from', code: 'invalid_hours' },
        { path: 'closures.0.to', code: 'invalid_hours' }
      ]
    });
  });
});
