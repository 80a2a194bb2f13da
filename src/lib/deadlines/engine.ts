/**
 * Deadline engine: from a notification date and a few facts, the last moment to act.
 * Pure: no I/O, no Intl, no Node API — it runs in the browser and the service worker.
 *
 * Conventions (all on the Paris wall clock, see ../time/paris-time.ts):
 * - "hours" (48 h, 96 h, 7 × 24 h): hour to hour from the time written on the
 *   notification, never moved off a Saturday, Sunday or public holiday (FACTS §1.C).
 *   48 hours = the same wall-clock hour two calendar days later. Across a DST night
 *   the wall-clock reading and the elapsed-time reading differ by one hour. Courts
 *   compare the local hour on the notice with the local hour in the filing register,
 *   so wall-clock is the legal reading — but no text or ruling settles it, and this
 *   tool must never show a later time than a court could hold. So we show the EARLIER
 *   of the two and list the other as an alternative (warning `dst_night`):
 *     spring (29 March 2026): Fri 27 10:00 CET → Sun 29 10:00 CEST (wall clock, 47 real hours);
 *     autumn (25 Oct 2026):  Fri 23 10:00 CEST → Sun 25 09:00 CET (48 real hours),
 *                             alternative Sun 25 10:00 CET (wall clock).
 * - "days": ends at 23:59 on the Nth day after the notification day (the notification
 *   day is day 1 when `includes_notification_day`). We show 23:59, not midnight, so the
 *   date shown is the last day she can act.
 * - "clear_days" (délai franc): ends at 23:59 on day N+1.
 * - "months": the same date N months later, at the notification hour; 31 Jan + 1 month
 *   = 28 Feb (29 in a leap year). Courts count to the end of that day; showing the
 *   notification hour is never later than the real end.
 * - `extends_to_next_working_day`: a deadline landing on a Saturday, Sunday or national
 *   public holiday moves to the next working day, same time of day.
 * - Disputed counting: `deadline` is ALWAYS the earliest reading; the others are listed.
 */
import {
  addParisDays,
  daysInMonth,
  formatIsoParis,
  fromParis,
  parisDateKey,
  parseIsoDateTime,
  toParis,
  weekdayOfDateKey,
  type LocalDateTime
} from '../time/paris-time';
import { isFrenchPublicHoliday } from '../time/public-holidays';
import {
  deadlineRules,
  factValues,
  procedures,
  type AlternativeCounting,
  type Confidence,
  type Counting,
  type FactName,
  type Procedure,
  type RuleVersion
} from './rules';

export type { Procedure, RuleVersion } from './rules';

export type Custody = 'free' | 'assigned' | 'prison' | 'retention';
export type DeparturePeriod = 'granted' | 'none';

export interface DeadlineInput {
  procedure: string;
  /** ISO 8601; without an offset it is read as French wall time. */
  notified: string | Date;
  custody?: Custody;
  departurePeriod?: DeparturePeriod;
  now?: Date;
}

export interface DeadlineResult {
  procedure: Procedure;
  rule: {
    id: string;
    in_force_from: string;
    in_force_to: string | null;
    legal_basis: string;
    last_checked: string;
    confidence: Confidence;
  };
  /** ISO with Paris offset. */
  notified: string;
  /** ISO with Paris offset — always the earliest plausible end. */
  deadline: string;
  counting: { method: string; amount: number; extends_to_next_working_day: boolean; explanation: string };
  disputed: boolean;
  alternatives: Array<{ deadline: string; reason: string }>;
  warnings: string[];
  steps: string[];
  sources: Array<{ title: string; url: string }>;
  /** From `input.now` to the deadline, rounded down; negative once past. */
  remainingMinutes: number;
}

export type DeadlineInputErrorCode =
  | 'unknown_procedure'
  | 'invalid_date'
  | 'missing_fact'
  | 'invalid_fact'
  | 'no_rule_in_force';

