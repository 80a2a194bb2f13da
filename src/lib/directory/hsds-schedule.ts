/**
 * OpeningHours ↔ Open Referral HSDS 3.0 `schedule` rows (RFC 5545 RRULE fields).
 *
 * Encoding we publish (every row carries a machine-readable marker in `description`,
 * `relais:` then `key=value` pairs joined by `;`, values URI-encoded; `notes` is
 * human-readable English, or the exception note / closure reason verbatim):
 *
 *   weekly slot      one row per distinct slot, days listed in `byday` ('MO,TU'),
 *                    freq WEEKLY, interval 1, wkst MO, opens_at/closes_at 'HH:MM'.
 *                    description 'relais:kind=weekly'. Overnight slots keep
 *                    opens 20:00 / closes 08:00, add ';overnight' and a note.
 *                    A '24:00' end is published as '23:59' (HSDS times have no 24:00)
 *                    with ';closes=24%3A00'.
 *   24/7             one row, byday all seven days, 00:00–23:59 (the convention the
 *                    HSDS schedule guide suggests for "known to be 24h"),
 *                    description 'relais:kind=always_open'.
 *   public holidays  'closed' / 'open': one row without times,
 *                    description 'relais:kind=public_holidays;policy=closed' (or open);
 *                    { slots }: one row per slot with policy=slots and opens/closes;
 *                    'unknown': no row (no row = unknown on import).
 *   exception        per slot (or one row if closed that day): valid_from = valid_to =
 *                    dtstart = the date, freq WEEKLY, count 1, byday = its weekday,
 *                    description 'relais:kind=exception;date=2026-12-24[;closed]',
 *                    notes = the exception's note.
 *   closure          one row, valid_from / valid_to = the Paris dates it covers,
 *                    description 'relais:kind=closure;from=…;to=…' (the exact ISO
 *                    date-times), notes = the reason.
 *
 * Times are Europe/Paris wall-clock times. `timezone` is left out on purpose: HSDS
 * wants one fixed UTC offset, and Paris has two (+1 in winter, +2 in summer).
 *
 * Import (`fromHsdsSchedules`) reads our markers exactly, and reads plain rows from
 * other publishers when they are simple weekly rules (freq WEEKLY or empty,
 * interval 1, plain `byday`, opens_at/closes_at, timezone absent or 1/2); '23:59' as
 * a closing time from other publishers means midnight ('24:00'). Anything else —
 * MONTHLY, byweekno, bymonthday, byyearday, count/until, validity periods, '2MO',
 * times with offsets — is an error: we never guess a schedule.
 * The result is in the canonical form of `normalizeOpeningHours`.
 */
import { parisDateKey, parseIsoDateTime, weekdayOfDateKey } from '../time/paris-time';
import {
  WEEKDAYS,
  isValidClosesTime,
  isValidDateKey,
  isValidOpensTime,
  normalizeOpeningHours,
  validateOpeningHours,
  type OpeningHours,
  type TimeSlot,
  type Weekday
} from './opening-hours';

export interface HsdsSchedule {
  id: string;
  service_id?: string | null;
  location_id?: string | null;
  service_at_location_id?: string | null;
  valid_from?: string | null;
  valid_to?: string | null;
  dtstart?: string | null;
  timezone?: number | null;
  until?: string | null;
  count?: number | null;
  wkst?: string | null;
  freq?: string | null;
  interval?: number | null;
  byday?: string | null;
  byweekno?: string | null;
  bymonthday?: string | null;
  byyearday?: string | null;
  description?: string | null;
  opens_at?: string | null;
  closes_at?: string | null;
  schedule_link?: string | null;
  attending_type?: string | null;
  notes?: string | null;
}

export interface ToHsdsOptions {
  serviceId: string;
  locationId?: string;
  serviceAtLocationId?: string;
  /** row ids; default `${serviceId}-schedule-${n}` (n from 1). HSDS suggests UUIDs. */
  idFor?: (index: number) => string;
}

