/**
 * Opening hours of a help service, and the questions the directory asks of them:
 * open now? until when? open tonight? open this weekend?
 *
 * Everything is French wall-clock time (Europe/Paris, through `../time/paris-time`),
 * so a slot '20:00'–'08:00' opens at 20:00 and closes at 08:00 on the clock on the
 * wall, including on the two daylight-saving nights (the night is one hour shorter in
 * March and one hour longer in October).
 *
 * How one Paris calendar day D gets its slots, in this order of precedence:
 *   1. `closures` (temporary closures) are cut out of everything, whatever the day;
 *   2. an `exceptions` entry for D replaces everything else for D (`[]` = closed);
 *   3. if D is a French public holiday, `publicHolidays` decides:
 *        'closed' → no slot; 'open' → the usual weekday slots; { slots } → those slots;
 *        'unknown' → the usual weekday slots, but marked *unknown*: we never say
 *        "open" then (OpenStatus.unknown is true instead);
 *   4. otherwise `alwaysOpen` (00:00–24:00) or `weekly[weekday of D]`.
 * A slot belongs to the day it STARTS: an overnight slot 20:00–08:00 on 24 December
 * runs until 08:00 on the 25th even when public holidays are 'closed', and the one
 * that would start on the evening of the 25th does not open. Exceptions work the same
 * way: they give the slots that start on that date.
 *
 * Times: 'HH:MM'; `opens` is 00:00–23:59, `closes` 00:00–24:00. `closes <= opens`
 * means the slot runs past midnight into the next day (so '09:00'–'09:00' is 24 hours).
 * Adjacent or overlapping openings (e.g. Sunday 22:00–24:00 then Monday 00:00–06:00,
 * or 24/7) are merged into one continuous opening.
 *
 * Pure module: no I/O, runs in the browser and the service worker. Functions other
 * than `validateOpeningHours` expect hours that passed `validateOpeningHours`.
 */
import {
  addParisDays,
  fromParis,
  parisDateKey,
  parseIsoDateTime,
  toParis,
  weekdayOfDateKey
} from '../time/paris-time';
import { isFrenchPublicHoliday } from '../time/public-holidays';

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO: 1 = Monday … 7 = Sunday

export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

export interface TimeSlot {
  /** 'HH:MM', 00:00–23:59 */
  opens: string;
  /** 'HH:MM', 00:00–24:00; `closes <= opens` means overnight into the next day */
  closes: string;
}

export type PublicHolidayPolicy = 'open' | 'closed' | 'unknown' | { slots: TimeSlot[] };

export interface OpeningException {
  /** 'YYYY-MM-DD', a Paris calendar day */
  date: string;
  /** slots starting that day; [] = closed that day */
  slots: TimeSlot[];
  note?: string;
}

export interface TemporaryClosure {
  /** ISO date-time; without an offset it is read as Paris wall time */
  from: string;
  /** ISO date-time, exclusive */
  to: string;
  reason?: string;
}

export interface OpeningHours {
  /** 24/7. `weekly` must then be empty; holidays, exceptions and closures still apply. */
  alwaysOpen?: boolean;
  /** several slots a day for lunch breaks; a missing day or [] = closed */
  weekly: Partial<Record<Weekday, TimeSlot[]>>;
  /** what happens on French national public holidays (Alsace-Moselle extras not included) */
  publicHolidays: PublicHolidayPolicy;
  exceptions?: OpeningException[];
  closures?: TemporaryClosure[];
}

export interface OpenStatus {
  open: boolean;
  /** true when we cannot say: `at` falls in a usual slot on a public holiday with policy 'unknown' */
  unknown: boolean;
  /** end of the current continuous opening; null when closed, or when it runs past the horizon (24/7) */
  closesAt: Date | null;
  /**
   * When closed: the next opening. When open: the next re-opening after the current
   * opening ends (e.g. after the lunch break). Null if none within HORIZON_DAYS of `at`.
   */
  opensNext: Date | null;
}

/** How far ahead we look for the next opening. */
export const HORIZON_DAYS = 14;