/** Bad or incomplete input. `code` + `field` map to the message key `deadlines.error.<code>`. */
export class DeadlineInputError extends Error {
  constructor(
    readonly code: DeadlineInputErrorCode,
    readonly field: string
  ) {
    super(`${code}: ${field}`);
    this.name = 'DeadlineInputError';
  }
}

export const warningKeys = {
  past: 'deadlines.warning.past',
  actToday: 'deadlines.warning.act_today',
  june2026: 'deadlines.warning.june_2026_change',
  disputed: 'deadlines.warning.disputed_count',
  dstNight: 'deadlines.warning.dst_night',
  lowConfidence: 'deadlines.warning.low_confidence',
  noExtension: 'deadlines.warning.no_weekend_extension',
  moved: 'deadlines.warning.moved_to_working_day',
  oldRule: 'deadlines.warning.old_rule',
  future: 'deadlines.warning.notified_in_future'
} as const;

const DST_REASON = 'deadlines.reason.dst_other_reading';
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Input field name of each fact, as the form names them. */
const factField: Record<FactName, keyof DeadlineInput> = {
  custody: 'custody',
  departure_period: 'departurePeriod'
};
const factNames = Object.keys(factValues) as FactName[];

function isProcedure(value: unknown): value is Procedure {
  return typeof value === 'string' && (procedures as readonly string[]).includes(value);
}

function factOf(input: DeadlineInput, fact: FactName): unknown {
  return input[factField[fact]];
}

function isInForce(rule: RuleVersion, dayKey: string): boolean {
  return rule.in_force_from <= dayKey && (rule.in_force_to === null || dayKey <= rule.in_force_to);
}

function parseNotified(value: string | Date): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new DeadlineInputError('invalid_date', 'notified');
    return value;
  }
  const parsed = typeof value === 'string' ? parseIsoDateTime(value) : null;
  if (!parsed) throw new DeadlineInputError('invalid_date', 'notified');
  return parsed;
}

/**
 * Picks the one rule version that applies: in force on the Paris notification day and
 * matching the facts. Throws rather than guess.
 */
function selectRule(procedure: Procedure, dayKey: string, input: DeadlineInput, rules: readonly RuleVersion[]): RuleVersion {
  for (const fact of factNames) {
    const value = factOf(input, fact);
    if (value !== undefined && !(factValues[fact] as readonly unknown[]).includes(value)) {
      throw new DeadlineInputError('invalid_fact', factField[fact]);
    }
  }
  const inForce = rules.filter((r) => r.procedure === procedure && isInForce(r, dayKey));
  if (inForce.length === 0) throw new DeadlineInputError('no_rule_in_force', 'notified');

  const accepts = (rule: RuleVersion, fact: FactName): boolean => {
    const allowed = rule.applies_to[fact];
    const value = factOf(input, fact);
    return allowed === undefined || value === undefined || allowed.includes(value as string);
  };
  const compatible = inForce.filter((rule) => factNames.every((fact) => accepts(rule, fact)));
  if (compatible.length === 0) {
    const culprit = factNames.find(
      (fact) => factOf(input, fact) !== undefined && inForce.every((rule) => !accepts(rule, fact))
    );
    throw new DeadlineInputError('no_rule_in_force', culprit ? factField[culprit] : 'notified');
  }
  const missing = (rule: RuleVersion) =>
    factNames.filter((fact) => rule.applies_to[fact] !== undefined && factOf(input, fact) === undefined);
  const complete = compatible.filter((rule) => missing(rule).length === 0);
  if (complete.length === 0) {
    const first = missing(compatible[0]!)[0]!;
    throw new DeadlineInputError('missing_fact', factField[first]);
  }
  // The most specific rule wins (e.g. free + no departure period over free alone).
  return complete.reduce((best, rule) =>
    Object.keys(rule.applies_to).length > Object.keys(best.applies_to).length ? rule : best
  );
}

