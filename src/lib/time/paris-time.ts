/**
 * Paris wall-clock time, computed by hand.
 *
 * Why not Intl: the deadline engine must give the same answer in every browser,
 * in a service worker and on the server, whatever time-zone database ships with it.
 * France (metropolitan) follows the EU summer-time rule, unchanged since 1996:
 *   - CET  (UTC+01:00) most of the year;
 *   - CEST (UTC+02:00) from the last Sunday of March, 01:00 UTC,
 *     to the last Sunday of October, 01:00 UTC.
 * Dates before 1996 are computed with the same rule (not historically exact; Relais
 * never needs them). Overseas departments are out of scope.
 *
 * Conventions for wall-clock times that do not map to exactly one instant:
 *   - gap (last Sunday of March, 02:00–02:59 does not exist): shifted forward by the
 *     gap, so 02:30 → 03:30 CEST (= 01:30 UTC);
 *   - overlap (last Sunday of October, 02:00–02:59 happens twice): the EARLIER instant,
 *     i.e. the CEST one, so 02:30 → 02:30+02:00 (= 00:30 UTC). For deadlines this is
 *     the cautious choice: the earlier reading never gives her more time than she has.
 */

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

export type ParisDateTime = LocalDateTime & { weekday: number; second: number };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Day of the month of the last Sunday of `month` (1–12) in `year`. */
export function lastSundayOfMonth(year: number, month: number): number {
  const last = daysInMonth(year, month);
  const weekday = new Date(Date.UTC(year, month - 1, last)).getUTCDay(); // 0 = Sunday
  return last - weekday;
}

/** Instants (ms since epoch) at which summer time starts and ends in `year`. */
function summerTimeBounds(year: number): { start: number; end: number } {
  return {
    start: Date.UTC(year, 2, lastSundayOfMonth(year, 3), 1, 0, 0),
    end: Date.UTC(year, 9, lastSundayOfMonth(year, 10), 1, 0, 0)
  };
}

function assertValidInstant(instant: Date): number {
  const t = instant instanceof Date ? instant.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError('invalid_date');
  return t;
}

/** Offset of Paris from UTC at `instant`, in minutes: 60 (CET) or 120 (CEST). */
export function parisOffsetMinutes(instant: Date): number {
  const t = assertValidInstant(instant);
  const { start, end } = summerTimeBounds(new Date(t).getUTCFullYear());
  return t >= start && t < end ? 120 : 60;
}

/** Paris wall clock at `instant`; weekday is ISO (1 = Monday … 7 = Sunday). */
export function toParis(instant: Date): ParisDateTime {
  const t = assertValidInstant(instant);
  const shifted = new Date(t + parisOffsetMinutes(instant) * MINUTE_MS);
  const jsDay = shifted.getUTCDay();
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: jsDay === 0 ? 7 : jsDay
  };
}

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

/** True when the fields name a real calendar date and a real time of day (00:00:00–23:59:59). */
export function isValidLocalDateTime(local: LocalDateTime): boolean {
  const second = local.second ?? 0;
  return (
    isInt(local.year) &&
    local.year >= 1 &&
    local.year <= 9999 &&
    isInt(local.month) &&
    local.month >= 1 &&
    local.month <= 12 &&
    isInt(local.day) &&
    local.day >= 1 &&
    local.day <= daysInMonth(local.year, local.month) &&
    isInt(local.hour) &&
    local.hour >= 0 &&
    local.hour <= 23 &&
    isInt(local.minute) &&
    local.minute >= 0 &&
    local.minute <= 59 &&
    isInt(second) &&
    second >= 0 &&
    second <= 59
  );
}

/**
 * Paris wall clock → instant. See the file header for the DST gap (shift forward)
 * and overlap (earlier, CEST instant) conventions.
 * `24:00:00` is accepted as the end of the day (= 00:00 the next day), as in ISO 8601.
 * @throws RangeError('invalid_date') for any other impossible date or time.
 */
export function fromParis(local: LocalDateTime): Date {
  const second = local.second ?? 0;
  const endOfDay = local.hour === 24 && local.minute === 0 && second === 0;
  if (!isValidLocalDateTime(endOfDay ? { ...local, hour: 0 } : local)) {
    throw new RangeError('invalid_date');
  }
  // The wall clock read as if it were UTC; Date.UTC normalises hour 24 to the next day.
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, second);
  const asSummer = naive - 120 * MINUTE_MS;
  const asWinter = naive - 60 * MINUTE_MS;
  const summerFits = parisOffsetMinutes(new Date(asSummer)) === 120;
  const winterFits = parisOffsetMinutes(new Date(asWinter)) === 60;
  if (summerFits) return new Date(asSummer); // also the overlap case: earlier instant
  if (winterFits) return new Date(asWinter);
  // Gap: read with the offset in force just before the jump (+01:00), which lands
  // the same number of minutes after 03:00 CEST.
  return new Date(asWinter);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function formatDateKey(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** 'YYYY-MM-DD' of the Paris calendar day containing `instant`. */
export function parisDateKey(instant: Date): string {
  const p = toParis(instant);
  return formatDateKey(p.year, p.month, p.day);
}

/** Parses a 'YYYY-MM-DD' key; null if it is not a real calendar date. */
export function parseDateKey(dateKey: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateKey);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isValidDateKey(dateKey: string): boolean {
  return parseDateKey(dateKey) !== null;
}

function requireDateKey(dateKey: string): { year: number; month: number; day: number } {
  const parsed = parseDateKey(dateKey);
  if (!parsed) throw new RangeError('invalid_date');
  return parsed;
}

/**
 * Calendar arithmetic on 'YYYY-MM-DD' (no time, no time zone involved).
 * @throws RangeError('invalid_date') if `dateKey` is not a real date.
 */
export function addParisDays(dateKey: string, days: number): string {
  const { year, month, day } = requireDateKey(dateKey);
  if (!isInt(days)) throw new RangeError('invalid_days');
  const d = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS);
  return formatDateKey(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** ISO weekday of a 'YYYY-MM-DD' key: 1 = Monday … 7 = Sunday. */
export function weekdayOfDateKey(dateKey: string): number {
  const { year, month, day } = requireDateKey(dateKey);
  const jsDay = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return jsDay === 0 ? 7 : jsDay;
}

/** ISO 8601 with the Paris offset and seconds, e.g. '2026-03-29T03:30:00+02:00'. */
export function formatIsoParis(instant: Date): string {
  const p = toParis(instant);
  const offset = parisOffsetMinutes(instant);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${formatDateKey(p.year, p.month, p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Parses 'YYYY-MM-DDTHH:mm[:ss[.fff]]' with an offset ('Z', '+02:00', '+0200') or
 * without one — then it is read as French wall time (via fromParis, DST conventions
 * in the file header). Returns null for anything else, including impossible dates
 * and times (2026-02-30, 25:00, 23:60) and offsets beyond ±14:00.
 */
export function parseIsoDateTime(text: string): Date | null {
  if (typeof text !== 'string') return null;
  const m = ISO_DATE_TIME.exec(text.trim());
  if (!m) return null;
  const local: LocalDateTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6])
  };
  if (!isValidLocalDateTime(local)) return null;
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (m[8] === undefined && m[9] === undefined) {
    return new Date(fromParis(local).getTime() + millis);
  }
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 14 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return new Date(utc - offsetMinutes * MINUTE_MS + millis);
}
