/**
 * Opening hours made small and quick to ask, for the directory search's in-memory index
 * (src/lib/server/directory/search-memory.ts): "open at some moment of this window?"
 * for 100,000 services in a few milliseconds, with exactly the answers of the
 * opening-hours module (opening-hours.ts), whose rules it follows: exceptions, then
 * public holidays, then the usual week; closures cut out; a slot belongs to the day it
 * starts; 'unknown' holiday slots never count as open.
 *
 * It reasons in Paris wall-clock minutes counted from midnight of the day before the
 * window. That is the module's own reading on every day without a clock change. On
 * the two nights a year the clocks change, a slot that opens or closes between 02:00
 * and 03:00 (and any exception or closure) may be read differently: such hours are
 * `needsModuleOnClockChange`, and the caller asks the opening-hours module instead
 * (`WallWindow.clockChange`).
 *
 * Pure module: no I/O.
 */
import { addParisDays, parisDateKey, parisOffsetMinutes, parseIsoDateTime, fromParis, toParis, weekdayOfDateKey } from '../time/paris-time';
import { isFrenchPublicHoliday } from '../time/public-holidays';
import { timeToMinutes, type OpeningHours, type TimeSlot } from './opening-hours';

/** Slots as flat [opens, closes, opens, closes, …] in minutes; closes <= opens runs past midnight. */
type FlatSlots = readonly number[];

const NONE: FlatSlots = Object.freeze([]);
const FULL_DAY: FlatSlots = Object.freeze([0, 1440]);

export interface CompactHours {
  /** index 1–7 (ISO weekday): the slots starting that day */
  weekly: readonly FlatSlots[];
  /** on French public holidays: the usual slots, none, the usual ones but unknown (never open), or these */
  holiday: 'open' | 'closed' | 'unknown' | FlatSlots;
  /** Paris date → the slots starting that day */
  exceptions: ReadonlyMap<string, FlatSlots> | null;
  /** instants (ms) [from, to) */
  closures: ReadonlyArray<readonly [number, number]> | null;
  /** on a window touching a clock change, ask the opening-hours module (see the file header) */
  needsModuleOnClockChange: boolean;
}

function flat(slots: readonly TimeSlot[] | undefined): FlatSlots {
  if (!slots || slots.length === 0) return NONE;
  return slots.flatMap((s) => [timeToMinutes(s.opens), timeToMinutes(s.closes)]);
}

/** Between 02:00 and 03:00, where a clock change moves or repeats the hour. */
const nearClockChange = (slots: FlatSlots): boolean => slots.some((m) => m >= 120 && m <= 180);

/** Hours that passed `validateOpeningHours`. */
export function compactHours(hours: OpeningHours): CompactHours {
  const weekly: FlatSlots[] = [NONE];
  for (let day = 1; day <= 7; day++) weekly.push(hours.alwaysOpen ? FULL_DAY : flat(hours.weekly[day as 1]));
  const policy = hours.publicHolidays;
  const holiday = typeof policy === 'string' ? policy : flat(policy.slots);
  const exceptions = hours.exceptions?.length ? new Map(hours.exceptions.map((e) => [e.date, flat(e.slots)])) : null;
  const closures = hours.closures?.length
    ? hours.closures.map((c): [number, number] => [parseIsoDateTime(c.from)!.getTime(), parseIsoDateTime(c.to)!.getTime()])
    : null;
  const needsModuleOnClockChange =
    exceptions !== null || closures !== null || weekly.some(nearClockChange) || (typeof holiday !== 'string' && nearClockChange(holiday));
  return { weekly, holiday, exceptions, closures, needsModuleOnClockChange };
}

export interface WallDay {
  dateKey: string;
  weekday: number;
  holiday: boolean;
}

/** A window of time as the compact hours read it. Made once per search. */
export interface WallWindow {
  /** from the day before the window starts to the day it ends */
  days: WallDay[];
  /** wall-clock minutes from midnight of days[0] (fractional) */
  from: number;
  to: number;
  /** a moment ("open now"): open if an opening holds it */
  point: boolean;
  /** a clock change happens during these days: see the file header */
  clockChange: boolean;
}

