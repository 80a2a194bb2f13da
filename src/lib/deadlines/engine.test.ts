import { describe, expect, it } from 'vitest';
import { applyCounting, computeDeadline, DeadlineInputError, factsFor, listProcedures, type DeadlineInput } from './engine';
import { deadlineRules, parseRules, type RuleVersion } from './rules';

const NOW = new Date('2026-11-29T12:00:00+01:00');
const compute = (input: Omit<DeadlineInput, 'now'> & { now?: Date }) => computeDeadline({ now: NOW, ...input });

function expectInputError(fn: () => unknown, code: string, field: string) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeadlineInputError);
    expect((error as DeadlineInputError).code).toBe(code);
    expect((error as DeadlineInputError).field).toBe(field);
    return;
  }
  throw new Error(`expected DeadlineInputError ${code}/${field}`);
}

describe('computeDeadline — OQTF in rétention (48 hours)', () => {
  it('does not move a 48-hour deadline off a Sunday: Friday 27 Nov 2026 23:10 → Sunday 29 Nov 23:10', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-11-27T23:10', custody: 'retention' });
    expect(r.rule.id).toBe('oqtf-retention-2024');
    expect(r.notified).toBe('2026-11-27T23:10:00+01:00');
    expect(r.deadline).toBe('2026-11-29T23:10:00+01:00');
    expect(r.counting).toMatchObject({ method: 'hours', amount: 48, extends_to_next_working_day: false });
    expect(r.disputed).toBe(false);
    expect(r.alternatives).toEqual([]);
    expect(r.warnings).toContain('deadlines.warning.no_weekend_extension');
    expect(r.remainingMinutes).toBe(11 * 60 + 10);
    expect(r.warnings).toContain('deadlines.warning.act_today');
  });

  it('does not move a 48-hour deadline off a public holiday: 24 Dec 2026 10:00 → 26 Dec 10:00', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-12-24T10:00:00+01:00', custody: 'retention' });
    expect(r.deadline).toBe('2026-12-26T10:00:00+01:00');
  });

  it('accepts a Date and an ISO string with another offset for the same instant', () => {
    const a = compute({ procedure: 'oqtf', notified: new Date('2026-11-27T22:10:00Z'), custody: 'retention' });
    const b = compute({ procedure: 'oqtf', notified: '2026-11-27T22:10:00Z', custody: 'retention' });
    expect(a.deadline).toBe(b.deadline);
  });

  it('steps start with acting today and filing at the centre office', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-11-28T09:00', custody: 'retention' });
    expect(r.steps.slice(0, 3)).toEqual([
      'deadlines.step.act_today',
      'deadlines.step.retention.see_association',
      'deadlines.step.oqtf.retention.file_at_office'
    ]);
    expect(r.steps).toContain('deadlines.step.oqtf.legal_aid_does_not_stop_clock');
    expect(r.sources[0]?.url).toMatch(/^https:\/\/www\.(service-public|legifrance\.gouv)\.fr\//);
  });
});

describe('computeDeadline — DST nights (wall clock vs elapsed hours: the earlier one wins)', () => {
  it('spring 2026: Friday 27 March 10:00 CET → Sunday 29 March 10:00 CEST (wall clock, 47 real hours)', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-03-27T10:00', custody: 'retention' });
    expect(r.deadline).toBe('2026-03-29T10:00:00+02:00');
    expect(r.alternatives).toEqual([{ deadline: '2026-03-29T11:00:00+02:00', reason: 'deadlines.reason.dst_other_reading' }]);
    expect(r.warnings).toContain('deadlines.warning.dst_night');
  });

  it('autumn 2026: Friday 23 October 10:00 CEST → Sunday 25 October 09:00 CET (48 real hours)', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-10-23T10:00', custody: 'retention' });
    expect(r.deadline).toBe('2026-10-25T09:00:00+01:00');
    expect(r.alternatives).toEqual([{ deadline: '2026-10-25T10:00:00+01:00', reason: 'deadlines.reason.dst_other_reading' }]);
    expect(r.warnings).toContain('deadlines.warning.dst_night');
  });

  it('no DST alternative when no clock change intervenes', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-03-29T10:00', custody: 'retention' });
    expect(r.deadline).toBe('2026-03-31T10:00:00+02:00');
    expect(r.alternatives).toEqual([]);
    expect(r.warnings).not.toContain('deadlines.warning.dst_night');
  });

  it('a notification in the spring gap (02:30, does not exist) is read as 03:30 CEST', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-03-29T02:30', custody: 'retention' });
    expect(r.notified).toBe('2026-03-29T03:30:00+02:00');
    expect(r.deadline).toBe('2026-03-31T03:30:00+02:00');
  });

  it('a month deadline keeps the wall-clock hour across the spring night', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-03-10T10:00', custody: 'free' });
    expect(r.deadline).toBe('2026-04-10T10:00:00+02:00');
  });
});

