/**
 * Replays a procedure's steps against its definition (`procedures.ts`): the current state,
 * and the deadlines the steps created — legal ones from the guide's engine (hour-exact,
 * Paris time), administrative ones from `procedure-durations.json`. A deadline stays open
 * while the procedure is in one of its `openWhile` states, and closes at the step that
 * leaves them (or when a later step sets the same deadline again, as a renewal does).
 * Pure: the server stores the steps and a copy of the derived deadlines for its queries.
 */
import { computeDeadline, DeadlineInputError, warningKeys } from '../deadlines/engine';
import { daysInMonth, fromParis, parisDateKey, parseDateKey, parseIsoDateTime, toParis, type LocalDateTime } from '../time/paris-time';
import { durations, type DurationId } from './durations';
import { CHOICES, PROCEDURES, transitionsFrom, type DeadlineCategory, type DeadlineSpec, type FieldSpec, type ProcedureKind, type TransitionDefinition } from './procedures';

/** A step as the user entered it: `at` and datetime fields as Paris wall time ('YYYY-MM-DDTHH:mm') or 'YYYY-MM-DD'. */
export interface StepInput {
  transition: string;
  at: string;
  fields: Record<string, string | undefined>;
}

/** A step as stored: `at` in ISO UTC, fields normalised (only the transition's fields). */
export interface RecordedStep {
  transition: string;
  at: string;
  fields: Record<string, string>;
}

export interface DerivedDeadline {
  key: string;
  category: DeadlineCategory;
  /** Index of the step that created it. */
  step: number;
  /** ISO UTC. */
  due: string;
  /** ISO UTC of the step that closed it; null while open. */
  closedAt: string | null;
  /** Legal deadlines: the engine's rule, and whether the product must say it is uncertain. */
  rule?: { id: string; legalBasis: string; lastChecked: string; confidence: string; uncertain: boolean };
  /** Administrative deadlines: the duration used and where it comes from. */
  duration?: { id: DurationId; kind: 'law' | 'practice'; source: string; lastChecked: string };
}

export interface ProcedureSnapshot {
  kind: ProcedureKind;
  state: string;
  /** ISO UTC of the step that entered the current state; null before the first step. */
  since: string | null;
  steps: RecordedStep[];
  deadlines: DerivedDeadline[];
}

export type RefusalCode =
  | 'unknown_transition'
  | 'not_allowed'
  | 'missing_field'
  | 'invalid_field'
  | 'invalid_date'
  | 'in_future'
  | 'before_previous_step'
  | 'dates_reversed'
  | 'beyond_programme_limit'
  | 'no_legal_rule';

/** Why a step was refused; `code` is the message key `case.refusal.<code>`, `field` the form field to point at. */
export interface Refusal {
  code: RefusalCode;
  field?: string;
}

export type StepOutcome = { ok: true; snapshot: ProcedureSnapshot; step: RecordedStep } | { ok: false; refusal: Refusal };

/** Steps may be dated a few minutes ahead (clocks differ), never more. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const END_OF_TIME = new Date(8.64e15);
const DEPARTMENT = /^(0[1-9]|1\d|2[1-9]|2A|2B|[3-8]\d|9[0-5]|97[1-6])$/;

export function startProcedure(kind: ProcedureKind): ProcedureSnapshot {
  return { kind, state: PROCEDURES[kind].initial, since: null, steps: [], deadlines: [] };
}

/**
 * Applies one step. Refuses, with a code and the field concerned: a transition that does not
 * exist or is not allowed from the current state, a missing or malformed field, a step dated
 * in the future or before the previous one, a permit ending before it starts or beyond the
 * exit programme's 24 months, a legal deadline for which no rule is in force.
 */