export interface HsdsIssue {
  /** '<row index>.<field>', e.g. '2.byday' */
  path: string;
  code:
    | 'invalid_row'
    | 'invalid_marker'
    | 'unsupported_frequency'
    | 'unsupported_interval'
    | 'unsupported_recurrence'
    | 'unsupported_validity'
    | 'unsupported_time_zone'
    | 'invalid_byday'
    | 'missing_times'
    | 'invalid_time'
    | 'invalid_date'
    | 'conflicting_rows'
    | 'invalid_hours';
}

export type FromHsdsResult = { ok: true; value: OpeningHours } | { ok: false; errors: HsdsIssue[] };

export const MARKER_PREFIX = 'relais:';
const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const dayCode = (day: Weekday): string => BYDAY[day - 1] as string;

type Marker = Map<string, string | true>;

function marker(kind: string, fields: Array<[string, string | true]> = []): string {
  const parts = [`kind=${kind}`, ...fields.map(([k, v]) => (v === true ? k : `${k}=${encodeURIComponent(v)}`))];
  return MARKER_PREFIX + parts.join(';');
}

function readMarker(description: string): Marker | null {
  const map: Marker = new Map();
  for (const part of description.slice(MARKER_PREFIX.length).split(';')) {
    const eq = part.indexOf('=');
    if (part === '') return null;
    try {
      if (eq < 0) map.set(part, true);
      else map.set(part.slice(0, eq), decodeURIComponent(part.slice(eq + 1)));
    } catch {
      return null;
    }
  }
  return map;
}

const overnight = (slot: TimeSlot): boolean => slot.closes !== '24:00' && slot.closes <= slot.opens;

function timeFields(slot: TimeSlot): { opens_at: string; closes_at: string; extra: Array<[string, string | true]> } {
  const extra: Array<[string, string | true]> = [];
  if (overnight(slot)) extra.push(['overnight', true]);
  if (slot.closes === '24:00') extra.push(['closes', '24:00']);
  return { opens_at: slot.opens, closes_at: slot.closes === '24:00' ? '23:59' : slot.closes, extra };
}

const slotText = (slot: TimeSlot): string =>
  overnight(slot) ? `${slot.opens}–${slot.closes} the next day (overnight)` : `${slot.opens}–${slot.closes}`;

/**
 * Converts hours to HSDS schedule rows (see the file header for the encoding).
 * Expects hours that passed `validateOpeningHours`; publishes their canonical form.
 */