describe('computeDeadline — the disputed 7-day count (assigned to residence or in prison)', () => {
  it('shows the earliest reading (7 × 24 h) and lists CAA Lyon and CAA Toulouse', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-12-02T15:00', custody: 'assigned' });
    expect(r.rule.id).toBe('oqtf-assigned-prison-2024');
    expect(r.deadline).toBe('2026-12-09T15:00:00+01:00');
    expect(r.disputed).toBe(true);
    expect(r.alternatives).toEqual([
      { deadline: '2026-12-09T23:59:00+01:00', reason: 'deadlines.reason.caa_lyon_end_of_day_7' },
      { deadline: '2026-12-10T23:59:00+01:00', reason: 'deadlines.reason.caa_toulouse_clear_days' }
    ]);
    expect(r.warnings).toContain('deadlines.warning.disputed_count');
  });

  it('applies the same rule to a woman in prison', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-12-02T15:00', custody: 'prison' });
    expect(r.deadline).toBe('2026-12-09T15:00:00+01:00');
    expect(r.steps).toContain('deadlines.step.oqtf.prison.file_at_office');
  });

  it('across the spring night the hour-to-hour reading stays the earliest', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-03-25T10:00', custody: 'assigned' });
    expect(r.deadline).toBe('2026-04-01T10:00:00+02:00');
    expect(r.alternatives.map((a) => a.deadline)).toEqual([
      '2026-04-01T11:00:00+02:00',
      '2026-04-01T23:59:00+02:00',
      '2026-04-02T23:59:00+02:00'
    ]);
  });
});

describe('computeDeadline — months', () => {
  it('31 January + 1 month ends on 28 February (end of the shorter month), same hour', () => {
    const end = applyCounting(new Date('2026-01-31T10:00:00+01:00'), { method: 'months', amount: 1, extends_to_next_working_day: false }).end;
    expect(end.toISOString()).toBe('2026-02-28T09:00:00.000Z');
  });

  it('31 January 2028 (leap year) + 1 month ends on Tuesday 29 February', () => {
    const r = compute({ procedure: 'oqtf', notified: '2028-01-31T10:00', custody: 'free' });
    expect(r.deadline).toBe('2028-02-29T10:00:00+01:00');
  });

  it('moves a one-month deadline that lands on a Saturday to the next working day', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-01-31T10:00', custody: 'free' });
    expect(r.deadline).toBe('2026-03-02T10:00:00+01:00');
    expect(r.warnings).toContain('deadlines.warning.moved_to_working_day');
  });

  it('moves a one-month deadline off a public holiday (15 August 2024 → Friday 16)', () => {
    const r = compute({ procedure: 'oqtf', notified: '2024-07-15T09:00', custody: 'free', departurePeriod: 'none' });
    expect(r.rule.id).toBe('oqtf-free-2024');
    expect(r.deadline).toBe('2024-08-16T09:00:00+02:00');
  });
});

