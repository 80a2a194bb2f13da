/**
 * The deadline answer as the API, the CLI and the calculator page give it: an engine
 * result with every message key kept and its text in the reader's language.
 * Pure: no I/O; it also runs in the browser (the calculator offline).
 * The JSON shape is documented in docs/api.md — scripts rely on it.
 */
import { formatDateTime, translator, type Translate } from '../i18n/translate';
import { parseIsoDateTime } from '../time/paris-time';
import {
  computeDeadline,
  DeadlineInputError,
  listProcedures,
  type DeadlineInput,
  type DeadlineInputErrorCode,
  type DeadlineResult,
  type Procedure
} from './engine';
import type { Confidence } from './rules';

export interface KeyedText {
  key: string;
  text: string;
}

export interface DeadlineAnswer {
  procedure: Procedure;
  procedure_name: string;
  lang: string;
  rule: DeadlineResult['rule'] & {
    /** "Rule for papers handed over from …" */
    applies: string;
    confidence_text: KeyedText;
    last_checked_text: string;
  };
  /** ISO 8601 with the Paris offset. */
  notified: string;
  notified_text: string;
  /** ISO 8601 with the Paris offset: always the earliest plausible end. */
  deadline: string;
  /** In full, French time, her language: "dimanche 29 novembre 2026 à 23:10". */
  deadline_text: string;
  /** Minutes from the moment of the calculation to the deadline; negative once past. */
  remaining_minutes: number;
  remaining_text: string;
  counting: {
    method: string;
    amount: number;
    extends_to_next_working_day: boolean;
    explanation: KeyedText;
  };
  disputed: boolean;
  /** Why the deadline is disputed, when it is. */
  disputed_text: string | null;
  alternatives: Array<{ deadline: string; deadline_text: string; reason: string; reason_key: string }>;
  warnings: KeyedText[];
  steps: KeyedText[];
  sources: Array<{ title: string; url: string }>;
  disclaimer: KeyedText;
}

export interface DeadlineErrorBody {
  error: { code: DeadlineInputErrorCode | 'invalid_lang'; message: string; field: string };
}

const keyed = (t: Translate, key: string): KeyedText => ({ key, text: t(key) });

/**
 * The translator to format dates with. A browser may lack a language's calendar data
 * (Chromium has none for Nigerian Pidgin) and would silently fall back to French; English
 * is closer for her then.
 */
function dateTranslator(t: Translate): Translate {
  const tag = t.intl.locale;
  return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 ? t : translator('en');
}

/** A date-only key ('2024-07-15') in full in her language, read as a Paris calendar day. */
function formatDay(t: Translate, dateKey: string): string {
  // Noon UTC is the same calendar day in Paris whatever the season.
  return dateTranslator(t).intl.formatDate(new Date(`${dateKey}T12:00:00Z`), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris'
  });
}

/** An instant in full, French time, in her language where the runtime can write it. */
export function formatParisDateTime(t: Translate, instant: Date): string {
  return formatDateTime(dateTranslator(t), instant);
}

function formatInstant(t: Translate, iso: string): string {
  const instant = parseIsoDateTime(iso);
  return instant ? formatParisDateTime(t, instant) : iso;
}

/** "2 jours 3 heures", "5 heures 10 minutes", or that it has passed. */
export function formatRemaining(t: Translate, minutes: number): string {
  if (minutes < 0) return t('deadlines.result.time_passed');
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(t('deadlines.result.remaining.days', { count: days }));
  if (hours > 0 || days > 0) parts.push(t('deadlines.result.remaining.hours', { count: hours }));
  if (days === 0) parts.push(t('deadlines.result.remaining.minutes', { count: mins }));
  return parts.join(' ');
}