export function toHsdsSchedules(input: OpeningHours, options: ToHsdsOptions): HsdsSchedule[] {
  const hours = normalizeOpeningHours(input);
  const rows: Array<Omit<HsdsSchedule, 'id'>> = [];
  const weeklyRule = { freq: 'WEEKLY', interval: 1, wkst: 'MO' };
  const LOCAL = 'Times are local time in Paris (Europe/Paris).';

  if (hours.alwaysOpen) {
    rows.push({
      ...weeklyRule,
      byday: BYDAY.join(','),
      opens_at: '00:00',
      closes_at: '23:59',
      description: marker('always_open'),
      notes: 'Open 24 hours a day, 7 days a week.'
    });
  }

  const distinct = new Map<string, { slot: TimeSlot; days: Weekday[] }>();
  for (const day of WEEKDAYS) {
    for (const slot of hours.weekly[day] ?? []) {
      const key = `${slot.opens}-${slot.closes}`;
      const entry = distinct.get(key) ?? { slot, days: [] };
      if (!entry.days.includes(day)) entry.days.push(day);
      distinct.set(key, entry);
    }
  }
  for (const { slot, days } of distinct.values()) {
    const { opens_at, closes_at, extra } = timeFields(slot);
    rows.push({
      ...weeklyRule,
      byday: days.map(dayCode).join(','),
      opens_at,
      closes_at,
      description: marker('weekly', extra),
      notes: overnight(slot)
        ? `Overnight: opens at ${slot.opens}, closes at ${slot.closes} the next morning. ${LOCAL}`
        : LOCAL
    });
  }

  const ph = hours.publicHolidays;
  if (ph === 'open' || ph === 'closed') {
    rows.push({
      description: marker('public_holidays', [['policy', ph]]),
      notes: ph === 'open' ? 'Usual hours on French public holidays.' : 'Closed on French public holidays.'
    });
  } else if (typeof ph === 'object') {
    for (const slot of ph.slots) {
      const { opens_at, closes_at, extra } = timeFields(slot);
      rows.push({
        opens_at,
        closes_at,
        description: marker('public_holidays', [['policy', 'slots'], ...extra]),
        notes: `On French public holidays: ${slotText(slot)}.`
      });
    }
  }

  for (const exception of hours.exceptions ?? []) {
    const dateRule = {
      valid_from: exception.date,
      valid_to: exception.date,
      dtstart: exception.date,
      freq: 'WEEKLY',
      count: 1,
      byday: dayCode(weekdayOfDateKey(exception.date) as Weekday)
    };
    const notes = exception.note ?? null;
    if (exception.slots.length === 0) {
      rows.push({ ...dateRule, description: marker('exception', [['date', exception.date], ['closed', true]]), notes });
    }
    for (const slot of exception.slots) {
      const { opens_at, closes_at, extra } = timeFields(slot);
      const description = marker('exception', [['date', exception.date], ...extra]);
      rows.push({ ...dateRule, opens_at, closes_at, description, notes });
    }
  }

  for (const closure of hours.closures ?? []) {
    const from = parseIsoDateTime(closure.from);
    const to = parseIsoDateTime(closure.to);
    rows.push({
      ...(from ? { valid_from: parisDateKey(from) } : {}),
      ...(to ? { valid_to: parisDateKey(new Date(to.getTime() - 1)) } : {}),
      description: marker('closure', [['from', closure.from], ['to', closure.to]]),
      notes: closure.reason ?? null
    });
  }

  const idFor = options.idFor ?? ((index: number) => `${options.serviceId}-schedule-${index + 1}`);
  return rows.map((row, index) => ({
    id: idFor(index),
    service_id: options.serviceId,
    ...(options.locationId === undefined ? {} : { location_id: options.locationId }),
    ...(options.serviceAtLocationId === undefined ? {} : { service_at_location_id: options.serviceAtLocationId }),
    ...row
  }));
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** 'HH:MM' or 'HH:MM:SS' with zero seconds → 'HH:MM'; null otherwise. */
function readTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{2}:\d{2})(?::00)?$/.exec(value.trim());
  return m ? (m[1] as string) : null;
}

/**
 * Reads HSDS schedule rows of one service (or one service at a location) back into
 * hours. Never throws; each problem has a path '<row>.<field>' and a stable code.
 */