describe('computeDeadline — rule version in force on the notification day', () => {
  it('a notification on 14 July 2024 uses the old rule: free, no departure period → 48 hours', () => {
    const r = compute({ procedure: 'oqtf', notified: '2024-07-12T22:00', custody: 'free', departurePeriod: 'none' });
    expect(r.rule.id).toBe('oqtf-free-no-departure-2021');
    expect(r.rule.in_force_to).toBe('2024-07-14');
    expect(r.deadline).toBe('2024-07-14T22:00:00+02:00');
    expect(r.warnings).toContain('deadlines.warning.old_rule');
    expect(r.warnings).toContain('deadlines.warning.past');
    expect(r.steps[0]).toBe('deadlines.step.past.see_lawyer_now');
    expect(r.remainingMinutes).toBeLessThan(0);
  });

  it('old rule with a departure period: 15 days shown, 30 days as the alternative', () => {
    const r = compute({ procedure: 'oqtf', notified: '2024-03-04T11:00', custody: 'free', departurePeriod: 'granted' });
    expect(r.rule.id).toBe('oqtf-free-departure-granted-2021');
    expect(r.deadline).toBe('2024-03-19T23:59:00+01:00');
    expect(r.alternatives).toEqual([
      { deadline: '2024-04-03T23:59:00+02:00', reason: 'deadlines.reason.old_regime_residence_refusal_30_days' }
    ]);
  });

  it('asks for the departure period only under the old rule', () => {
    expectInputError(() => compute({ procedure: 'oqtf', notified: '2024-07-12T22:00', custody: 'free' }), 'missing_fact', 'departurePeriod');
    expect(factsFor('oqtf', '2024-07-12T22:00')).toEqual({ custody: ['free', 'assigned', 'retention'], departurePeriod: ['granted', 'none'] });
    expect(factsFor('oqtf', '2026-07-12T22:00')).toEqual({ custody: ['free', 'assigned', 'prison', 'retention'] });
    expect(factsFor('cnda', '2026-07-12T22:00')).toEqual({});
  });

  it('old rule, assigned to residence: 48 hours without asking the departure period', () => {
    const r = compute({ procedure: 'oqtf', notified: '2024-07-12T22:00', custody: 'assigned' });
    expect(r.rule.id).toBe('oqtf-assigned-retention-2021');
  });

  it('refuses to guess the old prison case', () => {
    expectInputError(() => compute({ procedure: 'oqtf', notified: '2024-07-12T22:00', custody: 'prison' }), 'no_rule_in_force', 'custody');
  });

  it('refuses a date before any rule we checked', () => {
    expectInputError(() => compute({ procedure: 'oqtf', notified: '2019-01-10T10:00', custody: 'free' }), 'no_rule_in_force', 'notified');
  });

  it('uses the Paris day to pick the version (14 July 2024 23:30 Paris = 21:30 UTC)', () => {
    const r = compute({ procedure: 'oqtf', notified: '2024-07-14T21:30:00Z', custody: 'retention' });
    expect(r.rule.id).toBe('oqtf-assigned-retention-2021');
    const s = compute({ procedure: 'oqtf', notified: '2024-07-14T22:30:00Z', custody: 'retention' });
    expect(s.rule.id).toBe('oqtf-retention-2024');
  });
});

describe('computeDeadline — other procedures', () => {
  it('rétention placement in 2025: 4 days, notification day counts as day 1, ends day 4 at midnight', () => {
    const r = compute({ procedure: 'retention-placement', notified: '2025-03-28T15:00' });
    expect(r.rule.id).toBe('retention-placement-2024');
    expect(r.deadline).toBe('2025-03-31T23:59:00+02:00');
  });

  it('rétention placement since August 2025: 96 hours', () => {
    const r = compute({ procedure: 'retention-placement', notified: '2026-11-26T18:00' });
    expect(r.rule.id).toBe('retention-placement-2025');
    expect(r.deadline).toBe('2026-11-30T18:00:00+01:00');
    expect(r.steps).toContain('deadlines.step.retention_placement.check_oqtf');
  });

  it('reflection period: 30 days, the receipt day is day 1', () => {
    const r = compute({ procedure: 'reflection-period', notified: '2026-11-20T16:00' });
    expect(r.deadline).toBe('2026-12-19T23:59:00+01:00');
    expect(r.warnings).not.toContain('deadlines.warning.june_2026_change');
  });

  it('CIVI: 3 years, low confidence warning', () => {
    const r = compute({ procedure: 'civi', notified: '2025-02-10T12:00' });
    expect(r.deadline).toBe('2028-02-10T12:00:00+01:00');
    expect(r.rule.confidence).toBe('low');
    expect(r.warnings).toContain('deadlines.warning.low_confidence');
  });
});

describe('computeDeadline — June 2026 warning', () => {
  it('a CNDA notification after 7 June 2026 carries the june_2026_change warning', () => {
    const r = compute({ procedure: 'cnda', notified: '2026-11-02T10:00' });
    expect(r.deadline).toBe('2026-12-02T10:00:00+01:00');
    expect(r.warnings).toContain('deadlines.warning.june_2026_change');
  });

  it('a CNDA notification before 7 June 2026 does not', () => {
    const r = compute({ procedure: 'cnda', notified: '2026-06-01T10:00' });
    expect(r.warnings).not.toContain('deadlines.warning.june_2026_change');
  });

  it('every OQTF notification since 7 June 2026 carries it', () => {
    for (const custody of ['free', 'assigned', 'prison', 'retention'] as const) {
      expect(compute({ procedure: 'oqtf', notified: '2026-06-07T08:00', custody }).warnings).toContain('deadlines.warning.june_2026_change');
    }
  });
});