const DAY_MS = 86_400_000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** 'HH:MM' → minutes since midnight; '24:00' → 1440. NaN if malformed. */
export function timeToMinutes(time: string): number {
  if (time === '24:00') return 1440;
  const m = TIME.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

export function isValidOpensTime(time: unknown): time is string {
  return typeof time === 'string' && TIME.test(time);
}

export function isValidClosesTime(time: unknown): time is string {
  return typeof time === 'string' && (time === '24:00' || TIME.test(time));
}

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day 'YYYY-MM-DD'. */
export function isValidDateKey(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = DATE_KEY.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

function atParis(dateKey: string, minutes: number): Date {
  const [year, month, day] = dateKey.split('-').map(Number) as [number, number, number];
  if (minutes >= 1440) return atParis(addParisDays(dateKey, 1), minutes - 1440);
  return fromParis({ year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60 });
}

/** Paris midnight starting `dateKey`. */
function startOfDay(dateKey: string): Date {
  return atParis(dateKey, 0);
}

export type DaySource = 'exception' | 'public_holiday' | 'weekly' | 'always_open';

export interface DaySchedule {
  /** slots starting this Paris day (closures not yet cut out) */
  slots: TimeSlot[];
  /** true when the slots are the usual ones on a public holiday with policy 'unknown' */
  unknown: boolean;
  source: DaySource;
  note?: string;
}

const FULL_DAY: TimeSlot = { opens: '00:00', closes: '24:00' };

/**
 * The slots that START on the Paris day `dateKey` after exceptions and public holidays
 * (see the file header). Temporary closures are not applied here: they are cut out of
 * the resulting instants by the other functions. Useful for "hours today" lists.
 */
export function daySchedule(hours: OpeningHours, dateKey: string): DaySchedule {
  const exception = hours.exceptions?.find((e) => e.date === dateKey);
  if (exception) {
    return {
      slots: exception.slots,
      unknown: false,
      source: 'exception',
      ...(exception.note === undefined ? {} : { note: exception.note })
    };
  }
  const usual = (): TimeSlot[] =>
    hours.alwaysOpen ? [FULL_DAY] : (hours.weekly[weekdayOfDateKey(dateKey) as Weekday] ?? []);
  if (isFrenchPublicHoliday(dateKey)) {
    const policy = hours.publicHolidays;
    if (policy === 'closed') return { slots: [], unknown: false, source: 'public_holiday' };
    if (policy === 'unknown') return { slots: usual(), unknown: true, source: 'public_holiday' };
    if (policy !== 'open') return { slots: policy.slots, unknown: false, source: 'public_holiday' };
  }
  return { slots: usual(), unknown: false, source: hours.alwaysOpen ? 'always_open' : 'weekly' };
}

interface Interval {
  start: number;
  end: number;
}

function slotInterval(dateKey: string, slot: TimeSlot): Interval {
  const opens = timeToMinutes(slot.opens);
  const closes = timeToMinutes(slot.closes);
  if (Number.isNaN(opens) || Number.isNaN(closes)) throw new RangeError('invalid_time');
  const start = atParis(dateKey, opens).getTime();
  const end = (closes > opens ? atParis(dateKey, closes) : atParis(addParisDays(dateKey, 1), closes)).getTime();
  return { start, end };
}

function closureIntervals(hours: OpeningHours): Interval[] {
  return (hours.closures ?? []).map((c) => {
    const from = parseIsoDateTime(c.from);
    const to = parseIsoDateTime(c.to);
    if (!from || !to) throw new RangeError('invalid_closure');
    return { start: from.getTime(), end: to.getTime() };
  });
}

function subtract(intervals: Interval[], cuts: Interval[]): Interval[] {
  let result = intervals;
  for (const cut of cuts) {
    if (cut.end <= cut.start) continue;
    const next: Interval[] = [];
    for (const i of result) {
      if (cut.end <= i.start || cut.start >= i.end) {
        next.push(i);
        continue;
      }
      if (i.start < cut.start) next.push({ start: i.start, end: cut.start });
      if (cut.end < i.end) next.push({ start: cut.end, end: i.end });
    }
    result = next;
  }
  return result;
}

function merge(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

/**
 * Openings of slots starting on the Paris days `firstDay`…`lastDay` (inclusive),
 * closures cut out, merged. `known` are certain openings; `unknown` the usual slots
 * of public holidays whose policy is 'unknown' (never counted as open).
 */
function openingsOfDays(
  hours: OpeningHours,
  firstDay: string,
  lastDay: string
): { known: Interval[]; unknown: Interval[] } {
  const known: Interval[] = [];
  const unknown: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day = addParisDays(day, 1)) {
    const schedule = daySchedule(hours, day);
    for (const slot of schedule.slots) (schedule.unknown ? unknown : known).push(slotInterval(day, slot));
  }
  const cuts = closureIntervals(hours);
  return { known: merge(subtract(known, cuts)), unknown: merge(subtract(unknown, cuts)) };
}

export interface Opening {
  opens: Date;
  closes: Date;
}

/**
 * Certain openings (merged, closures cut out) that overlap [from, to). They are not
 * clipped: an opening that started before `from` keeps its real start. An opening that
 * continues past the last computed day (to + 1 day) is cut there.
 */
export function openingsBetween(hours: OpeningHours, from: Date, to: Date): Opening[] {
  const firstDay = addParisDays(parisDateKey(from), -1);
  const lastDay = parisDateKey(to);
  const { known } = openingsOfDays(hours, firstDay, lastDay);
  return known
    .filter((i) => i.end > from.getTime() && i.start < to.getTime())
    .map((i) => ({ opens: new Date(i.start), closes: new Date(i.end) }));
}

/** Open or closed at `at`, until when, and when it opens next (see OpenStatus). */
export function statusAt(hours: OpeningHours, at: Date): OpenStatus {
  const t = at.getTime();
  const today = parisDateKey(at);
  // Yesterday for overnight slots still running; one day past the horizon so that
  // an opening found within HORIZON_DAYS is known in full.
  const lastDay = addParisDays(today, HORIZON_DAYS + 1);
  const { known, unknown } = openingsOfDays(hours, addParisDays(today, -1), lastDay);
  // Openings reaching this instant may go on with slots we did not compute.
  const computedUntil = startOfDay(addParisDays(lastDay, 1)).getTime();
  const horizon = t + HORIZON_DAYS * DAY_MS;
  const nextAfter = (instant: number): Date | null => {
    const next = known.find((i) => i.start > instant);
    return next && next.start <= horizon ? new Date(next.start) : null;
  };

  const current = known.find((i) => i.start <= t && t < i.end);
  if (current) {
    return {
      open: true,
      unknown: false,
      closesAt: current.end >= computedUntil ? null : new Date(current.end),
      opensNext: nextAfter(current.end)
    };
  }
  return {
    open: false,
    unknown: unknown.some((i) => i.start <= t && t < i.end),
    closesAt: null,
    opensNext: nextAfter(t)
  };
}

export function isOpenAt(hours: OpeningHours, at: Date): boolean {
  return statusAt(hours, at).open;
}

/** The next opening after `at` within HORIZON_DAYS (after the current opening if open now). */
export function opensNextAt(hours: OpeningHours, at: Date): Date | null {
  return statusAt(hours, at).opensNext;
}

/**
 * "Tonight" = from 20:00 on the Paris day of `at` (or from `at` if later) to 06:00 the
 * next morning. True if the service is certainly open at any moment of that window,
 * e.g. a day centre open until 21:00 or a shelter opening at 22:00. Public-holiday
 * slots with policy 'unknown' do not count. Note: at 02:00 "tonight" is the coming
 * night (20:00 that day), by this definition — for "right now" use statusAt.
 */
export function openTonight(hours: OpeningHours, at: Date): boolean {
  const { from, to } = tonightWindow(at);
  return openingsBetween(hours, from, to).length > 0;
}

/** "Tonight" as `openTonight` reads it: from 20:00 (or `at` if later) to 06:00 the next morning (never empty). */
export function tonightWindow(at: Date): { from: Date; to: Date } {
  const day = parisDateKey(at);
  const evening = atParis(day, 20 * 60);
  return { from: at.getTime() > evening.getTime() ? at : evening, to: atParis(addParisDays(day, 1), 6 * 60) };
}

/**
 * "This weekend" = Saturday 00:00 to Monday 00:00 (Paris). From Monday to Friday it is
 * the coming weekend; on Saturday or Sunday it is what remains of it from `at`.
 * An overnight slot from Friday evening into Saturday counts. Public holidays,
 * exceptions and closures apply; 'unknown' holiday slots do not count.
 */
export function openThisWeekend(hours: OpeningHours, at: Date): boolean {
  const { from, to } = weekendWindow(at);
  return openingsBetween(hours, from, to).length > 0;
}

/** "This weekend" as `openThisWeekend` reads it. */
export function weekendWindow(at: Date): { from: Date; to: Date } {
  const day = parisDateKey(at);
  const weekday = toParis(at).weekday;
  return { from: weekday >= 6 ? at : startOfDay(addParisDays(day, 6 - weekday)), to: startOfDay(addParisDays(day, 8 - weekday)) };
}

/**
 * The canonical form of equivalent hours: weekdays without slots dropped (absent =
 * closed), slots of a day sorted by opening time, `{ slots: [] }` on holidays as
 * 'closed', exceptions sorted by date, empty lists and `alwaysOpen: false` omitted.
 * Closures keep their order. Converters (HSDS) return this form.
 */
export function normalizeOpeningHours(hours: OpeningHours): OpeningHours {
  const sortSlots = (slots: TimeSlot[]): TimeSlot[] =>
    slots
      .map((s) => ({ opens: s.opens, closes: s.closes }))
      .sort(
        (a, b) =>
          timeToMinutes(a.opens) - timeToMinutes(b.opens) || timeToMinutes(a.closes) - timeToMinutes(b.closes)
      );
  const result: OpeningHours = { weekly: {}, publicHolidays: 'unknown' };
  if (hours.alwaysOpen) result.alwaysOpen = true;
  for (const day of WEEKDAYS) {
    const slots = hours.weekly[day];
    if (slots && slots.length > 0) result.weekly[day] = sortSlots(slots);
  }
  const ph = hours.publicHolidays;
  if (typeof ph === 'string') result.publicHolidays = ph;
  else result.publicHolidays = ph.slots.length === 0 ? 'closed' : { slots: sortSlots(ph.slots) };
  if (hours.exceptions && hours.exceptions.length > 0) {
    result.exceptions = [...hours.exceptions]
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      .map((e) => ({ date: e.date, slots: sortSlots(e.slots), ...(e.note === undefined ? {} : { note: e.note }) }));
  }
  if (hours.closures && hours.closures.length > 0) {
    result.closures = hours.closures.map((c) => ({
      from: c.from,
      to: c.to,
      ...(c.reason === undefined ? {} : { reason: c.reason })
    }));
  }
  return result;
}

// ---------------------------------------------------------------------------------
// Validation

export interface ValidationIssue {
  /** JSON-pointer-like path, e.g. 'weekly.1.0.closes', 'exceptions.2.date' */
  path: string;
  code:
    | 'invalid_type'
    | 'required'
    | 'unknown_key'
    | 'invalid_weekday'
    | 'invalid_opens'
    | 'invalid_closes'
    | 'invalid_policy'
    | 'invalid_date'
    | 'duplicate_date'
    | 'invalid_date_time'
    | 'closure_not_after_start'
    | 'weekly_with_always_open';
}

type ValidationResult = { ok: true; value: OpeningHours } | { ok: false; errors: ValidationIssue[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkKeys(obj: Record<string, unknown>, allowed: string[], path: string, errors: ValidationIssue[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) errors.push({ path: path ? `${path}.${key}` : key, code: 'unknown_key' });
  }
}

function readSlots(input: unknown, path: string, errors: ValidationIssue[]): TimeSlot[] {
  if (!Array.isArray(input)) {
    errors.push({ path, code: input === undefined ? 'required' : 'invalid_type' });
    return [];
  }
  return input.map((raw, index) => {
    const p = `${path}.${index}`;
    if (!isRecord(raw)) {
      errors.push({ path: p, code: 'invalid_type' });
      return { opens: '', closes: '' };
    }
    checkKeys(raw, ['opens', 'closes'], p, errors);
    if (!isValidOpensTime(raw.opens)) errors.push({ path: `${p}.opens`, code: 'invalid_opens' });
    if (!isValidClosesTime(raw.closes)) errors.push({ path: `${p}.closes`, code: 'invalid_closes' });
    return { opens: String(raw.opens), closes: String(raw.closes) };
  });
}

function optionalString(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  errors: ValidationIssue[]
): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') errors.push({ path: `${path}.${key}`, code: 'invalid_type' });
  return String(v);
}

/**
 * Checks untrusted input (JSON from the database, an import, a form) and returns a
 * clean copy. Errors carry a path and a stable code; nothing is thrown.
 */
export function validateOpeningHours(input: unknown): ValidationResult {
  const errors: ValidationIssue[] = [];
  if (!isRecord(input)) return { ok: false, errors: [{ path: '', code: 'invalid_type' }] };
  checkKeys(input, ['alwaysOpen', 'weekly', 'publicHolidays', 'exceptions', 'closures'], '', errors);

  const value: OpeningHours = { weekly: {}, publicHolidays: 'unknown' };

  if (input.alwaysOpen !== undefined) {
    if (typeof input.alwaysOpen !== 'boolean') errors.push({ path: 'alwaysOpen', code: 'invalid_type' });
    else value.alwaysOpen = input.alwaysOpen;
  }

  if (!isRecord(input.weekly)) {
    errors.push({ path: 'weekly', code: input.weekly === undefined ? 'required' : 'invalid_type' });
  } else {
    for (const [key, slots] of Object.entries(input.weekly)) {
      if (!/^[1-7]$/.test(key)) {
        errors.push({ path: `weekly.${key}`, code: 'invalid_weekday' });
        continue;
      }
      if (slots === undefined) continue;
      value.weekly[Number(key) as Weekday] = readSlots(slots, `weekly.${key}`, errors);
    }
    if (value.alwaysOpen && Object.values(value.weekly).some((s) => s.length > 0)) {
      errors.push({ path: 'weekly', code: 'weekly_with_always_open' });
    }
  }

  const ph = input.publicHolidays;
  if (ph === 'open' || ph === 'closed' || ph === 'unknown') value.publicHolidays = ph;
  else if (isRecord(ph)) {
    checkKeys(ph, ['slots'], 'publicHolidays', errors);
    value.publicHolidays = { slots: readSlots(ph.slots, 'publicHolidays.slots', errors) };
  } else errors.push({ path: 'publicHolidays', code: ph === undefined ? 'required' : 'invalid_policy' });

  if (input.exceptions !== undefined) {
    if (!Array.isArray(input.exceptions)) errors.push({ path: 'exceptions', code: 'invalid_type' });
    else {
      const seen = new Set<string>();
      value.exceptions = input.exceptions.map((raw, index) => {
        const p = `exceptions.${index}`;
        if (!isRecord(raw)) {
          errors.push({ path: p, code: 'invalid_type' });
          return { date: '', slots: [] };
        }
        checkKeys(raw, ['date', 'slots', 'note'], p, errors);
        if (!isValidDateKey(raw.date)) errors.push({ path: `${p}.date`, code: 'invalid_date' });
        else if (seen.has(raw.date)) errors.push({ path: `${p}.date`, code: 'duplicate_date' });
        else seen.add(raw.date);
        const exception: OpeningException = {
          date: String(raw.date),
          slots: readSlots(raw.slots, `${p}.slots`, errors)
        };
        const note = optionalString(raw, 'note', p, errors);
        if (note !== undefined) exception.note = note;
        return exception;
      });
    }
  }

  if (input.closures !== undefined) {
    if (!Array.isArray(input.closures)) errors.push({ path: 'closures', code: 'invalid_type' });
    else {
      value.closures = input.closures.map((raw, index) => {
        const p = `closures.${index}`;
        if (!isRecord(raw)) {
          errors.push({ path: p, code: 'invalid_type' });
          return { from: '', to: '' };
        }
        checkKeys(raw, ['from', 'to', 'reason'], p, errors);
        const from = typeof raw.from === 'string' ? parseIsoDateTime(raw.from) : null;
        const to = typeof raw.to === 'string' ? parseIsoDateTime(raw.to) : null;
        if (!from) errors.push({ path: `${p}.from`, code: raw.from === undefined ? 'required' : 'invalid_date_time' });
        if (!to) errors.push({ path: `${p}.to`, code: raw.to === undefined ? 'required' : 'invalid_date_time' });
        if (from && to && to.getTime() <= from.getTime()) {
          errors.push({ path: `${p}.to`, code: 'closure_not_after_start' });
        }
        const closure: TemporaryClosure = { from: String(raw.from), to: String(raw.to) };
        const reason = optionalString(raw, 'reason', p, errors);
        if (reason !== undefined) closure.reason = reason;
        return closure;
      });
    }
  }

  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