export function applyStep(snapshot: ProcedureSnapshot, input: StepInput, now: Date = new Date()): StepOutcome {
  const definition = PROCEDURES[snapshot.kind];
  const transition = definition.transitions.find((t) => t.id === input.transition);
  if (!transition) return refuse('unknown_transition', 'transition');
  if (!transitionsFrom(snapshot.kind, snapshot.state).includes(transition)) return refuse('not_allowed', 'transition');

  const at = parseMoment(input.at);
  if (!at) return refuse('invalid_date', 'at');
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return refuse('in_future', 'at');
  const previous = snapshot.steps.at(-1);
  if (previous && at.getTime() < Date.parse(previous.at)) return refuse('before_previous_step', 'at');

  const fields: Record<string, string> = {};
  for (const spec of transition.fields ?? []) {
    const raw = (input.fields[spec.name] ?? '').trim();
    if (raw === '') {
      if (spec.required) return refuse('missing_field', spec.name);
      continue;
    }
    const value = normaliseField(spec, raw);
    if (value === null) return refuse('invalid_field', spec.name);
    if (spec.type === 'datetime' && parseMoment(value)!.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return refuse('in_future', spec.name);
    fields[spec.name] = value;
  }
  if (fields.valid_from && fields.valid_to && fields.valid_to <= fields.valid_from) return refuse('dates_reversed', 'valid_to');
  if (transition.limit === 'exit_programme_max' && fields.valid_to) {
    const first = snapshot.steps.find((s) => s.transition === 'issue_permit')?.fields.valid_from ?? fields.valid_from!;
    const max = durations.exit_programme_max;
    if (fields.valid_to > addMonthsToDateKey(first, max.amount)) return refuse('beyond_programme_limit', 'valid_to');
  }

  const step: RecordedStep = { transition: transition.id, at: at.toISOString(), fields };
  const created: DerivedDeadline[] = [];
  for (const spec of transition.deadlines ?? []) {
    const computed = deadlineOf(spec, step, snapshot.steps.length, now);
    if ('refusal' in computed) return { ok: false, refusal: computed.refusal };
    if (computed.deadline) created.push(computed.deadline);
  }

  // Leaving a state closes the deadlines that only made sense in it; setting a deadline
  // again (a renewed permit) closes the older one of the same kind.
  const deadlines = snapshot.deadlines.map((d) =>
    d.closedAt === null && (!specOf(snapshot.kind, d).openWhile.includes(transition.to) || created.some((c) => c.key === d.key)) ? { ...d, closedAt: step.at } : d
  );
  const entered = transition.to !== snapshot.state || snapshot.since === null;
  return {
    ok: true,
    step,
    snapshot: {
      kind: snapshot.kind,
      state: transition.to,
      since: entered ? step.at : snapshot.since,
      steps: [...snapshot.steps, step],
      deadlines: [...deadlines, ...created]
    }
  };
}

/**
 * Rebuilds a procedure from its stored steps. Stored steps were valid when recorded; a
 * step that no longer applies (a definition changed) throws, so nobody works from a wrong state.
 */
export function replay(kind: ProcedureKind, steps: readonly RecordedStep[]): ProcedureSnapshot {
  let snapshot = startProcedure(kind);
  for (const step of steps) {
    // Dates were checked against the clock when the step was recorded: replay at the end of time.
    const outcome = applyStep(snapshot, { transition: step.transition, at: step.at, fields: step.fields }, END_OF_TIME);
    if (!outcome.ok) throw new Error(`replay ${kind}: step ${step.transition} refused (${outcome.refusal.code} ${outcome.refusal.field ?? ''})`);
    snapshot = outcome.snapshot;
  }
  return snapshot;
}

export type DeadlineStatus = 'closed' | 'overdue' | 'due_48h' | 'due_week' | 'later';

/** Where a deadline stands at `now`: what the "what needs doing" dashboard sorts by. */
export function deadlineStatus(deadline: Pick<DerivedDeadline, 'due' | 'closedAt'>, now: Date): DeadlineStatus {
  if (deadline.closedAt !== null) return 'closed';
  const left = Date.parse(deadline.due) - now.getTime();
  if (left < 0) return 'overdue';
  if (left <= 48 * 3_600_000) return 'due_48h';
  if (left <= 7 * 86_400_000) return 'due_week';
  return 'later';
}

function refuse(code: RefusalCode, field?: string): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: field ? { code, field } : { code } };
}

function specOf(kind: ProcedureKind, deadline: DerivedDeadline): DeadlineSpec {
  for (const t of PROCEDURES[kind].transitions) {
    const spec = t.deadlines?.find((d) => d.key === deadline.key);
    if (spec) return spec;
  }
  throw new Error(`no deadline ${deadline.key} in ${kind}`);
}

/** 'YYYY-MM-DD' (00:00 Paris) or 'YYYY-MM-DDTHH:mm' (Paris) or a full ISO string with an offset. */
export function parseMoment(text: string): Date | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const day = parseDateKey(trimmed);
    return day ? fromParis({ ...day, hour: 0, minute: 0 }) : null;
  }
  return parseIsoDateTime(trimmed);
}

function normaliseField(spec: FieldSpec, raw: string): string | null {
  switch (spec.type) {
    case 'choice':
      return (CHOICES[spec.name] as readonly string[]).includes(raw) ? raw : null;
    case 'department': {
      const code = raw.toUpperCase().padStart(raw.length === 1 ? 2 : raw.length, '0');
      return DEPARTMENT.test(code) ? code : null;
    }
    case 'date':
      return parseDateKey(raw) ? raw : null;
    case 'datetime': {
      // Kept as Paris wall time: the engine counts from the hour written on the paper.
      const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})$/.exec(raw);
      if (!m || !parseIsoDateTime(`${m[1]}T${m[2]}:${m[3]}`)) return null;
      return `${m[1]}T${m[2]}:${m[3]}`;
    }
  }
}

