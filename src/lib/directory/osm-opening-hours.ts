/**
 * OpenStreetMap `opening_hours` strings ↔ OpeningHours, for the subset that
 * data·inclusion publishes (the French State's social-services schema), e.g.
 *   `Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-13:00; Su off; PH off`
 *
 * Supported:
 *   - `24/7`;
 *   - rules separated by `;` (a later rule replaces earlier ones for its days) or by
 *     `, ` before a new selector (an additional rule: its times are added);
 *   - weekday selectors: `Mo`, ranges `Mo-Fr` (wrapping `Fr-Mo` too), lists `Mo,We,Fr`;
 *     `PH` (French national public holidays), alone or in a list (`Sa,PH`);
 *   - a rule with no selector (`10:00-18:00`) applies to every weekday;
 *   - single dates `2026 Dec 24` → an exception on that date;
 *   - time spans `HH:MM-HH:MM`, several with `,`; `24:00` as an end; an end at or
 *     before the start (`20:00-08:00`) or past 24:00 (`20:00-32:00`) runs overnight;
 *   - modifiers `off` / `closed`, `open` (without times: all day), `PH unknown`.
 * Anything else (months, week numbers, `SH`, `sunrise`, `Mo[1]`, `10:00+`, comments,
 * `||` fallbacks, times with `off`, a weekday rule after a `PH` or date rule — whose
 * OSM meaning is that the weekday wins on holidays) returns an error with its
 * position: we never guess a schedule.
 *
 * Public holidays: OSM says a string without a `PH` rule treats holidays like other
 * days, so that parses to 'open' (the default) — pass
 * `{ absentPublicHolidays: 'unknown' }` to be more cautious with imported data.
 * 'unknown' is printed as `PH unknown`.
 *
 * Printing drops what OSM's subset cannot carry: exception notes and temporary
 * closures (publish those separately).
 */
import {
  WEEKDAYS,
  type OpeningException,
  type OpeningHours,
  type PublicHolidayPolicy,
  type TimeSlot,
  type Weekday,
  isValidDateKey
} from './opening-hours';

export type OsmErrorCode =
  | 'empty'
  | 'unexpected_character'
  | 'unexpected_end'
  | 'unknown_word'
  | 'expected_time_or_modifier'
  | 'invalid_time'
  | 'invalid_date'
  | 'unsupported_month'
  | 'unsupported_year'
  | 'unsupported_week'
  | 'unsupported_variable_time'
  | 'unsupported_variable_date'
  | 'unsupported_school_holidays'
  | 'unsupported_nth_weekday'
  | 'unsupported_open_end'
  | 'unsupported_repetition'
  | 'unsupported_point_in_time'
  | 'unsupported_comment'
  | 'unsupported_fallback'
  | 'unsupported_modifier'
  | 'unsupported_date_range'
  | 'unsupported_rule_order';

export interface OsmError {
  code: OsmErrorCode;
  /** index in the text (0-based) where the problem starts */
  position: number;
}

export type OsmParseResult = { ok: true; value: OpeningHours } | { ok: false; error: OsmError };

export interface OsmParseOptions {
  /** policy when the text has no PH rule; OSM's meaning is 'open' (holidays like other days) */
  absentPublicHolidays?: 'open' | 'unknown';
}

const DAY_CODES = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const FULL_DAY: TimeSlot = { opens: '00:00', closes: '24:00' };

class OsmSyntaxError extends Error {
  constructor(
    readonly code: OsmErrorCode,
    readonly position: number
  ) {
    super(code);
  }
}

type Selector =
  | { kind: 'all' }
  | { kind: 'days'; days: Weekday[]; holidays: boolean }
  | { kind: 'date'; date: string };

type Action = { kind: 'slots'; slots: TimeSlot[] } | { kind: 'off' } | { kind: 'unknown' };

const pad = (n: number): string => String(n).padStart(2, '0');
const minutesToTime = (m: number): string => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;

class Parser {
  private i = 0;
  private weekly = new Map<Weekday, TimeSlot[]>();
  private holidays: PublicHolidayPolicy | undefined;
  private exceptions = new Map<string, TimeSlot[]>();
  private alwaysOpen = false;
  private sawHolidayOrDateRule = false;

  constructor(private readonly s: string) {}

  private fail(code: OsmErrorCode, position = this.i): never {
    throw new OsmSyntaxError(code, position);
  }

