import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate';
import { answerFor, errorBody, formatRemaining, procedureListing, toAnswer } from './answer';
import { computeDeadline, DeadlineInputError } from './engine';
import { deadlineIcs } from './ics';
import { readDeadlineForm, normaliseDate, normaliseTime, questionsFor } from './form';

const NOW = new Date('2026-11-29T12:00:00+01:00');
const fr = translator('fr');
const en = translator('en');

function inputError(fn: () => unknown): DeadlineInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeadlineInputError) return error;
    throw error;
  }
  throw new Error('expected a DeadlineInputError');
}

describe('toAnswer', () => {
  it('keeps every field of the engine result and its message keys, with texts in her language', () => {
    const result = computeDeadline({ procedure: 'oqtf', notified: '2026-11-27T23:10', custody: 'retention', now: NOW });
    const a = toAnswer(result, fr);
    expect(a.procedure).toBe('oqtf');
    expect(a.rule).toMatchObject({ id: 'oqtf-retention-2024', in_force_from: '2024-07-15', in_force_to: null, last_checked: '2026-11-29', confidence: 'high' });
    expect(a.rule.legal_basis).toMatch(/L\.921-2/);
    expect(a.notified).toBe('2026-11-27T23:10:00+01:00');
    expect(a.deadline).toBe('2026-11-29T23:10:00+01:00');
    expect(a.deadline_text).toBe('dimanche 29 novembre 2026 à 23:10');
    expect(a.remaining_minutes).toBe(11 * 60 + 10);
    expect(a.remaining_text).toBe('11 heures 10 minutes');
    expect(a.counting).toMatchObject({ method: 'hours', amount: 48, extends_to_next_working_day: false });
    expect(a.counting.explanation.key).toBe(result.counting.explanation);
    expect(a.counting.explanation.text).toMatch(/48 heures/);
    expect(a.steps.map((s) => s.key)).toEqual(result.steps);
    expect(a.steps.every((s) => s.text.length > 0 && s.text !== s.key)).toBe(true);
    expect(a.warnings.map((w) => w.key)).toEqual(result.warnings);
    expect(a.sources).toEqual(result.sources);
    expect(a.disclaimer.text).toMatch(/pas un conseil juridique/);
    expect(a.disputed).toBe(false);
    expect(a.disputed_text).toBeNull();
  });

  it('gives the alternatives of a disputed count with their reason text and key', () => {
    const a = answerFor({ procedure: 'oqtf', notified: '2026-11-27T23:10', custody: 'assigned' }, en, NOW);
    expect(a.disputed).toBe(true);
    expect(a.disputed_text).toMatch(/Courts do not count/);
    expect(a.deadline).toBe('2026-12-04T23:10:00+01:00');
    expect(a.alternatives.length).toBeGreaterThan(0);
    for (const alt of a.alternatives) {
      expect(alt.deadline > a.deadline).toBe(true);
      expect(alt.reason_key).toMatch(/^deadlines\.reason\./);
      expect(alt.reason).not.toBe(alt.reason_key);
    }
    expect(a.deadline_text).toBe('Friday, 4 December 2026 at 23:10');
  });

  it('writes the rule period and the checking date in full', () => {
    const a = answerFor({ procedure: 'oqtf', notified: '2023-03-01T10:00', custody: 'free', departure_period: 'none' }, en, NOW);
    expect(a.rule.in_force_to).toBe('2024-07-14');
    expect(a.rule.applies).toBe('Rule for papers handed over from 1 May 2021 to 14 July 2024');
    expect(a.warnings.map((w) => w.key)).toContain('deadlines.warning.old_rule');
  });

  it('gives the same structure in every language, only the texts change', () => {
    const input = { procedure: 'cnda', notified: '2026-11-27T10:00' };
    const [a, b, c] = (['fr', 'en', 'pcm'] as const).map((l) => answerFor(input, translator(l), NOW));
    expect(b!.deadline).toBe(a!.deadline);
    expect(c!.steps.map((s) => s.key)).toEqual(a!.steps.map((s) => s.key));
    expect(c!.steps[0]!.text).not.toBe(a!.steps[0]!.text);
    expect(c!.lang).toBe('pcm');
  });
});