function isWorkingDay(dateKey: string): boolean {
  return weekdayOfDateKey(dateKey) <= 5 && !isFrenchPublicHoliday(dateKey);
}

function splitKey(dateKey: string): { year: number; month: number; day: number } {
  const [year, month, day] = dateKey.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

function atTime(dateKey: string, time: { hour: number; minute: number; second: number }): Date {
  return fromParis({ ...splitKey(dateKey), ...time });
}

/** Adds hours to a wall-clock reading (calendar arithmetic, no time zone). */
function addWallClockHours(local: LocalDateTime, hours: number): LocalDateTime {
  const naive = new Date(
    Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0) + hours * HOUR_MS
  );
  return {
    year: naive.getUTCFullYear(),
    month: naive.getUTCMonth() + 1,
    day: naive.getUTCDate(),
    hour: naive.getUTCHours(),
    minute: naive.getUTCMinutes(),
    second: naive.getUTCSeconds()
  };
}

function addMonthsClamped(dateKey: string, months: number): string {
  const { year, month, day } = splitKey(dateKey);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const d = Math.min(day, daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const END_OF_DAY = { hour: 23, minute: 59, second: 0 };

interface Computed {
  end: Date;
  /** Other reading of the same count across a DST night, when it differs. */
  dstOther?: Date;
  moved: boolean;
}

/** Applies one counting method to a notification instant. */
export function applyCounting(notified: Date, counting: Omit<Counting, 'explanation'>): Computed {
  const local = toParis(notified);
  const dayKey = parisDateKey(notified);
  const timeOfDay = { hour: local.hour, minute: local.minute, second: local.second };
  let end: Date;
  let dstOther: Date | undefined;
  switch (counting.method) {
    case 'hours': {
      const wallClock = fromParis(addWallClockHours(local, counting.amount));
      const elapsed = new Date(notified.getTime() + counting.amount * HOUR_MS);
      end = wallClock < elapsed ? wallClock : elapsed;
      const other = wallClock < elapsed ? elapsed : wallClock;
      if (other.getTime() !== end.getTime()) dstOther = other;
      break;
    }
    case 'days':
      end = atTime(addParisDays(dayKey, counting.includes_notification_day ? counting.amount - 1 : counting.amount), END_OF_DAY);
      break;
    case 'clear_days':
      end = atTime(addParisDays(dayKey, counting.amount + 1), END_OF_DAY);
      break;
    case 'months':
      end = atTime(addMonthsClamped(dayKey, counting.amount), timeOfDay);
      break;
  }
  let moved = false;
  if (counting.extends_to_next_working_day) {
    let endKey = parisDateKey(end);
    if (!isWorkingDay(endKey)) {
      const endLocal = toParis(end);
      while (!isWorkingDay(endKey)) endKey = addParisDays(endKey, 1);
      end = atTime(endKey, { hour: endLocal.hour, minute: endLocal.minute, second: endLocal.second });
      dstOther = undefined;
      moved = true;
    }
  }
  return dstOther ? { end, dstOther, moved } : { end, moved };
}

function stepsFor(rule: RuleVersion, input: DeadlineInput, past: boolean): string[] {
  const steps: string[] = [];
  if (past) steps.push('deadlines.step.past.see_lawyer_now');
  else steps.push('deadlines.step.act_today');
  const custody = input.custody;
  switch (rule.procedure) {
    case 'oqtf': {
      if (rule.in_force_to !== null) {
        steps.push('deadlines.step.oqtf.old_rule.see_lawyer');
        break;
      }
      if (custody === 'retention') {
        steps.push('deadlines.step.retention.see_association', 'deadlines.step.oqtf.retention.file_at_office');
      } else if (custody === 'prison') {
        steps.push('deadlines.step.oqtf.call_lawyer_or_association', 'deadlines.step.oqtf.prison.file_at_office');
      } else {
        steps.push('deadlines.step.oqtf.call_lawyer_or_association', 'deadlines.step.oqtf.file_letter_or_online');
      }
      if (custody === 'free') steps.push('deadlines.step.oqtf.free.legal_aid', 'deadlines.step.oqtf.free.shorter_if_detained');
      else steps.push('deadlines.step.oqtf.legal_aid_does_not_stop_clock');
      steps.push(
        'deadlines.step.ask_free_lawyer',
        'deadlines.step.ask_interpreter',
        'deadlines.step.oqtf.appeal_protects',
        'deadlines.step.oqtf.check_paper_deadline',
        'deadlines.step.victim.reflection_period'
      );
      break;
    }
    case 'retention-placement':
      steps.push(
        'deadlines.step.retention.see_association',
        'deadlines.step.retention_placement.ask_judge',
        'deadlines.step.retention_placement.check_oqtf',
        'deadlines.step.ask_free_lawyer',
        'deadlines.step.ask_interpreter',
        'deadlines.step.victim.reflection_period'
      );
      break;
    case 'cnda':
      steps.push(
        'deadlines.step.cnda.legal_aid_15_days',
        'deadlines.step.cnda.see_association',
        'deadlines.step.cnda.file',
        'deadlines.step.cnda.say_you_were_trafficked'
      );
      break;
    case 'reflection-period':
      steps.push(
        'deadlines.step.reflection.check_receipt',
        'deadlines.step.reflection.you_can_work',
        'deadlines.step.reflection.no_removal',
        'deadlines.step.reflection.decide_complaint',
        'deadlines.step.reflection.get_support'
      );
      break;
    case 'civi':
      steps.push(
        'deadlines.step.civi.contact_victim_support',
        'deadlines.step.civi.ask_lawyer',
        'deadlines.step.civi.trial_gives_more_time',
        'deadlines.step.civi.late_request'
      );
      break;
  }
  return steps;
}

const DEFAULT_EXPLANATION: Record<Counting['method'], string> = {
  hours: 'deadlines.counting.hours',
  days: 'deadlines.counting.days',
  clear_days: 'deadlines.counting.clear_days',
  months: 'deadlines.counting.months'
};

/**
 * Computes the deadline for one notification.
 * @throws DeadlineInputError: `unknown_procedure` (procedure), `invalid_date` (notified, now),
 *   `invalid_fact` / `missing_fact` (custody, departurePeriod), `no_rule_in_force`
 *   (notified, or the fact no rule of that date covers).
 */
export function computeDeadline(input: DeadlineInput, rules: readonly RuleVersion[] = deadlineRules): DeadlineResult {
  if (!isProcedure(input.procedure)) throw new DeadlineInputError('unknown_procedure', 'procedure');
  const procedure = input.procedure;
  const notified = parseNotified(input.notified);
  const now = input.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new DeadlineInputError('invalid_date', 'now');
  const dayKey = parisDateKey(notified);
  const rule = selectRule(procedure, dayKey, input, rules);

  const primary = applyCounting(notified, rule.counting);
  const readings: Array<{ end: Date; reason: string }> = [
    { end: primary.end, reason: rule.counting.explanation ?? DEFAULT_EXPLANATION[rule.counting.method] }
  ];
  if (primary.dstOther) readings.push({ end: primary.dstOther, reason: DST_REASON });
  let anyDst = primary.dstOther !== undefined;
  for (const alt of rule.alternatives as AlternativeCounting[]) {
    const computed = applyCounting(notified, alt);
    readings.push({ end: computed.end, reason: alt.reason });
    if (computed.dstOther) {
      readings.push({ end: computed.dstOther, reason: DST_REASON });
      anyDst = true;
    }
  }
  // The earliest reading is the deadline, whichever rule text it comes from.
  let earliest = 0;
  readings.forEach((r, i) => {
    if (r.end.getTime() < readings[earliest]!.end.getTime()) earliest = i;
  });
  const deadline = readings[earliest]!.end;
  const alternatives = readings
    .filter((_, i) => i !== earliest)
    .map((r) => ({ deadline: formatIsoParis(r.end), reason: r.reason }));

  const remainingMinutes = Math.floor((deadline.getTime() - now.getTime()) / MINUTE_MS);
  const past = remainingMinutes < 0;
  const warnings: string[] = [];
  if (past) warnings.push(warningKeys.past);
  else if (remainingMinutes <= 24 * 60) warnings.push(warningKeys.actToday);
  if (rule.unconfirmed_after !== null && dayKey >= rule.unconfirmed_after) warnings.push(warningKeys.june2026);
  if (rule.disputed) warnings.push(warningKeys.disputed);
  if (anyDst) warnings.push(warningKeys.dstNight);
  if (rule.confidence === 'low') warnings.push(warningKeys.lowConfidence);
  if (!rule.counting.extends_to_next_working_day && !isWorkingDay(parisDateKey(deadline))) {
    warnings.push(warningKeys.noExtension);
  }
  if (primary.moved && earliest === 0) warnings.push(warningKeys.moved);
  if (rule.in_force_to !== null) warnings.push(warningKeys.oldRule);
  if (notified.getTime() > now.getTime()) warnings.push(warningKeys.future);

  return {
    procedure,
    rule: {
      id: rule.id,
      in_force_from: rule.in_force_from,
      in_force_to: rule.in_force_to,
      legal_basis: rule.legal_basis,
      last_checked: rule.last_checked,
      confidence: rule.confidence
    },
    notified: formatIsoParis(notified),
    deadline: formatIsoParis(deadline),
    counting: {
      method: rule.counting.method,
      amount: rule.counting.amount,
      extends_to_next_working_day: rule.counting.extends_to_next_working_day,
      explanation: rule.counting.explanation ?? DEFAULT_EXPLANATION[rule.counting.method]
    },
    disputed: rule.disputed,
    alternatives,
    warnings,
    steps: stepsFor(rule, input, past),
    sources: rule.sources.map((s) => ({ ...s })),
    remainingMinutes
  };
}

/**
 * Every procedure with the facts its rules can ask for and its rule versions (oldest first).
 * A form asks only the facts `factsFor` returns for the notification date.
 */
export function listProcedures(
  rules: readonly RuleVersion[] = deadlineRules
): Array<{ procedure: Procedure; facts: Record<string, string[]>; versions: RuleVersion[] }> {
  return procedures.map((procedure) => {
    const versions = rules
      .filter((r) => r.procedure === procedure)
      .sort((a, b) => (a.in_force_from < b.in_force_from ? -1 : a.in_force_from > b.in_force_from ? 1 : 0));
    return { procedure, facts: factsOf(versions), versions };
  });
}

/**
 * The facts (input field name → accepted values) needed for `procedure` when the paper was
 * notified on `notified` (Paris day). Empty when no fact is needed.
 * @throws DeadlineInputError `unknown_procedure`, `invalid_date`.
 */
export function factsFor(
  procedure: string,
  notified: string | Date,
  rules: readonly RuleVersion[] = deadlineRules
): Record<string, string[]> {
  if (!isProcedure(procedure)) throw new DeadlineInputError('unknown_procedure', 'procedure');
  const dayKey = parisDateKey(parseNotified(notified));
  return factsOf(rules.filter((r) => r.procedure === procedure && isInForce(r, dayKey)));
}

function factsOf(versions: readonly RuleVersion[]): Record<string, string[]> {
  const facts: Record<string, string[]> = {};
  for (const fact of factNames) {
    const used = new Set(versions.flatMap((v) => v.applies_to[fact] ?? []));
    if (used.size > 0) facts[factField[fact]] = factValues[fact].filter((v) => used.has(v));
  }
  return facts;
}