describe('computeDeadline — bad input never gives a deadline', () => {
  it('unknown procedure', () => {
    expectInputError(() => compute({ procedure: 'visa', notified: '2026-11-27T10:00' }), 'unknown_procedure', 'procedure');
  });

  it('impossible dates and times', () => {
    for (const notified of ['2026-02-30T10:00', '2026-11-27T25:00', 'yesterday', '']) {
      expectInputError(() => compute({ procedure: 'oqtf', notified, custody: 'free' }), 'invalid_date', 'notified');
    }
    expectInputError(() => compute({ procedure: 'oqtf', notified: new Date(NaN), custody: 'free' }), 'invalid_date', 'notified');
  });

  it('missing custody for an OQTF', () => {
    expectInputError(() => compute({ procedure: 'oqtf', notified: '2026-11-27T10:00' }), 'missing_fact', 'custody');
  });

  it('a custody value we do not know', () => {
    expectInputError(
      () => compute({ procedure: 'oqtf', notified: '2026-11-27T10:00', custody: 'hospital' as never }),
      'invalid_fact',
      'custody'
    );
  });

  it('a notification date in the future is computed but flagged', () => {
    const r = compute({ procedure: 'oqtf', notified: '2026-12-01T10:00', custody: 'retention' });
    expect(r.warnings).toContain('deadlines.warning.notified_in_future');
  });
});

describe('deadline rules data', () => {
  it('loads and validates the shipped rules', () => {
    expect(deadlineRules.length).toBeGreaterThanOrEqual(10);
    expect(parseRules({ rules: [...deadlineRules] })).toHaveLength(deadlineRules.length);
  });

  it('never has two versions that could both apply to the same facts on the same day', () => {
    const overlaps = (a: RuleVersion, b: RuleVersion) => {
      const datesOverlap = a.in_force_from <= (b.in_force_to ?? '9999-12-31') && b.in_force_from <= (a.in_force_to ?? '9999-12-31');
      const factsOverlap = (['custody', 'departure_period'] as const).every((f) => {
        const x = a.applies_to[f];
        const y = b.applies_to[f];
        return !x || !y || x.some((v) => y.includes(v));
      });
      return datesOverlap && factsOverlap;
    };
    for (const [i, a] of deadlineRules.entries()) {
      for (const b of deadlineRules.slice(i + 1)) {
        if (a.procedure === b.procedure) expect(overlaps(a, b), `${a.id} / ${b.id}`).toBe(false);
      }
    }
  });

  it('rejects a malformed rule with the faulty field', () => {
    const bad = { ...deadlineRules[0]!, counting: { method: 'weeks', amount: 1, extends_to_next_working_day: false } };
    expect(() => parseRules({ rules: [bad] })).toThrow(/counting\.method/);
    const disputedWithoutAlternative = { ...deadlineRules[0]!, disputed: true, alternatives: [] };
    expect(() => parseRules({ rules: [disputedWithoutAlternative] })).toThrow(/alternatives/);
    expect(() => parseRules({ rules: [deadlineRules[0], deadlineRules[0]] })).toThrow(/duplicate/);
  });

  it('marks the removal-appeal and CNDA rules in force as unconfirmed after 7 June 2026', () => {
    for (const r of deadlineRules.filter((r) => (r.procedure === 'oqtf' || r.procedure === 'cnda') && r.in_force_to === null)) {
      expect(r.unconfirmed_after, r.id).toBe('2026-06-07');
    }
  });

  it('lists every procedure with its facts and versions', () => {
    const list = listProcedures();
    expect(list.map((p) => p.procedure)).toEqual(['oqtf', 'retention-placement', 'cnda', 'reflection-period', 'civi']);
    expect(list[0]!.facts).toEqual({ custody: ['free', 'assigned', 'prison', 'retention'], departurePeriod: ['granted', 'none'] });
    expect(list[1]!.versions.map((v) => v.id)).toEqual(['retention-placement-2024', 'retention-placement-2025']);
  });
});