describe('answerFor (raw text input, as the API and the CLI give it)', () => {
  it('reads a notification without an offset as French time', () => {
    const a = answerFor({ procedure: 'oqtf', notified: '2026-07-10T09:00', custody: 'retention' }, fr, NOW);
    expect(a.notified).toBe('2026-07-10T09:00:00+02:00');
  });
  it('treats empty parameters as absent and names the missing fact', () => {
    const e = inputError(() => answerFor({ procedure: 'oqtf', notified: '2026-11-27T23:10', custody: '' }, fr, NOW));
    expect([e.code, e.field]).toEqual(['missing_fact', 'custody']);
  });
  it('names departure_period as the API does', () => {
    const e = inputError(() => answerFor({ procedure: 'oqtf', notified: '2023-03-01T10:00', custody: 'free' }, fr, NOW));
    expect([e.code, e.field]).toEqual(['missing_fact', 'departure_period']);
  });
  it('refuses an impossible date, an unknown procedure and an unknown fact value', () => {
    expect(inputError(() => answerFor({ procedure: 'oqtf', notified: '2026-02-30T10:00', custody: 'free' }, fr, NOW)).code).toBe('invalid_date');
    expect(inputError(() => answerFor({ procedure: 'visa', notified: '2026-02-20T10:00' }, fr, NOW)).code).toBe('unknown_procedure');
    expect(inputError(() => answerFor({ procedure: 'oqtf', notified: '2026-02-20T10:00', custody: 'home' }, fr, NOW)).code).toBe('invalid_fact');
    expect(inputError(() => answerFor({ procedure: 'oqtf', custody: 'free' }, fr, NOW)).code).toBe('invalid_date');
  });
});

describe('errorBody', () => {
  it('gives code, message in her language and field', () => {
    expect(errorBody(new DeadlineInputError('invalid_date', 'notified'), en)).toEqual({
      error: { code: 'invalid_date', message: 'This date or hour does not exist. Check it.', field: 'notified' }
    });
  });
});

describe('formatRemaining', () => {
  it('says days and hours, or hours and minutes, or that it has passed', () => {
    expect(formatRemaining(en, 2 * 1440 + 3 * 60 + 5)).toBe('2 days 3 hours');
    expect(formatRemaining(en, 1440)).toBe('1 day 0 hours');
    expect(formatRemaining(en, 61)).toBe('1 hour 1 minute');
    expect(formatRemaining(en, 0)).toBe('0 minutes');
    expect(formatRemaining(en, -1)).toBe('The deadline has passed.');
  });
});

describe('procedureListing', () => {
  it('lists every procedure with its versions and the facts it asks', () => {
    const list = procedureListing(en);
    expect(list.map((p) => p.procedure)).toEqual(['oqtf', 'retention-placement', 'cnda', 'reflection-period', 'civi']);
    const oqtf = list[0]!;
    expect(oqtf.facts).toEqual({ custody: ['free', 'assigned', 'prison', 'retention'], departure_period: ['granted', 'none'] });
    expect(oqtf.versions.map((v) => v.id)).toContain('oqtf-retention-2024');
    expect(oqtf.versions[0]!.in_force_from <= oqtf.versions.at(-1)!.in_force_from).toBe(true);
  });
});

describe('deadlineIcs', () => {
  it('holds the deadline and a neutral summary, never the procedure name or the notification', () => {
    const a = answerFor({ procedure: 'oqtf', notified: '2026-11-27T23:10', custody: 'retention' }, en, NOW);
    const ics = deadlineIcs(a, en, NOW);
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('DTEND:20261129T221000Z');
    expect(ics).toContain('SUMMARY:Deadline: appeal');
    expect(ics).not.toMatch(/OQTF|leave France|20261127/i);
    for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });
});

describe('the calculator form', () => {
  it('asks where she is for an OQTF, and about days to leave only for papers before 15 July 2024', () => {
    expect(questionsFor('oqtf', { date: '2026-11-27' }, NOW)).toEqual({ custody: ['free', 'assigned', 'prison', 'retention'], departure_period: null });
    expect(questionsFor('oqtf', { date: '2023-03-01' }, NOW).departure_period).toEqual(['granted', 'none']);
    expect(questionsFor('cnda', { date: '2026-11-27' }, NOW)).toEqual({ custody: null, departure_period: null });
  });
  it('reads dates and hours as people type them', () => {
    expect(normaliseDate('27/11/2026')).toBe('2026-11-27');
    expect(normaliseDate('2026-02-30')).toBeNull();
    expect(normaliseTime('23h10')).toBe('23:10');
    expect(normaliseTime('24:00')).toBeNull();
  });
  it('lists every problem at once, in the order of the questions', () => {
    const outcome = readDeadlineForm('oqtf', { date: '2026-02-30', time: '', custody: '', departure_period: '' }, en, NOW);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors.map((e) => [e.field, e.code])).toEqual([
      ['custody', 'missing_fact'],
      ['date', 'invalid_date'],
      ['time', 'missing_time']
    ]);
  });
  it('answers Friday 23:10 in a detention centre with Sunday 23:10', () => {
    const outcome = readDeadlineForm('oqtf', { date: '2026-11-27', time: '23:10', custody: 'retention', departure_period: '' }, fr, NOW);
    expect(outcome.ok && outcome.answer.deadline_text).toBe('dimanche 29 novembre 2026 à 23:10');
  });
});
