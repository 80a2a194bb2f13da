/**
 * French national public holidays (jours fériés, Code du travail L.3133-1), computed
 * by hand so the result is the same in the browser, a service worker and the server.
 *
 * Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle) has two more days: Good Friday and
 * 26 December (Code du travail L.3134-13). They are NOT in `frenchPublicHolidays`;
 * use `alsaceMoselleExtraHolidays` when a rule depends on the local calendar there.
 * Overseas departments have their own extra days (abolition of slavery) — not covered.
 */
import { addParisDays, parseDateKey } from './paris-time';

export type PublicHolidayName =
  | 'new_year'
  | 'easter_monday'
  | 'labour_day'
  | 'victory_1945'
  | 'ascension'
  | 'whit_monday'
  | 'bastille_day'
  | 'assumption'
  | 'all_saints'
  | 'armistice_1918'
  | 'christmas';

export type AlsaceMoselleHolidayName = 'good_friday' | 'st_stephen';

export interface PublicHoliday<N extends string = PublicHolidayName> {
  /** 'YYYY-MM-DD' */
  date: string;
  name: N;
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError('invalid_year');
}

/** Gregorian Easter Sunday ('YYYY-MM-DD'), anonymous Gregorian (Meeus/Jones/Butcher) algorithm. */
export function easterSunday(year: number): string {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const fixed = (year: number, mmdd: string): string => `${String(year).padStart(4, '0')}-${mmdd}`;

/** The 11 national public holidays of `year`, in calendar order. */
export function frenchPublicHolidays(year: number): Array<PublicHoliday> {
  const easter = easterSunday(year);
  return [
    { date: fixed(year, '01-01'), name: 'new_year' as const },
    { date: addParisDays(easter, 1), name: 'easter_monday' as const },
    { date: fixed(year, '05-01'), name: 'labour_day' as const },
    { date: fixed(year, '05-08'), name: 'victory_1945' as const },
    { date: addParisDays(easter, 39), name: 'ascension' as const },
    { date: addParisDays(easter, 50), name: 'whit_monday' as const },
    { date: fixed(year, '07-14'), name: 'bastille_day' as const },
    { date: fixed(year, '08-15'), name: 'assumption' as const },
    { date: fixed(year, '11-01'), name: 'all_saints' as const },
    { date: fixed(year, '11-11'), name: 'armistice_1918' as const },
    { date: fixed(year, '12-25'), name: 'christmas' as const }
  ].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** The two extra holidays of Alsace-Moselle: Good Friday and 26 December. */
export function alsaceMoselleExtraHolidays(year: number): Array<PublicHoliday<AlsaceMoselleHolidayName>> {
  return [
    { date: addParisDays(easterSunday(year), -2), name: 'good_friday' },
    { date: fixed(year, '12-26'), name: 'st_stephen' }
  ];
}

const cache = new Map<number, Set<string>>();

/** True if the 'YYYY-MM-DD' key is a national public holiday (Alsace-Moselle extras excluded). */
export function isFrenchPublicHoliday(dateKey: string): boolean {
  const parsed = parseDateKey(dateKey);
  if (!parsed || parsed.year < 1583) return false;
  let set = cache.get(parsed.year);
  if (!set) {
    set = new Set(frenchPublicHolidays(parsed.year).map((h) => h.date));
    cache.set(parsed.year, set);
  }
  return set.has(dateKey);
}