  private skipSpaces(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  private peekWord(): string {
    return /^[A-Za-z]+/.exec(this.s.slice(this.i))?.[0] ?? '';
  }

  parse(options: OsmParseOptions): OpeningHours {
    this.skipSpaces();
    if (this.i >= this.s.length) this.fail('empty', 0);
    let additive = false;
    for (;;) {
      this.rule(additive);
      this.skipSpaces();
      if (this.i >= this.s.length) break;
      const c = this.s[this.i];
      if (c === '|' && this.s[this.i + 1] === '|') this.fail('unsupported_fallback');
      if (c === ';') additive = false;
      else if (c === ',') additive = true;
      else this.unexpected();
      this.i++;
      this.skipSpaces();
      // A trailing ';' is harmless and common in hand-typed data.
      if (this.i >= this.s.length && !additive) break;
    }
    return this.result(options);
  }

  private result(options: OsmParseOptions): OpeningHours {
    const hours: OpeningHours = {
      weekly: {},
      publicHolidays: this.holidays ?? options.absentPublicHolidays ?? 'open'
    };
    if (this.alwaysOpen) hours.alwaysOpen = true;
    else for (const [day, slots] of [...this.weekly].sort((a, b) => a[0] - b[0])) hours.weekly[day] = slots;
    if (this.exceptions.size > 0) {
      hours.exceptions = [...this.exceptions]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([date, slots]): OpeningException => ({ date, slots }));
    }
    return hours;
  }

  /** Reports the most helpful code for whatever stands at the cursor. */
  private unexpected(): never {
    const c = this.s[this.i];
    if (c === undefined) this.fail('unexpected_end');
    if (c === '"') this.fail('unsupported_comment');
    if (c === '[') this.fail('unsupported_nth_weekday');
    if (c === '+') this.fail('unsupported_open_end');
    if (c === '/') this.fail('unsupported_repetition');
    if (c === '|') this.fail('unsupported_fallback');
    const word = this.peekWord();
    if (word) this.failWord(word);
    this.fail('unexpected_character');
  }

  private failWord(word: string): never {
    const lower = word.toLowerCase();
    if ((MONTHS as readonly string[]).includes(word)) this.fail('unsupported_month');
    if (lower === 'week') this.fail('unsupported_week');
    if (['sunrise', 'sunset', 'dawn', 'dusk'].includes(lower)) this.fail('unsupported_variable_time');
    if (lower === 'easter') this.fail('unsupported_variable_date');
    if (word === 'SH') this.fail('unsupported_school_holidays');
    this.fail('unknown_word');
  }

  private rule(additive: boolean): void {
    const start = this.i;
    if (this.s.startsWith('24/7', this.i)) {
      this.i += 4;
      if (this.sawHolidayOrDateRule) this.fail('unsupported_rule_order', start);
      for (const day of WEEKDAYS) this.weekly.set(day, [FULL_DAY]);
      this.alwaysOpen = true;
      return;
    }
    const selector = this.selector();
    this.skipSpaces();
    const action = this.action(selector);
    this.apply(selector, action, additive, start);
  }