/** Wall-clock minutes of `instant` counted from Paris midnight starting `firstDay`. */
function wallMinutes(firstDay: string, instant: Date): number {
  const p = toParis(instant);
  const first = Date.UTC(Number(firstDay.slice(0, 4)), Number(firstDay.slice(5, 7)) - 1, Number(firstDay.slice(8, 10)));
  const days = Math.round((Date.UTC(p.year, p.month - 1, p.day) - first) / 86_400_000);
  return days * 1440 + p.hour * 60 + p.minute + (p.second + (instant.getTime() % 1000) / 1000) / 60;
}

const midnight = (key: string): Date => fromParis({ year: Number(key.slice(0, 4)), month: Number(key.slice(5, 7)), day: Number(key.slice(8, 10)), hour: 0, minute: 0 });

/**
 * The window [from, to) — or the moment `from` when `point` — as compact hours read it.
 * `to` is exclusive, like the opening-hours module's windows.
 */
export function wallWindow(from: Date, to: Date, point = false): WallWindow {
  const firstDay = addParisDays(parisDateKey(from), -1);
  const lastDay = parisDateKey(point ? from : to);
  const days: WallDay[] = [];
  for (let day = firstDay; day <= lastDay; day = addParisDays(day, 1)) days.push({ dateKey: day, weekday: weekdayOfDateKey(day), holiday: isFrenchPublicHoliday(day) });
  let clockChange = false;
  for (let day = firstDay; day <= addParisDays(lastDay, 1) && !clockChange; day = addParisDays(day, 1)) {
    clockChange = parisOffsetMinutes(midnight(day)) !== parisOffsetMinutes(midnight(addParisDays(day, 1)));
  }
  const start = wallMinutes(firstDay, from);
  return { days, from: start, to: point ? start : wallMinutes(firstDay, to), point, clockChange };
}

/** The slots starting on `day`, as the opening-hours module's daySchedule gives them (unknown ones left out). */
function slotsOf(hours: CompactHours, day: WallDay): FlatSlots {
  const exception = hours.exceptions?.get(day.dateKey);
  if (exception) return exception;
  if (day.holiday && hours.holiday !== 'open') return typeof hours.holiday === 'string' ? NONE : hours.holiday;
  return hours.weekly[day.weekday]!;
}

/**
 * Whether the service is certainly open at some moment of the window (at the moment, for
 * a point). Not for hours `needsModuleOnClockChange` on a window whose `clockChange` is true.
 */
export function openInWindow(hours: CompactHours, window: WallWindow): boolean {
  const cuts = hours.closures ? closuresAsWall(hours, window) : null;
  for (let i = 0; i < window.days.length; i++) {
    const slots = slotsOf(hours, window.days[i]!);
    const base = i * 1440;
    for (let k = 0; k < slots.length; k += 2) {
      const opens = slots[k]!;
      const closes = slots[k + 1]!;
      const start = base + opens;
      const end = closes > opens ? base + closes : base + 1440 + closes;
      if (window.point) {
        const t = window.from;
        if (start <= t && t < end && !(cuts && cuts.some(([from, to]) => from <= t && t < to))) return true;
        continue;
      }
      // the part of this opening inside the window, if the closures leave some of it
      const a = Math.max(start, window.from);
      const b = Math.min(end, window.to);
      if (b > a && !(cuts && coveredBy(cuts, a, b))) return true;
    }
  }
  return false;
}

/** The service's closures in the window's wall minutes. */
function closuresAsWall(hours: CompactHours, window: WallWindow): Array<[number, number]> {
  const firstDay = window.days[0]!.dateKey;
  return (hours.closures ?? []).map(([from, to]) => [wallMinutes(firstDay, new Date(from)), wallMinutes(firstDay, new Date(to))]);
}

/** Whether the cuts leave nothing of [a, b). */
function coveredBy(cuts: ReadonlyArray<readonly [number, number]>, a: number, b: number): boolean {
  // walk from a, jumping to the end of any cut that holds the current position
  let position = a;
  for (let moved = true; moved && position < b; ) {
    moved = false;
    for (const [from, to] of cuts) {
      if (from <= position && position < to) {
        position = to;
        moved = true;
      }
    }
  }
  return position >= b;
}
