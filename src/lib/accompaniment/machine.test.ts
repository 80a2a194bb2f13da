import { describe, expect, it } from 'vitest';
import { addMonthsToDateKey, applyStep, deadlineStatus, replay, startProcedure, type ProcedureSnapshot, type StepInput } from './machine';
import { CHOICES, PROCEDURE_KINDS, PROCEDURES, transitionsFrom, type ProcedureKind } from './procedures';
import { durations, loadDurations } from './durations';
import { formatIsoParis } from '../time/paris-time';

const NOW = new Date('2026-11-29T12:00:00Z');

function run(kind: ProcedureKind, steps: StepInput[], now: Date = NOW): ProcedureSnapshot {
  let snapshot = startProcedure(kind);
  for (const step of steps) {
    const outcome = applyStep(snapshot, step, now);
    if (!outcome.ok) throw new Error(`${step.transition}: ${outcome.refusal.code} ${outcome.refusal.field ?? ''}`);
    snapshot = outcome.snapshot;
  }
  return snapshot;
}

function refusal(kind: ProcedureKind, steps: StepInput[], last: StepInput, now: Date = NOW) {
  const outcome = applyStep(run(kind, steps, now), last, now);
  if (outcome.ok) throw new Error('expected a refusal');
  return outcome.refusal;
}

const paris = (iso: string) => formatIsoParis(new Date(iso));
const open = (s: ProcedureSnapshot) => s.deadlines.filter((d) => d.closedAt === null).map((d) => d.key);

describe('the procedure definitions', () => {
  for (const kind of PROCEDURE_KINDS) {
    const definition = PROCEDURES[kind];
    it(`${kind}: every state named by a transition or a deadline exists`, () => {
      const states = new Set(definition.states);
      expect(states.has(definition.initial)).toBe(true);
      for (const t of definition.transitions) {
        expect(states.has(t.to), `${t.id} → ${t.to}`).toBe(true);
        if (t.from !== '*') for (const from of t.from) expect(states.has(from), `${t.id} from ${from}`).toBe(true);
        for (const d of t.deadlines ?? []) for (const s of d.openWhile) expect(states.has(s), `${d.key} open while ${s}`).toBe(true);
      }
      for (const s of definition.terminal) expect(states.has(s)).toBe(true);
    });
    it(`${kind}: every state can be reached from the start`, () => {
      const reached = new Set([definition.initial]);
      let grew = true;
      while (grew) {
        grew = false;
        for (const state of [...reached]) {
          for (const t of transitionsFrom(kind, state)) {
            if (!reached.has(t.to)) {
              reached.add(t.to);
              grew = true;
            }
          }
        }
      }
      expect([...reached].sort()).toEqual([...definition.states].sort());
    });
    it(`${kind}: a terminal state offers no transition`, () => {
      for (const s of definition.terminal) expect(transitionsFrom(kind, s)).toEqual([]);
    });
  }
});