  private selector(): Selector {
    const rest = this.s.slice(this.i);
    if (/^\d{2}:/.test(rest)) return { kind: 'all' };
    if (/^\d{4}/.test(rest)) return this.dateSelector();
    const days = new Set<Weekday>();
    let holidays = false;
    for (;;) {
      const position = this.i;
      const word = this.peekWord();
      if (word === 'PH') {
        holidays = true;
        this.i += 2;
      } else {
        const from = DAY_CODES.indexOf(word as (typeof DAY_CODES)[number]);
        if (from < 0) {
          const modifierOnly = ['off', 'closed', 'open', 'unknown'].includes(word);
          if (modifierOnly && days.size === 0 && !holidays) return { kind: 'all' };
          if (!word) this.unexpected();
          this.failWord(word);
        }
        this.i += 2;
        let to = from;
        if (this.s[this.i] === '-') {
          this.i++;
          to = DAY_CODES.indexOf(this.peekWord() as (typeof DAY_CODES)[number]);
          if (to < 0) this.unexpected();
          this.i += 2;
        }
        if (this.s[this.i] === '[') this.fail('unsupported_nth_weekday');
        for (let d = from; ; d = (d + 1) % 7) {
          days.add((d + 1) as Weekday);
          if (d === to) break;
        }
      }
      if (/^[A-Za-z]/.test(this.s[this.i] ?? '')) this.fail('unknown_word', position);
      // A ',' continues the list only if a day or PH follows (', 14:00' belongs to times).
      const more = /^, ?(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b/.exec(this.s.slice(this.i));
      if (this.s[this.i] === ',' && more && !/^, /.test(this.s.slice(this.i))) {
        this.i += 1;
        continue;
      }
      if (this.s[this.i] === ',' && more) {
        // 'Mo, We 10:00-12:00' — OSM would read an additional rule 'Mo' (all day); refuse.
        this.fail('unexpected_character');
      }
      break;
    }
    if (this.s[this.i] === ':') this.fail('unexpected_character');
    return { kind: 'days', days: [...days].sort((a, b) => a - b), holidays };
  }

  private dateSelector(): Selector {
    const start = this.i;
    const m = /^(\d{4}) ([A-Za-z]{3}) (\d{1,2})(?![\d:])/.exec(this.s.slice(this.i));
    if (!m) this.fail('unsupported_year', start);
    const [whole, year, monthName, day] = m as unknown as [string, string, string, string];
    const month = MONTHS.indexOf(monthName as (typeof MONTHS)[number]);
    if (month < 0) this.fail('invalid_date', start + 5);
    const date = `${year}-${pad(month + 1)}-${pad(Number(day))}`;
    if (!isValidDateKey(date)) this.fail('invalid_date', start);
    this.i += whole.length;
    if (this.s[this.i] === '-' || this.s[this.i] === ',') this.fail('unsupported_date_range');
    return { kind: 'date', date };
  }

  private action(selector: Selector): Action {
    const slots: TimeSlot[] = [];
    if (/^\d/.test(this.s[this.i] ?? '')) {
      slots.push(this.span());
      while (/^, ?\d/.test(this.s.slice(this.i))) {
        this.i += this.s[this.i + 1] === ' ' ? 2 : 1;
        slots.push(this.span());
      }
    }
    const afterTimes = this.i;
    this.skipSpaces();
    const word = this.peekWord();
    const modifierAt = this.i;
    const isModifier = ['off', 'closed', 'open', 'unknown'].includes(word);
    if (!isModifier) {
      this.i = afterTimes;
      if (slots.length === 0) {
        if (this.i >= this.s.length || this.s[this.i] === ';') this.fail('expected_time_or_modifier');
        this.unexpected();
      }
      return { kind: 'slots', slots };
    }
    this.i += word.length;
    if (word === 'open') return { kind: 'slots', slots: slots.length > 0 ? slots : [FULL_DAY] };
    // 'Mo 12:00-13:00 off' closes part of a day: not in our model.
    if (slots.length > 0) this.fail('unsupported_modifier', modifierAt);
    if (word === 'unknown') {
      const holidaysOnly = selector.kind === 'days' && selector.days.length === 0 && selector.holidays;
      if (!holidaysOnly) this.fail('unsupported_modifier', modifierAt);
      return { kind: 'unknown' };
    }
    return { kind: 'off' };
  }

  private span(): TimeSlot {
    const start = this.i;
    const m = /^(\d{2}):(\d{2})/.exec(this.s.slice(this.i));
    if (!m) this.fail('invalid_time');
    const opens = Number(m[1]) * 60 + Number(m[2]);
    if (Number(m[1]) > 23 || Number(m[2]) > 59) this.fail('invalid_time', start);
    this.i += 5;
    if (this.s[this.i] === '+') this.fail('unsupported_open_end');
    if (this.s[this.i] !== '-') this.fail('unsupported_point_in_time', start);
    this.i++;
    const endAt = this.i;
    const e = /^(\d{2}):(\d{2})/.exec(this.s.slice(this.i));
    if (!e) {
      const word = this.peekWord();
      if (word) this.failWord(word);
      this.fail('invalid_time');
    }
    this.i += 5;
    if (this.s[this.i] === '+') this.fail('unsupported_open_end');
    if (this.s[this.i] === '/') this.fail('unsupported_repetition');
    if (/^[\d:]/.test(this.s[this.i] ?? '')) this.fail('invalid_time', endAt);
    let closes = Number(e[1]) * 60 + Number(e[2]);
    if (Number(e[2]) > 59 || closes >= 48 * 60) this.fail('invalid_time', endAt);
    // Extended time '20:00-26:00' = overnight to 02:00; longer than a day is refused.
    if (closes > 24 * 60) {
      closes -= 24 * 60;
      if (closes > opens) this.fail('invalid_time', endAt);
    }
    return { opens: minutesToTime(opens), closes: closes === 1440 ? '24:00' : minutesToTime(closes) };
  }

  private apply(selector: Selector, action: Action, additive: boolean, position: number): void {
    const combine = (previous: TimeSlot[] | undefined): TimeSlot[] => {
      if (action.kind !== 'slots') return [];
      return additive && previous ? [...previous, ...action.slots] : action.slots;
    };
    if (selector.kind === 'date') {
      this.sawHolidayOrDateRule = true;
      this.exceptions.set(selector.date, combine(this.exceptions.get(selector.date)));
      return;
    }
    const days = selector.kind === 'all' ? WEEKDAYS : selector.days;
    if (days.length > 0) {
      if (this.sawHolidayOrDateRule) this.fail('unsupported_rule_order', position);
      for (const day of days) this.weekly.set(day, combine(this.weekly.get(day)));
      this.alwaysOpen = false;
    }
    if (selector.kind === 'days' && selector.holidays) {
      this.sawHolidayOrDateRule = true;
      if (action.kind === 'unknown') this.holidays = 'unknown';
      else if (action.kind === 'off') this.holidays = 'closed';
      else {
        const previous = typeof this.holidays === 'object' ? this.holidays.slots : undefined;
        this.holidays = { slots: combine(previous) };
      }
    }
  }
}

/**
 * Parses an OSM `opening_hours` string of the supported subset (see the file header).
 * Never throws; an error gives a stable code and the 0-based position in `text`.
 */
export function parseOsmOpeningHours(text: string, options: OsmParseOptions = {}): OsmParseResult {
  if (typeof text !== 'string') return { ok: false, error: { code: 'empty', position: 0 } };
  try {
    return { ok: true, value: new Parser(text).parse(options) };
  } catch (error) {
    if (error instanceof OsmSyntaxError) return { ok: false, error: { code: error.code, position: error.position } };
    throw error;
  }
}

function printSlots(slots: TimeSlot[]): string {
  return slots.length === 0 ? 'off' : slots.map((s) => `${s.opens}-${s.closes}`).join(',');
}

function printDays(days: Weekday[]): string {
  const parts: string[] = [];
  let runStart = 0;
  for (let k = 1; k <= days.length; k++) {
    const first = days[runStart] as Weekday;
    const previous = days[k - 1] as Weekday;
    if (k < days.length && days[k] === previous + 1) continue;
    const length = k - runStart;
    if (length >= 3) parts.push(`${DAY_CODES[first - 1]}-${DAY_CODES[previous - 1]}`);
    else for (let j = runStart; j < k; j++) parts.push(DAY_CODES[(days[j] as Weekday) - 1] as string);
    runStart = k;
  }
  return parts.join(',');
}

function printDate(date: string): string {
  const [year, month, day] = date.split('-') as [string, string, string];
  return `${year} ${MONTHS[Number(month) - 1]} ${day}`;
}

/**
 * Prints hours as an OSM `opening_hours` string of the supported subset: weekday rules
 * (days with the same slots grouped), then the PH rule, then exception dates.
 * Exception notes and temporary closures are not printed. A schedule with no rule at
 * all prints as `off` (which parses back as every day closed).
 */
export function toOsmOpeningHours(hours: OpeningHours): string {
  const rules: string[] = [];
  if (hours.alwaysOpen) rules.push('24/7');
  else {
    const groups = new Map<string, Weekday[]>();
    for (const day of WEEKDAYS) {
      const slots = hours.weekly[day];
      if (!slots) continue;
      const key = printSlots(slots);
      groups.set(key, [...(groups.get(key) ?? []), day]);
    }
    for (const [key, days] of groups) rules.push(`${printDays(days)} ${key}`);
  }
  const ph = hours.publicHolidays;
  if (ph === 'closed') rules.push('PH off');
  else if (ph === 'unknown') rules.push('PH unknown');
  else if (ph !== 'open') rules.push(`PH ${printSlots(ph.slots)}`);
  const exceptions = [...(hours.exceptions ?? [])].sort((a, b) => (a.date < b.date ? -1 : 1));
  for (const exception of exceptions) rules.push(`${printDate(exception.date)} ${printSlots(exception.slots)}`);
  return rules.length > 0 ? rules.join('; ') : 'off';
}