export function fromHsdsSchedules(rows: readonly HsdsSchedule[]): FromHsdsResult {
  const errors: HsdsIssue[] = [];
  const weekly = new Map<Weekday, TimeSlot[]>();
  const exceptions = new Map<string, { slots: TimeSlot[]; note?: string; closed: boolean }>();
  const hours: OpeningHours = { weekly: {}, publicHolidays: 'unknown', closures: [] };
  let phSlots: TimeSlot[] | null = null;

  rows.forEach((row, index) => {
    const fail = (field: string, code: HsdsIssue['code']): void => {
      errors.push({ path: `${index}.${field}`, code });
    };
    if (typeof row !== 'object' || row === null) return fail('', 'invalid_row');

    const readSlot = (closesOverride: string | true | undefined): TimeSlot | null => {
      if (!present(row.opens_at) || !present(row.closes_at)) {
        fail(present(row.opens_at) ? 'closes_at' : 'opens_at', 'missing_times');
        return null;
      }
      const opens = readTime(row.opens_at);
      let closes = readTime(row.closes_at);
      if (typeof closesOverride === 'string') closes = closesOverride;
      if (!opens || !isValidOpensTime(opens)) {
        fail('opens_at', 'invalid_time');
        return null;
      }
      if (!closes || !isValidClosesTime(closes)) {
        fail('closes_at', 'invalid_time');
        return null;
      }
      return { opens, closes };
    };

    const readDays = (): Weekday[] | null => {
      const codes = typeof row.byday === 'string' ? row.byday.split(',').map((c) => c.trim().toUpperCase()) : [];
      const days = codes.map((c) => BYDAY.indexOf(c as (typeof BYDAY)[number]) + 1);
      if (codes.length === 0 || days.some((d) => d === 0)) {
        fail('byday', 'invalid_byday');
        return null;
      }
      return days as Weekday[];
    };

    const description = typeof row.description === 'string' ? row.description.trim() : '';
    if (description.startsWith(MARKER_PREFIX)) {
      const m = readMarker(description);
      const kind = m?.get('kind');
      if (!m) return fail('description', 'invalid_marker');
      if (kind === 'always_open') {
        hours.alwaysOpen = true;
      } else if (kind === 'weekly') {
        const days = readDays();
        const slot = readSlot(m.get('closes'));
        if (days && slot) for (const day of days) weekly.set(day, [...(weekly.get(day) ?? []), slot]);
      } else if (kind === 'public_holidays') {
        const policy = m.get('policy');
        if (policy === 'open' || policy === 'closed') {
          if (hours.publicHolidays !== 'unknown' || phSlots) return fail('description', 'conflicting_rows');
          hours.publicHolidays = policy;
        } else if (policy === 'slots') {
          if (hours.publicHolidays !== 'unknown') return fail('description', 'conflicting_rows');
          const slot = readSlot(m.get('closes'));
          if (slot) phSlots = [...(phSlots ?? []), slot];
        } else fail('description', 'invalid_marker');
      } else if (kind === 'exception') {
        const date = m.get('date');
        if (typeof date !== 'string' || !isValidDateKey(date)) return fail('description', 'invalid_date');
        const entry = exceptions.get(date) ?? { slots: [], closed: false };
        if (typeof row.notes === 'string' && row.notes !== '') entry.note = row.notes;
        if (m.get('closed') === true) entry.closed = true;
        else {
          const slot = readSlot(m.get('closes'));
          if (slot) entry.slots.push(slot);
        }
        if (entry.closed && entry.slots.length > 0) fail('description', 'conflicting_rows');
        exceptions.set(date, entry);
      } else if (kind === 'closure') {
        const from = m.get('from');
        const to = m.get('to');
        if (typeof from !== 'string' || typeof to !== 'string') return fail('description', 'invalid_marker');
        const reason = typeof row.notes === 'string' && row.notes !== '' ? row.notes : undefined;
        hours.closures?.push({ from, to, ...(reason === undefined ? {} : { reason }) });
      } else fail('description', 'invalid_marker');
      return;
    }

    // A plain weekly row from another publisher.
    if (present(row.freq) && row.freq !== 'WEEKLY') return fail('freq', 'unsupported_frequency');
    if (present(row.interval) && Number(row.interval) !== 1) return fail('interval', 'unsupported_interval');
    for (const field of ['count', 'until', 'byweekno', 'bymonthday', 'byyearday'] as const) {
      if (present(row[field])) return fail(field, 'unsupported_recurrence');
    }
    for (const field of ['valid_from', 'valid_to'] as const) {
      if (present(row[field])) return fail(field, 'unsupported_validity');
    }
    // A fixed offset of +1 or +2 is read as Paris local time; anything else is another zone.
    if (present(row.timezone) && row.timezone !== 1 && row.timezone !== 2) {
      return fail('timezone', 'unsupported_time_zone');
    }
    for (const field of ['opens_at', 'closes_at'] as const) {
      if (typeof row[field] === 'string' && /(Z|[+-]\d{2}(:?\d{2})?)$/i.test((row[field] as string).trim())) {
        return fail(field, 'unsupported_time_zone');
      }
    }
    const days = readDays();
    const slot = readSlot(readTime(row.closes_at) === '23:59' ? '24:00' : undefined);
    if (days && slot) for (const day of days) weekly.set(day, [...(weekly.get(day) ?? []), slot]);
  });

  if (phSlots) hours.publicHolidays = { slots: phSlots };
  for (const [day, slots] of weekly) hours.weekly[day] = slots;
  hours.exceptions = [...exceptions].map(([date, e]) => ({
    date,
    slots: e.slots,
    ...(e.note === undefined ? {} : { note: e.note })
  }));
  if (errors.length > 0) return { ok: false, errors };

  const checked = validateOpeningHours(hours);
  if (!checked.ok) return { ok: false, errors: checked.errors.map((e) => ({ path: e.path, code: 'invalid_hours' })) };
  return { ok: true, value: normalizeOpeningHours(checked.value) };
}