describe('durations', () => {
  it('loads every duration with its source and last-checked date', () => {
    expect(durations.exit_programme_max).toMatchObject({ amount: 24, unit: 'months', kind: 'law' });
    expect(durations.renewal_lead).toMatchObject({ amount: 2, unit: 'months', kind: 'practice' });
    for (const d of Object.values(durations)) expect(d.last_checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
  it('refuses a malformed durations file', () => {
    expect(() => loadDurations({ durations: [{ id: 'shelter_wait', amount: -1 }] })).toThrow(/malformed/);
    expect(() => loadDurations({})).toThrow(/no durations/);
    expect(() => loadDurations({ durations: [] })).toThrow(/missing/);
  });
});

describe('removal order (OQTF)', () => {
  const friday = { transition: 'receive', at: '2026-11-27T23:30', fields: { notified_at: '2026-11-27T23:10', custody: 'retention', department: '93' } };

  it('counts 48 hours from Friday 23:10 in a detention centre to Sunday 23:10', () => {
    const s = run('removal_order', [friday]);
    expect(s.state).toBe('received');
    const [deadline] = s.deadlines;
    expect(deadline).toMatchObject({ key: 'removal_appeal', category: 'legal', closedAt: null });
    expect(paris(deadline!.due)).toBe('2026-11-29T23:10:00+01:00');
    expect(deadline!.rule?.id).toBe('oqtf-retention-2024');
    // June 2026 decrees may have changed removal-appeal deadlines (FACTS.md): the product must say so.
    expect(deadline!.rule?.uncertain).toBe(true);
  });

  it('gives one month when she is free, and closes the deadline when the appeal is filed', () => {
    const s = run('removal_order', [
      { transition: 'receive', at: '2026-10-02', fields: { notified_at: '2026-10-02T10:00', custody: 'free' } },
      { transition: 'file_appeal', at: '2026-10-20', fields: {} }
    ]);
    expect(paris(s.deadlines[0]!.due)).toBe('2026-11-02T10:00:00+01:00');
    expect(s.deadlines[0]!.closedAt).toBe(new Date('2026-10-19T22:00:00Z').toISOString());
    expect(s.state).toBe('appeal_filed');
  });

  it('asks whether a departure period was granted for an order notified before 15 July 2024', () => {
    const r = refusal('removal_order', [], { transition: 'receive', at: '2024-03-01', fields: { notified_at: '2024-03-01T09:00', custody: 'free' } });
    expect(r).toEqual({ code: 'missing_field', field: 'departure_period' });
  });

  it('refuses a notification in the future, a bad custody and an impossible date', () => {
    expect(refusal('removal_order', [], { ...friday, fields: { ...friday.fields, notified_at: '2026-12-01T10:00' } })).toEqual({ code: 'in_future', field: 'notified_at' });
    expect(refusal('removal_order', [], { ...friday, fields: { ...friday.fields, custody: 'hotel' } })).toEqual({ code: 'invalid_field', field: 'custody' });
    expect(refusal('removal_order', [], { ...friday, fields: { ...friday.fields, notified_at: '2026-02-30T10:00' } })).toEqual({ code: 'invalid_field', field: 'notified_at' });
    expect(refusal('removal_order', [], { ...friday, fields: { ...friday.fields, department: '20' } })).toEqual({ code: 'invalid_field', field: 'department' });
    expect(refusal('removal_order', [], { ...friday, fields: { custody: 'free' } })).toEqual({ code: 'missing_field', field: 'notified_at' });
  });

  it('refuses a judgment before any appeal, an unknown step and a step dated before the previous one', () => {
    expect(refusal('removal_order', [friday], { transition: 'judge', at: '2026-11-28', fields: { judgment_outcome: 'annulled' } })).toEqual({ code: 'not_allowed', field: 'transition' });
    expect(refusal('removal_order', [friday], { transition: 'teleport', at: '2026-11-28', fields: {} })).toEqual({ code: 'unknown_transition', field: 'transition' });
    expect(refusal('removal_order', [friday], { transition: 'file_appeal', at: '2026-11-26', fields: {} })).toEqual({ code: 'before_previous_step', field: 'at' });
    expect(refusal('removal_order', [friday], { transition: 'file_appeal', at: 'tomorrow', fields: {} })).toEqual({ code: 'invalid_date', field: 'at' });
    expect(refusal('removal_order', [friday], { transition: 'file_appeal', at: '2026-12-25', fields: {} })).toEqual({ code: 'in_future', field: 'at' });
  });

  it('goes through a hearing to a judgment, and ends', () => {
    const s = run('removal_order', [
      friday,
      { transition: 'file_appeal', at: '2026-11-28T10:00', fields: {} },
      { transition: 'schedule_hearing', at: '2026-11-28T11:00', fields: { hearing_date: '2026-12-02' } },
      { transition: 'judge', at: '2026-11-29T09:00', fields: { judgment_outcome: 'annulled' } },
      { transition: 'end', at: '2026-11-29T10:00', fields: { end_reason: 'completed' } }
    ]);
    expect(s.state).toBe('ended');
    expect(open(s)).toEqual([]);
    expect(transitionsFrom('removal_order', 'ended')).toEqual([]);
  });
});

describe('exit programme', () => {
  const toAccepted: StepInput[] = [
    { transition: 'submit', at: '2026-01-12T10:00', fields: { department: '75' } },
    { transition: 'schedule_commission', at: '2026-02-01', fields: { commission_date: '2026-03-05' } },
    { transition: 'hold_commission', at: '2026-03-05', fields: { opinion: 'favourable' } },
    { transition: 'accept', at: '2026-04-01', fields: {} }
  ];

  it('flags a commission that has not met 3 months after the file was submitted', () => {
    const s = run('exit_programme', toAccepted.slice(0, 1));
    expect(s.deadlines).toHaveLength(1);
    expect(s.deadlines[0]).toMatchObject({ key: 'commission_wait', category: 'waiting', duration: { id: 'commission_wait', kind: 'practice' } });
    expect(paris(s.deadlines[0]!.due)).toBe('2026-04-12T10:00:00+02:00');
    expect(deadlineStatus(s.deadlines[0]!, NOW)).toBe('overdue');
    const scheduled = run('exit_programme', toAccepted.slice(0, 2));
    expect(scheduled.deadlines[0]!.closedAt).not.toBeNull();
    expect(open(scheduled)).toEqual(['commission']);
  });

  it('asks to start the renewal two months before a permit expires, and keeps the expiry open during the renewal', () => {
    const s = run('exit_programme', [...toAccepted, { transition: 'issue_permit', at: '2026-04-10', fields: { valid_from: '2026-04-10', valid_to: '2026-10-09' } }]);
    expect(s.state).toBe('permit_issued');
    const renewal = s.deadlines.find((d) => d.key === 'start_renewal')!;
    const expiry = s.deadlines.find((d) => d.key === 'permit_expires')!;
    expect(paris(renewal.due)).toBe('2026-08-09T00:00:00+02:00');
    expect(paris(expiry.due)).toBe('2026-10-09T23:59:00+02:00');

    const renewing = run('exit_programme', [
      ...toAccepted,
      { transition: 'issue_permit', at: '2026-04-10', fields: { valid_from: '2026-04-10', valid_to: '2026-10-09' } },
      { transition: 'request_renewal', at: '2026-08-01', fields: {} }
    ]);
    expect(open(renewing)).toEqual(['permit_expires']);

    const renewed = run('exit_programme', [
      ...toAccepted,
      { transition: 'issue_permit', at: '2026-04-10', fields: { valid_from: '2026-04-10', valid_to: '2026-10-09' } },
      { transition: 'request_renewal', at: '2026-08-01', fields: {} },
      { transition: 'renew', at: '2026-10-01', fields: { valid_from: '2026-10-10', valid_to: '2027-04-09' } }
    ]);
    expect(open(renewed).sort()).toEqual(['permit_expires', 'start_renewal']);
    expect(renewed.deadlines.filter((d) => d.key === 'permit_expires' && d.closedAt === null).map((d) => paris(d.due))).toEqual(['2027-04-09T23:59:00+02:00']);
  });

  it('refuses a permit that ends before it starts, or beyond the 24 months of the programme', () => {
    expect(refusal('exit_programme', toAccepted, { transition: 'issue_permit', at: '2026-04-10', fields: { valid_from: '2026-10-09', valid_to: '2026-04-10' } })).toEqual({
      code: 'dates_reversed',
      field: 'valid_to'
    });
    const issued: StepInput[] = [...toAccepted, { transition: 'issue_permit', at: '2026-04-10', fields: { valid_from: '2026-04-10', valid_to: '2026-10-09' } }, { transition: 'request_renewal', at: '2026-08-01', fields: {} }];
    expect(refusal('exit_programme', issued, { transition: 'renew', at: '2026-10-01', fields: { valid_from: '2026-10-10', valid_to: '2028-05-01' } })).toEqual({
      code: 'beyond_programme_limit',
      field: 'valid_to'
    });
    // Exactly 24 months after the first permit is allowed.
    expect(applyStep(run('exit_programme', issued), { transition: 'renew', at: '2026-10-01', fields: { valid_from: '2026-10-10', valid_to: '2028-04-10' } }, NOW).ok).toBe(true);
  });

  it('records a refusal with its reason, then a new submission', () => {
    const s = run('exit_programme', [...toAccepted.slice(0, 3), { transition: 'refuse', at: '2026-04-01', fields: { refusal_reason: 'not_stopped' } }, { transition: 'submit', at: '2026-05-01', fields: { department: '75' } }]);
    expect(s.state).toBe('submitted');
    expect(s.steps[3]!.fields).toEqual({ refusal_reason: 'not_stopped' });
    expect(refusal('exit_programme', toAccepted.slice(0, 3), { transition: 'refuse', at: '2026-04-01', fields: { refusal_reason: 'she was rude' } })).toEqual({ code: 'invalid_field', field: 'refusal_reason' });
  });

  it('ignores fields that do not belong to the step', () => {
    const s = run('exit_programme', [{ transition: 'submit', at: '2026-01-12', fields: { department: '75', name: 'Jane Doe' } }]);
    expect(s.steps[0]!.fields).toEqual({ department: '75' });
  });
});

describe('other procedures', () => {
  it('counts a 115 request waiting more than 7 days, and stops counting once she is placed', () => {
    const waiting = run('accommodation', [{ transition: 'request', at: '2026-11-20T09:00', fields: { request_to: '115' } }]);
    expect(paris(waiting.deadlines[0]!.due)).toBe('2026-11-27T09:00:00+01:00');
    expect(deadlineStatus(waiting.deadlines[0]!, NOW)).toBe('overdue');
    expect(waiting.since).toBe(new Date('2026-11-20T08:00:00Z').toISOString());
    const placed = run('accommodation', [
      { transition: 'request', at: '2026-11-20T09:00', fields: { request_to: 'acse' } },
      { transition: 'place', at: '2026-11-25', fields: { place_kind: 'secure_shelter' } }
    ]);
    expect(open(placed)).toEqual([]);
  });

  it('gives the reflection period from the engine (30 days)', () => {
    const s = run('victim_residence', [{ transition: 'start_reflection', at: '2026-11-02', fields: { notified_at: '2026-11-02T15:00' } }]);
    expect(s.deadlines[0]).toMatchObject({ key: 'reflection_ends', category: 'legal' });
    expect(s.deadlines[0]!.rule?.id).toBe('reflection-period-2021');
  });

  it('gives the CNDA appeal deadline after a rejection, marked uncertain since June 2026', () => {
    const s = run('asylum', [
      { transition: 'register', at: '2026-09-01', fields: { department: '93' } },
      { transition: 'file_ofpra', at: '2026-09-15', fields: {} },
      { transition: 'reject', at: '2026-11-10', fields: { notified_at: '2026-11-10T11:00' } }
    ]);
    const cnda = s.deadlines.find((d) => d.key === 'cnda_appeal')!;
    expect(paris(cnda.due)).toBe('2026-12-10T11:00:00+01:00');
    expect(cnda.rule?.uncertain).toBe(true);
    expect(s.deadlines.find((d) => d.key === 'ofpra_filing')!.closedAt).not.toBeNull();
  });

  it('lets an association track its own kind of step with a due date', () => {
    const s = run('other', [{ transition: 'start', at: '2026-11-01', fields: { other_category: 'health', due_date: '2026-12-01' } }]);
    expect(open(s)).toEqual(['due_date']);
    const done = run('other', [
      { transition: 'start', at: '2026-11-01', fields: { other_category: 'school' } },
      { transition: 'record_progress', at: '2026-11-02', fields: {} },
      { transition: 'finish', at: '2026-11-03', fields: {} }
    ]);
    expect(done.state).toBe('done');
    expect(done.since).toBe(new Date('2026-11-02T23:00:00Z').toISOString());
  });
});

describe('replay', () => {
  it('rebuilds the same state and deadlines from stored steps', () => {
    const live = run('removal_order', [
      { transition: 'receive', at: '2026-11-27T23:30', fields: { notified_at: '2026-11-27T23:10', custody: 'retention' } },
      { transition: 'file_appeal', at: '2026-11-28T10:00', fields: {} }
    ]);
    expect(replay('removal_order', live.steps)).toEqual(live);
  });
  it('throws rather than rebuild a wrong state from an impossible history', () => {
    expect(() => replay('removal_order', [{ transition: 'judge', at: '2026-11-28T10:00:00.000Z', fields: { judgment_outcome: 'annulled' } }])).toThrow(/refused/);
  });
});

describe('deadlineStatus', () => {
  const due = (hours: number) => ({ due: new Date(NOW.getTime() + hours * 3_600_000).toISOString(), closedAt: null });
  it('sorts deadlines into overdue, within 48 hours, this week and later', () => {
    expect(deadlineStatus(due(-1), NOW)).toBe('overdue');
    expect(deadlineStatus(due(47), NOW)).toBe('due_48h');
    expect(deadlineStatus(due(48), NOW)).toBe('due_48h');
    expect(deadlineStatus(due(49), NOW)).toBe('due_week');
    expect(deadlineStatus(due(24 * 8), NOW)).toBe('later');
    expect(deadlineStatus({ ...due(-1), closedAt: NOW.toISOString() }, NOW)).toBe('closed');
  });
});

describe('addMonthsToDateKey', () => {
  it('keeps the day, or the last day of a shorter month', () => {
    expect(addMonthsToDateKey('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDateKey('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsToDateKey('2026-10-09', -2)).toBe('2026-08-09');
    expect(addMonthsToDateKey('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonthsToDateKey('2026-04-10', 24)).toBe('2028-04-10');
  });
});

it('every choice list is non-empty and without duplicates', () => {
  for (const [name, values] of Object.entries(CHOICES)) expect(new Set(values).size, name).toBe(values.length);
});
