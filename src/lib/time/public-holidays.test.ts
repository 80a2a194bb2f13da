import { describe, expect, it } from 'vitest';
import { alsaceMoselleExtraHolidays, easterSunday, frenchPublicHolidays, isFrenchPublicHoliday } from './public-holidays';

describe('easterSunday', () => {
  it.each([
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22']
  ])('is right for %i', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });
});

describe('frenchPublicHolidays', () => {
  it('lists the 11 national holidays of 2026 in order', () => {
    expect(frenchPublicHolidays(2026)).toEqual([
      { date: '2026-01-01', name: 'new_year' },
      { date: '2026-04-06', name: 'easter_monday' },
      { date: '2026-05-01', name: 'labour_day' },
      { date: '2026-05-08', name: 'victory_1945' },
      { date: '2026-05-14', name: 'ascension' },
      { date: '2026-05-25', name: 'whit_monday' },
      { date: '2026-07-14', name: 'bastille_day' },
      { date: '2026-08-15', name: 'assumption' },
      { date: '2026-11-01', name: 'all_saints' },
      { date: '2026-11-11', name: 'armistice_1918' },
      { date: '2026-12-25', name: 'christmas' }
    ]);
  });

  it('computes the movable feasts in a leap year (2028)', () => {
    const byName = Object.fromEntries(frenchPublicHolidays(2028).map((h) => [h.name, h.date]));
    expect(byName.easter_monday).toBe('2028-04-17');
    expect(byName.ascension).toBe('2028-05-25');
    expect(byName.whit_monday).toBe('2028-06-05');
  });

  it('keeps Good Friday and 26 December for Alsace-Moselle only', () => {
    expect(alsaceMoselleExtraHolidays(2026)).toEqual([
      { date: '2026-04-03', name: 'good_friday' },
      { date: '2026-12-26', name: 'st_stephen' }
    ]);
    expect(isFrenchPublicHoliday('2026-04-03')).toBe(false);
    expect(isFrenchPublicHoliday('2026-12-26')).toBe(false);
  });
});

describe('isFrenchPublicHoliday', () => {
  it('recognises holidays and ordinary days', () => {
    expect(isFrenchPublicHoliday('2026-12-25')).toBe(true);
    expect(isFrenchPublicHoliday('2027-03-29')).toBe(true); // Easter Monday 2027
    expect(isFrenchPublicHoliday('2026-12-24')).toBe(false);
    expect(isFrenchPublicHoliday('not-a-date')).toBe(false);
  });
});
