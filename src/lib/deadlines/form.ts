/**
 * The calculator form: which questions to ask, and from her answers either the deadline
 * answer or the errors to show. The same code runs on the server (form posted without
 * JavaScript) and in the browser (computed offline), so both give the same page.
 * Pure: no I/O.
 */
import type { Translate } from '../i18n/translate';
import { isValidDateKey, toParis } from '../time/paris-time';
import { answerFor, type DeadlineAnswer } from './answer';
import { DeadlineInputError, factsFor } from './engine';
import { factValues } from './rules';

export interface DeadlineFormValues {
  date: string;
  time: string;
  custody: string;
  departure_period: string;
}

export type FormField = keyof DeadlineFormValues;

export interface FormError {
  field: FormField;
  code: string;
  message: string;
}

export type FormOutcome = { ok: true; answer: DeadlineAnswer } | { ok: false; errors: FormError[] };

/** The id of the element an error summary links to, per field. */
export function fieldId(field: FormField): string {
  switch (field) {
    case 'date':
      return 'notified-date';
    case 'time':
      return 'notified-time';
    case 'custody':
      return `custody-${factValues.custody[0]}`;
    case 'departure_period':
      return `departure-${factValues.departure_period[0]}`;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Today's date and the current hour in French time, as the date and time fields want them. */
export function parisNowFields(now: Date = new Date()): { date: string; time: string } {
  const p = toParis(now);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/** 'YYYY-MM-DD', or 'DD/MM/YYYY' as typed where the browser has no date picker. */
export function normaliseDate(text: string): string | null {
  const value = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : fr ? [fr[3], fr[2], fr[1]] : [];
  if (!y || !m || !d) return null;
  const key = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isValidDateKey(key) ? key : null;
}

/** 'HH:MM', also '23h10' and '9:05'. */
export function normaliseTime(text: string): string | null {
  const m = /^(\d{1,2})\s*[:hH.]\s*(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? `${pad(hour)}:${pad(minute)}` : null;
}

/**
 * The facts to ask for, given the date typed so far (the rules in force that day);
 * today's rules while the date is not a real date.
 */
export function questionsFor(procedure: string, values: Pick<DeadlineFormValues, 'date'>, now: Date = new Date()): {
  custody: readonly string[] | null;
  departure_period: readonly string[] | null;
} {
  const date = normaliseDate(values.date);
  let facts: Record<string, string[]>;
  try {
    facts = factsFor(procedure, date ? `${date}T12:00` : now);
  } catch {
    facts = {};
  }
  return {
    custody: facts.custody ? factValues.custody.filter((v) => facts.custody!.includes(v)) : null,
    departure_period: facts.departurePeriod ? factValues.departure_period.filter((v) => facts.departurePeriod!.includes(v)) : null
  };
}

/** Reads her answers; the answer, or every error with its message in her language. */
export function readDeadlineForm(procedure: string, values: DeadlineFormValues, t: Translate, now: Date = new Date()): FormOutcome {
  const errors: FormError[] = [];
  const fail = (field: FormField, code: string) => errors.push({ field, code, message: t(`deadlines.error.${code}`) });
  const date = values.date.trim() === '' ? null : normaliseDate(values.date);
  const time = values.time.trim() === '' ? null : normaliseTime(values.time);
  if (values.date.trim() === '') fail('date', 'missing_date');
  else if (!date) fail('date', 'invalid_date');
  if (values.time.trim() === '') fail('time', 'missing_time');
  else if (!time) fail('time', 'invalid_date');

  const asked = questionsFor(procedure, { date: date ?? '' }, now);
  const custody = asked.custody ? values.custody : '';
  const departure = asked.departure_period ? values.departure_period : '';
  if (asked.custody && custody === '') fail('custody', 'missing_fact');
  if (asked.departure_period && departure === '') fail('departure_period', 'missing_fact');
  if (errors.length > 0 || !date || !time) return { ok: false, errors: sortErrors(errors) };

  try {
    const answer = answerFor({ procedure, notified: `${date}T${time}`, custody, departure_period: departure }, t, now);
    return { ok: true, answer };
  } catch (error) {
    if (!(error instanceof DeadlineInputError)) throw error;
    const field: FormField =
      error.field === 'custody' ? 'custody' : error.field === 'departure_period' ? 'departure_period' : 'date';
    fail(field, error.code);
    return { ok: false, errors };
  }
}

const order: FormField[] = ['custody', 'departure_period', 'date', 'time'];
function sortErrors(errors: FormError[]): FormError[] {
  return [...errors].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

/** Her answers from posted form data, every field a string (absent = empty). */
export function formValuesOf(data: FormData): DeadlineFormValues {
  const text = (name: string) => {
    const v = data.get(name);
    return typeof v === 'string' ? v.slice(0, 40) : '';
  };
  return { date: text('date'), time: text('time'), custody: text('custody'), departure_period: text('departure_period') };
}