/** Turns an engine result into the answer every interface gives, texts in `t`'s language. */
export function toAnswer(result: DeadlineResult, t: Translate): DeadlineAnswer {
  const { rule } = result;
  return {
    procedure: result.procedure,
    procedure_name: t(`deadlines.procedure.${result.procedure}`),
    lang: t.locale,
    rule: {
      ...rule,
      applies:
        rule.in_force_to === null
          ? t('deadlines.result.rule_from', { from: formatDay(t, rule.in_force_from) })
          : t('deadlines.result.rule_from_to', { from: formatDay(t, rule.in_force_from), to: formatDay(t, rule.in_force_to) }),
      confidence_text: keyed(t, `deadlines.result.confidence.${rule.confidence}`),
      last_checked_text: t('deadlines.result.last_checked', { date: formatDay(t, rule.last_checked) })
    },
    notified: result.notified,
    notified_text: formatInstant(t, result.notified),
    deadline: result.deadline,
    deadline_text: formatInstant(t, result.deadline),
    remaining_minutes: result.remainingMinutes,
    remaining_text: formatRemaining(t, result.remainingMinutes),
    counting: {
      method: result.counting.method,
      amount: result.counting.amount,
      extends_to_next_working_day: result.counting.extends_to_next_working_day,
      explanation: keyed(t, result.counting.explanation)
    },
    disputed: result.disputed,
    disputed_text: result.disputed ? t('deadlines.disputed_explained') : null,
    alternatives: result.alternatives.map((a) => ({
      deadline: a.deadline,
      deadline_text: formatInstant(t, a.deadline),
      reason: t(a.reason),
      reason_key: a.reason
    })),
    warnings: result.warnings.map((key) => keyed(t, key)),
    steps: result.steps.map((key) => keyed(t, key)),
    sources: result.sources.map((s) => ({ title: s.title, url: s.url })),
    disclaimer: keyed(t, 'deadlines.disclaimer')
  };
}

/** The 400 body for bad input; `field` is the caller's own name for the field. */
export function errorBody(error: DeadlineInputError, t: Translate, field: string = error.field): DeadlineErrorBody {
  return { error: { code: error.code, message: t(`deadlines.error.${error.code}`), field } };
}

/** Raw text input, as a query string or a command line gives it; empty means absent. */
export interface RawDeadlineInput {
  procedure?: string | null;
  notified?: string | null;
  custody?: string | null;
  departure_period?: string | null;
}

/**
 * Computes the answer from raw text input. The engine checks every value (unknown
 * procedure, impossible date, a fact outside its values) and throws rather than guess.
 * @throws DeadlineInputError with `field` named as in RawDeadlineInput.
 */
export function answerFor(raw: RawDeadlineInput, t: Translate, now: Date = new Date()): DeadlineAnswer {
  const present = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? undefined : v.trim());
  const input: DeadlineInput = { procedure: present(raw.procedure) ?? '', notified: present(raw.notified) ?? '', now };
  const custody = present(raw.custody);
  const departure = present(raw.departure_period);
  if (custody !== undefined) input.custody = custody as DeadlineInput['custody'];
  if (departure !== undefined) input.departurePeriod = departure as DeadlineInput['departurePeriod'];
  try {
    return toAnswer(computeDeadline(input), t);
  } catch (error) {
    if (error instanceof DeadlineInputError && error.field === 'departurePeriod') {
      throw new DeadlineInputError(error.code, 'departure_period');
    }
    throw error;
  }
}

export interface ProcedureListing {
  procedure: Procedure;
  name: string;
  /** Facts (field name → accepted values) some version of its rule asks for. */
  facts: Record<string, string[]>;
  versions: Array<{
    id: string;
    in_force_from: string;
    in_force_to: string | null;
    applies_to: Record<string, string[]>;
    legal_basis: string;
    last_checked: string;
    confidence: Confidence;
    disputed: boolean;
    counting: { method: string; amount: number; extends_to_next_working_day: boolean };
  }>;
}

/** Every procedure and its rule versions (oldest first), names in `t`'s language. */
export function procedureListing(t: Translate): ProcedureListing[] {
  return listProcedures().map(({ procedure, facts, versions }) => ({
    procedure,
    name: t(`deadlines.procedure.${procedure}`),
    facts: Object.fromEntries(Object.entries(facts).map(([k, v]) => [k === 'departurePeriod' ? 'departure_period' : k, v])),
    versions: versions.map((v) => ({
      id: v.id,
      in_force_from: v.in_force_from,
      in_force_to: v.in_force_to,
      applies_to: { ...v.applies_to } as Record<string, string[]>,
      legal_basis: v.legal_basis,
      last_checked: v.last_checked,
      confidence: v.confidence,
      disputed: v.disputed,
      counting: {
        method: v.counting.method,
        amount: v.counting.amount,
        extends_to_next_working_day: v.counting.extends_to_next_working_day
      }
    }))
  }));
}
