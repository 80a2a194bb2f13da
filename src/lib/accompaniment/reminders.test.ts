import { describe, expect, it } from 'vitest';
import { isLate, LATE_AFTER_MS, planReminders, reminderTime, REMINDER_RULES, retryDelayMs, rulesFor, type ReminderRule } from './reminders';
import { toParis } from '../time/paris-time';
import { PROCEDURES } from './procedures';

const rule = (category: keyof typeof REMINDER_RULES, id: string): ReminderRule => REMINDER_RULES[category].find((r) => r.id === id)!;
const at = (iso: string) => new Date(iso);

describe('reminderTime', () => {
  // Sunday 13 December 2026, 23:10 Paris (UTC+1): an order to leave France's last moment.
  const appeal = at('2026-12-13T22:10:00Z');

  it('reminds of a legal deadline the morning 7 days and 2 days before, and 3 hours before', () => {
    expect(reminderTime(appeal, rule('legal', 'week')).toISOString()).toBe('2026-12-06T07:00:00.000Z');
    expect(reminderTime(appeal, rule('legal', 'two_days')).toISOString()).toBe('2026-12-11T07:00:00.000Z');
    expect(reminderTime(appeal, rule('legal', 'hours')).toISOString()).toBe('2026-12-13T19:10:00.000Z');
  });

  it('never reminds after the moment: a renewal due at 00:00 is announced the morning before', () => {
    // Start the renewal on 10 February 2027, 00:00 Paris.
    expect(reminderTime(at('2027-02-09T23:00:00Z'), rule('administrative', 'day')).toISOString()).toBe('2027-02-09T07:00:00.000Z');
    // A permit's last day, 23:59 Paris (summer time): the morning of that day.
    expect(reminderTime(at('2027-04-19T21:59:00Z'), rule('administrative', 'day')).toISOString()).toBe('2027-04-19T06:00:00.000Z');
    // Due at 08:00 exactly: that same 08:00.
    expect(reminderTime(at('2027-04-19T06:00:00Z'), rule('waiting', 'day')).toISOString()).toBe('2027-04-19T06:00:00.000Z');
  });

  it('counts days on the Paris wall clock across a change of time', () => {
    // Sunday 29 March 2026 10:00 (summer) → the 22nd, 08:00 (winter): 07:00 UTC.
    const reminder = reminderTime(at('2026-03-29T08:00:00Z'), rule('legal', 'week'));
    expect(reminder.toISOString()).toBe('2026-03-22T07:00:00.000Z');
    expect(toParis(reminder)).toMatchObject({ hour: 8, minute: 0 });
    // An appointment on Monday 26 October 2026 (winter) → Sunday 25th 08:00 (winter since 03:00).
    const eve = reminderTime(at('2026-10-26T22:59:00Z'), rule('appointment', 'eve'));
    expect(eve.toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });
});

describe('planReminders', () => {
  it('plans every rule of a deadline far enough ahead, in order', () => {
    const plan = planReminders({ category: 'legal', due: '2026-12-13T22:10:00.000Z' }, at('2026-12-01T10:00:00Z'));
    expect(plan).toEqual([
      { rule: 'week', at: '2026-12-06T07:00:00.000Z' },
      { rule: 'two_days', at: '2026-12-11T07:00:00.000Z' },
      { rule: 'hours', at: '2026-12-13T19:10:00.000Z' }
    ]);
  });

  it('keeps only the latest of the rules already past (one reminder, not three), for a deadline still ahead', () => {
    // Recorded on Friday night for a Sunday 23:10 deadline: "7 days" and "2 days" are past.
    const plan = planReminders({ category: 'legal', due: '2026-12-13T22:10:00.000Z' }, at('2026-12-11T22:30:00Z'));
    expect(plan).toEqual([
      { rule: 'two_days', at: '2026-12-11T07:00:00.000Z' },
      { rule: 'hours', at: '2026-12-13T19:10:00.000Z' }
    ]);
  });

  it('plans nothing for a deadline already past: it is overdue on the dashboard', () => {
    expect(planReminders({ category: 'legal', due: '2026-12-13T22:10:00.000Z' }, at('2026-12-13T22:10:00Z'))).toEqual([]);
    expect(planReminders({ category: 'administrative', due: 'not a date' }, at('2026-12-13T22:10:00Z'))).toEqual([]);
  });

  it('treats an unknown category as administrative', () => {
    expect(rulesFor('something_new')).toBe(REMINDER_RULES.administrative);
    expect(planReminders({ category: 'something_new', due: '2027-04-19T21:59:00.000Z' }, at('2027-01-01T00:00:00Z'))).toEqual([{ rule: 'day', at: '2027-04-19T06:00:00.000Z' }]);
  });

  it('has rules for every category a procedure uses, with unique ids', () => {
    const categories = new Set(Object.values(PROCEDURES).flatMap((p) => p.transitions.flatMap((t) => (t.deadlines ?? []).map((d) => d.category))));
    for (const category of categories) {
      const rules = REMINDER_RULES[category];
      expect(rules.length, category).toBeGreaterThan(0);
      expect(new Set(rules.map((r) => r.id)).size, category).toBe(rules.length);
    }
  });
});

describe('late reminders and retries', () => {
  it('says a reminder is late only when it leaves more than two hours after its time', () => {
    expect(isLate('2026-12-11T07:00:00.000Z', new Date(Date.parse('2026-12-11T07:00:00Z') + LATE_AFTER_MS))).toBe(false);
    expect(isLate('2026-12-11T07:00:00.000Z', new Date(Date.parse('2026-12-11T07:00:00Z') + LATE_AFTER_MS + 1))).toBe(true);
  });

  it('backs off 1, 5, 15, 60 minutes, then every 3 hours for ever', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 5, 15, 60, 180, 180, 180]);
    expect(retryDelayMs(0)).toBe(60_000);
  });
});
