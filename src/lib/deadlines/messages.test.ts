import { describe, expect, it } from 'vitest';
import { catalogues as all } from '../i18n/catalogues';
import { computeDeadline, DeadlineInputError, warningKeys, type DeadlineInput } from './engine';
import { deadlineRules, factValues, procedures } from './rules';

const catalogues: Record<string, Record<string, string>> = all;

/** Every message key the engine can hand to the interface. */
function engineKeys(): Set<string> {
  const keys = new Set<string>(Object.values(warningKeys));
  for (const rule of deadlineRules) {
    if (rule.counting.explanation) keys.add(rule.counting.explanation);
    for (const alt of rule.alternatives) keys.add(alt.reason);
  }
  keys.add('deadlines.reason.dst_other_reading');
  for (const p of procedures) keys.add(`deadlines.procedure.${p}`);
  for (const code of ['unknown_procedure', 'invalid_date', 'missing_fact', 'invalid_fact', 'no_rule_in_force']) {
    keys.add(`deadlines.error.${code}`);
  }
  for (const level of ['high', 'medium', 'low']) keys.add(`deadlines.result.confidence.${level}`);
  // Run the engine over every procedure, fact and a spread of dates, past and future.
  const dates = ['2022-03-01T10:00', '2024-07-12T22:00', '2025-03-28T15:00', '2026-03-27T10:00', '2026-11-27T23:10', '2027-01-31T10:00'];
  const nows = [new Date('2020-01-01T00:00:00Z'), new Date('2026-11-29T12:00:00Z'), new Date('2040-01-01T00:00:00Z')];
  for (const procedure of procedures) {
    for (const notified of dates) {
      for (const custody of [undefined, ...factValues.custody]) {
        for (const departurePeriod of [undefined, ...factValues.departure_period]) {
          for (const now of nows) {
            const input: DeadlineInput = { procedure, notified, now };
            if (custody) input.custody = custody;
            if (departurePeriod) input.departurePeriod = departurePeriod;
            try {
              const r = computeDeadline(input);
              [r.counting.explanation, ...r.warnings, ...r.steps, ...r.alternatives.map((a) => a.reason)].forEach((k) => keys.add(k));
            } catch (error) {
              if (!(error instanceof DeadlineInputError)) throw error;
              keys.add(`deadlines.error.${error.code}`);
            }
          }
        }
      }
    }
  }
  return keys;
}

describe("deadline messages (the catalogue test checks keys, ICU and words for every language)", () => {
  const keys = engineKeys();

  for (const [code, catalogue] of Object.entries(catalogues)) {
    it(`${code} has a message for every key the engine can return`, () => {
      const missing = [...keys].filter((k) => !(k in catalogue));
      expect(missing).toEqual([]);
    });

  }

  it('says plainly that the June 2026 change could not be checked', () => {
    expect(catalogues.en?.['deadlines.warning.june_2026_change']).toBe(
      'The law changed in June 2026 and we could not yet check the new deadline: act today and ask a lawyer or an association.'
    );
  });
});
