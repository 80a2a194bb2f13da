/**
 * ISO 8601 weeks ('2026-W49': Monday to Sunday; week 1 holds the year's first Thursday) on
 * Paris calendar days — what the staff week view (`/staff/week`) shows. Pure: no I/O, no Intl.
 *
 * A Paris week is not always 7 × 24 hours: the week of the last Sunday of March is one hour
 * shorter, that of the last Sunday of October one hour longer (`parisWeekBounds`).
 */
import { addParisDays, fromParis, parisDateKey, parseDateKey, weekdayOfDateKey } from './paris-time';

export interface IsoWeek {
  year: number;
  /** 1–53 */
  week: number;
}

const WEEK = /^(\d{4})-W(\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'YYYY-Www' of a week. */
export function formatIsoWeek(week: IsoWeek): string {
  return `${pad(week.year, 4)}-W${pad(week.week)}`;
}

/** How many ISO weeks `year` has: 53 when it starts on a Thursday, or on a Wednesday in a leap year. */
export function weeksInIsoYear(year: number): number {
  const jan1 = weekdayOfDateKey(`${pad(year, 4)}-01-01`);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

/** The ISO week of a 'YYYY-MM-DD' calendar day (31 Dec 2026 → 2026-W53; 1 Jan 2027 → 2026-W53). */
export function isoWeekOfDateKey(dateKey: string): IsoWeek {
  // The week belongs to the year of its Thursday.
  const thursday = addParisDays(dateKey, 4 - weekdayOfDateKey(dateKey));
  const { year } = parseDateKey(thursday)!;
  const jan1 = `${pad(year, 4)}-01-01`;
  const dayOfYear = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${jan1}T00:00:00Z`)) / 86_400_000);
  return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

/** The ISO week holding `instant`, read on the Paris calendar. */
export function parisIsoWeek(instant: Date): IsoWeek {
  return isoWeekOfDateKey(parisDateKey(instant));
}

/** Parses 'YYYY-Www' (also 'YYYY-Www' in lower case); null if it is not a week of that year. */
export function parseIsoWeek(text: string): IsoWeek | null {
  const m = WEEK.exec(text.trim().toUpperCase());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1000 || year > 9998 || week < 1 || week > weeksInIsoYear(year)) return null;
  return { year, week };
}

/** 'YYYY-MM-DD' of the Monday that starts `week`. */
export function mondayOf(week: IsoWeek): string {
  // 4 January is always in week 1.
  const jan4 = `${pad(week.year, 4)}-01-04`;
  return addParisDays(jan4, 1 - weekdayOfDateKey(jan4) + (week.week - 1) * 7);
}

/** The seven days of `week`, Monday to Sunday, as 'YYYY-MM-DD'. */
export function daysOf(week: IsoWeek): string[] {
  const monday = mondayOf(week);
  return Array.from({ length: 7 }, (_, i) => addParisDays(monday, i));
}

/** The week `n` weeks after (or before, n < 0) `week`. */
export function addIsoWeeks(week: IsoWeek, n: number): IsoWeek {
  return isoWeekOfDateKey(addParisDays(mondayOf(week), n * 7));
}

/** From Monday 00:00 to the next Monday 00:00, Paris time: [start, end). */
export function parisWeekBounds(week: IsoWeek): { start: Date; end: Date } {
  const at = (dateKey: string) => {
    const { year, month, day } = parseDateKey(dateKey)!;
    return fromParis({ year, month, day, hour: 0, minute: 0 });
  };
  const monday = mondayOf(week);
  return { start: at(monday), end: at(addParisDays(monday, 7)) };
}
