import { describe, expect, it } from 'vitest';
import { parseIsoDateTime } from '../time/paris-time';
import { isOpenAt, validateOpeningHours, type OpeningHours } from './opening-hours';
import { parseOsmOpeningHours, toOsmOpeningHours, type OsmErrorCode } from './osm-opening-hours';

function parsed(text: string): OpeningHours {
  const result = parseOsmOpeningHours(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.code} at ${result.error.position}`);
  return result.value;
}

const lunch = [
  { opens: '09:00', closes: '12:00' },
  { opens: '14:00', closes: '17:00' }
];

describe('parseOsmOpeningHours', () => {
  it('reads a day centre with a lunch break, Saturday morning, Sunday off and public holidays off', () => {
    expect(parsed('Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-13:00; Su off; PH off')).toEqual({
      weekly: { 1: lunch, 2: lunch, 3: lunch, 4: lunch, 5: lunch, 6: [{ opens: '10:00', closes: '13:00' }], 7: [] },
      publicHolidays: 'closed'
    });
  });

  it('reads 24/7 as always open', () => {
    expect(parsed('24/7')).toEqual({ alwaysOpen: true, weekly: {}, publicHolidays: 'open' });
  });

  it('reads a 20:00–08:00 shelter every night as overnight slots', () => {
    const hours = parsed('Mo-Su 20:00-08:00');
    expect(hours.weekly[7]).toEqual([{ opens: '20:00', closes: '08:00' }]);
    expect(isOpenAt(hours, parseIsoDateTime('2026-11-30T03:00') as Date)).toBe(true);
  });

  it('reads public-holiday hours', () => {
    expect(parsed('Mo-Fr 09:00-17:00; PH 10:00-12:00').publicHolidays).toEqual({ slots: [{ opens: '10:00', closes: '12:00' }] });
  });

  it('treats a text without a PH rule as open on holidays, as OSM does, unless told to be cautious', () => {
    expect(parsed('Mo-Fr 09:00-17:00').publicHolidays).toBe('open');
    const cautious = parseOsmOpeningHours('Mo-Fr 09:00-17:00', { absentPublicHolidays: 'unknown' });
    expect(cautious.ok && cautious.value.publicHolidays).toBe('unknown');
    expect(parsed('Mo-Fr 09:00-17:00; PH unknown').publicHolidays).toBe('unknown');
  });

  it('reads day lists, wrapping ranges and "closed"', () => {
    expect(Object.keys(parsed('Mo,We,Fr 10:00-12:00').weekly)).toEqual(['1', '3', '5']);
    expect(Object.keys(parsed('Fr-Mo 10:00-12:00').weekly)).toEqual(['1', '5', '6', '7']);
    expect(parsed('Mo-Fr 10:00-12:00; We closed').weekly[3]).toEqual([]);
  });

  it('lets a later rule replace an earlier one, and adds an additional rule after ", "', () => {
    expect(parsed('Mo-Fr 09:00-17:00; We 09:00-12:00').weekly[3]).toEqual([{ opens: '09:00', closes: '12:00' }]);
    expect(parsed('Mo 09:00-12:00, Mo 14:00-17:00').weekly[1]).toEqual(lunch);
  });

  it('reads a rule without days as every day, and extended times as overnight', () => {
    expect(Object.keys(parsed('10:00-18:00').weekly)).toHaveLength(7);
    expect(parsed('Sa 20:00-26:00').weekly[6]).toEqual([{ opens: '20:00', closes: '02:00' }]);
    expect(parsed('Mo 00:00-24:00').weekly[1]).toEqual([{ opens: '00:00', closes: '24:00' }]);
  });

  it('turns 24/7 followed by a day off into weekly hours', () => {
    const hours = parsed('24/7; Su off');
    expect(hours.alwaysOpen).toBeUndefined();
    expect(hours.weekly[1]).toEqual([{ opens: '00:00', closes: '24:00' }]);
    expect(hours.weekly[7]).toEqual([]);
  });

  it('reads single dates as exceptions', () => {
    expect(parsed('Mo-Fr 09:00-17:00; 2026 Dec 31 09:00-12:00; 2026 Dec 24 off').exceptions).toEqual([
      { date: '2026-12-24', slots: [] },
      { date: '2026-12-31', slots: [{ opens: '09:00', closes: '12:00' }] }
    ]);
  });

  it('tolerates extra spaces and a trailing semicolon', () => {
    expect(parsed('  Mo-Fr 09:00-17:00 ;  PH off ;')).toEqual(parsed('Mo-Fr 09:00-17:00; PH off'));
  });

  it('always produces hours that pass validation', () => {
    for (const text of ['24/7; PH off', 'Mo-Su 20:00-08:00', 'Mo-Fr 09:00-12:00,14:00-17:00; PH 10:00-12:00; 2026 Dec 24 off']) {
      expect(validateOpeningHours(parsed(text)).ok).toBe(true);
    }
  });
});

describe('parseOsmOpeningHours: unsupported syntax gives an error, never a wrong schedule', () => {
  const cases: Array<[string, OsmErrorCode, number]> = [
    ['', 'empty', 0],
    ['   ', 'empty', 0],
    ['Jan-Mar Mo-Fr 09:00-17:00', 'unsupported_month', 0],
    ['week 01-10 Mo 09:00-12:00', 'unsupported_week', 0],
    ['Mo-Fr sunrise-sunset', 'unsupported_variable_time', 6],
    ['Mo-Fr 09:00-sunset', 'unsupported_variable_time', 12],
    ['Mo-Fr 09:00-17:00; SH off', 'unsupported_school_holidays', 19],
    ['Mo[1] 09:00-12:00', 'unsupported_nth_weekday', 2],
    ['Mo-Fr 09:00+', 'unsupported_open_end', 11],
    ['Mo-Fr 09:00', 'unsupported_point_in_time', 6],
    ['Mo-Fr 09:00-17:00 "sur rendez-vous"', 'unsupported_comment', 18],
    ['Mo-Fr 09:00-17:00 || "sur rendez-vous"', 'unsupported_fallback', 18],
    ['Mo-Fr 12:00-13:00 off', 'unsupported_modifier', 18],
    ['Mo unknown', 'unsupported_modifier', 3],
    ['2026 Dec 24-26 off', 'unsupported_date_range', 11],
    ['2026 Dec 32 off', 'invalid_date', 0],
    ['Dec 25 off', 'unsupported_month', 0],
    ['PH off; Mo-Fr 09:00-17:00', 'unsupported_rule_order', 8],
    ['Mo-Fr 25:00-26:00', 'invalid_time', 6],
    ['Mo-Fr 09:60-17:00', 'invalid_time', 6],
    ['Mo-Fr 9:00-17:00', 'invalid_time', 6],
    ['Mo-Fr 20:00-45:00', 'invalid_time', 12],
    ['Mo-Fr', 'expected_time_or_modifier', 5],
    ['Mo-Fr: 09:00-17:00', 'unexpected_character', 5],
    ['Lu-Ve 09:00-17:00', 'unknown_word', 0],
    ['Mon 09:00-17:00', 'unknown_word', 0],
    ['Mo, We 10:00-12:00', 'unexpected_character', 2],
    ['Mo-Fr 09:00-17:00,', 'unexpected_end', 18]
  ];

  it.each(cases)('refuses %j with %s at %i', (text, code, position) => {
    expect(parseOsmOpeningHours(text)).toEqual({ ok: false, error: { code, position } });
  });
});

describe('toOsmOpeningHours', () => {
  it('groups days with the same slots and prints the holiday rule', () => {
    const hours = parsed('Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-13:00; Su off; PH off');
    expect(toOsmOpeningHours(hours)).toBe('Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-13:00; Su off; PH off');
  });

  it('prints 24/7 and short day lists', () => {
    expect(toOsmOpeningHours({ alwaysOpen: true, weekly: {}, publicHolidays: 'closed' })).toBe('24/7; PH off');
    expect(
      toOsmOpeningHours({ weekly: { 1: lunch, 3: lunch, 6: lunch, 7: lunch }, publicHolidays: 'open' })
    ).toBe('Mo,We,Sa,Su 09:00-12:00,14:00-17:00');
  });

  it('leaves out exception notes and temporary closures, which OSM strings cannot carry', () => {
    const hours: OpeningHours = {
      weekly: { 1: lunch },
      publicHolidays: 'unknown',
      exceptions: [{ date: '2026-12-24', slots: [], note: 'fermeture' }],
      closures: [{ from: '2026-08-01T00:00', to: '2026-08-17T00:00' }]
    };
    expect(toOsmOpeningHours(hours)).toBe('Mo 09:00-12:00,14:00-17:00; PH unknown; 2026 Dec 24 off');
  });
});

describe('OSM round trip: parse → print → parse gives the same model', () => {
  const texts = [
    '24/7',
    '24/7; PH off',
    '24/7; Su off',
    'Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-13:00; Su off; PH off',
    'Mo-Fr 08:30-12:30; PH off',
    'Mo-Su 20:00-08:00',
    'Su 22:00-06:00',
    'Mo,We,Fr 09:00-12:00; Tu,Th 14:00-17:00; PH 10:00-12:00',
    'Fr-Mo 10:00-24:00',
    'Mo-Fr 09:00-17:00; PH unknown',
    '10:00-18:00; We off',
    'Sa,PH 10:00-12:00',
    'Mo 09:00-12:00, Mo 14:00-17:00, Tu 08:00-10:00',
    'Mo-Fr 09:00-17:00; PH off; 2026 Dec 24 09:00-12:00; 2026 Dec 31 off',
    'off',
    'PH off'
  ];

  it.each(texts)('round-trips %j', (text) => {
    const first = parsed(text);
    const printed = toOsmOpeningHours(first);
    expect(parsed(printed)).toEqual(first);
  });
});