function deadlineOf(spec: DeadlineSpec, step: RecordedStep, index: number, now: Date): { deadline: DerivedDeadline | null } | { refusal: Refusal } {
  const base = { key: spec.key, category: spec.category, step: index, closedAt: null };
  const due = spec.due;
  switch (due.kind) {
    case 'field': {
      const value = step.fields[due.field];
      if (!value) return { deadline: null };
      const day = parseDateKey(value)!;
      return { deadline: { ...base, due: fromParis({ ...day, hour: 23, minute: 59 }).toISOString() } };
    }
    case 'offset': {
      const duration = durations[due.duration];
      const sign = due.sign ?? 1;
      let dueAt: Date;
      if (due.from === 'at') {
        dueAt = addToInstant(new Date(step.at), duration.unit, sign * duration.amount);
      } else {
        const value = step.fields[due.from.field];
        if (!value) return { deadline: null };
        const key = duration.unit === 'months' ? addMonthsToDateKey(value, sign * duration.amount) : addDaysToDateKey(value, sign * duration.amount);
        dueAt = fromParis({ ...parseDateKey(key)!, hour: 0, minute: 0 });
      }
      return {
        deadline: {
          ...base,
          due: dueAt.toISOString(),
          duration: { id: duration.id, kind: duration.kind, source: duration.source, lastChecked: duration.last_checked }
        }
      };
    }
    case 'legal': {
      const notifiedField = due.notified === 'at' ? null : due.notified.field;
      const notified = notifiedField ? step.fields[notifiedField] : step.at;
      if (!notified) return { deadline: null };
      const facts: Record<string, string | undefined> = {};
      for (const [input, field] of Object.entries(due.facts ?? {})) facts[input] = step.fields[field];
      try {
        const result = computeDeadline({ procedure: due.procedure, notified, now, ...facts });
        const uncertain =
          result.disputed ||
          result.rule.confidence !== 'high' ||
          result.warnings.includes(warningKeys.june2026) ||
          result.warnings.includes(warningKeys.disputed) ||
          result.warnings.includes(warningKeys.lowConfidence);
        return {
          deadline: {
            ...base,
            due: new Date(Date.parse(result.deadline)).toISOString(),
            rule: { id: result.rule.id, legalBasis: result.rule.legal_basis, lastChecked: result.rule.last_checked, confidence: result.rule.confidence, uncertain }
          }
        };
      } catch (error) {
        if (!(error instanceof DeadlineInputError)) throw error;
        const factField = Object.entries(due.facts ?? {}).find(([input]) => input === error.field)?.[1];
        if (error.code === 'missing_fact') return { refusal: { code: 'missing_field', field: factField ?? error.field } };
        if (error.code === 'invalid_fact') return { refusal: { code: 'invalid_field', field: factField ?? error.field } };
        return { refusal: { code: 'no_legal_rule', field: notifiedField ?? 'at' } };
      }
    }
  }
}

/** Adds calendar months to a Paris day; the 31st becomes the last day of a shorter month. */
export function addMonthsToDateKey(dateKey: string, months: number): string {
  const day = parseDateKey(dateKey);
  if (!day) throw new RangeError('invalid_date');
  const shifted = shiftMonths(day.year, day.month, months);
  const d = Math.min(day.day, daysInMonth(shifted.year, shifted.month));
  return `${String(shifted.year).padStart(4, '0')}-${String(shifted.month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function addDaysToDateKey(dateKey: string, days: number): string {
  const day = parseDateKey(dateKey)!;
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return d.toISOString().slice(0, 10);
}

function shiftMonths(year: number, month: number, months: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** Months or days after an instant, on the Paris wall clock (same hour, across DST). */
function addToInstant(instant: Date, unit: 'days' | 'months', amount: number): Date {
  const p = toParis(instant);
  const local: LocalDateTime = { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute };
  if (unit === 'days') {
    const key = addDaysToDateKey(parisDateKey(instant), amount);
    return fromParis({ ...parseDateKey(key)!, hour: local.hour, minute: local.minute });
  }
  const key = addMonthsToDateKey(parisDateKey(instant), amount);
  return fromParis({ ...parseDateKey(key)!, hour: local.hour, minute: local.minute });
}

export type { TransitionDefinition };
