/**
 * When a helper is reminded of a deadline (issue 6), as data: one list of rules per deadline
 * category. Pure: the server stores one reminder per deadline × assigned helper × rule
 * (`server/accompaniment/reminder.schedule.ts`) and a worker sends those that are due.
 *
 * - Legal deadlines (an appeal, the reflection period): the morning 7 days before, the
 *   morning 2 days before, and 3 hours before the last moment (hour-exact, Paris time).
 * - Administrative deadlines and waits that last too long: the morning it falls due.
 * - Appointments (a commission, a hearing): the morning before and the morning of the day.
 *
 * "The morning" is 08:00 Paris time, the last one at or before the moment the rule aims at,
 * so a reminder never arrives after what it reminds of (a renewal to start on the 10th,
 * 00:00, is announced on the 9th at 08:00).
 */
import { addParisDays, fromParis, parisDateKey, parseDateKey, toParis } from '../time/paris-time';
import type { DeadlineCategory } from './procedures';

export type ReminderRule =
  /** The last 08:00 (Paris) at or before `daysBefore` days before the deadline (same wall time). */
  | { id: string; kind: 'morning'; daysBefore: number }
  /** Exactly `hoursBefore` hours before the deadline. */
  | { id: string; kind: 'hours'; hoursBefore: number };

export const MORNING_HOUR = 8;

export const REMINDER_RULES: Readonly<Record<DeadlineCategory, readonly ReminderRule[]>> = {
  legal: [
    { id: 'week', kind: 'morning', daysBefore: 7 },
    { id: 'two_days', kind: 'morning', daysBefore: 2 },
    { id: 'hours', kind: 'hours', hoursBefore: 3 }
  ],
  administrative: [{ id: 'day', kind: 'morning', daysBefore: 0 }],
  waiting: [{ id: 'day', kind: 'morning', daysBefore: 0 }],
  appointment: [
    { id: 'eve', kind: 'morning', daysBefore: 1 },
    { id: 'day', kind: 'morning', daysBefore: 0 }
  ]
};

/** The rules of a stored category; an unknown one is treated as administrative. */
export function rulesFor(category: string): readonly ReminderRule[] {
  return REMINDER_RULES[category as DeadlineCategory] ?? REMINDER_RULES.administrative;
}

/** When a rule fires for a deadline due at `due`. */
export function reminderTime(due: Date, rule: ReminderRule): Date {
  if (rule.kind === 'hours') return new Date(due.getTime() - rule.hoursBefore * 3_600_000);
  // `daysBefore` calendar days earlier on the Paris wall clock, then the last 08:00 before.
  const target = shiftParisDays(due, -rule.daysBefore);
  const day = parisDateKey(target);
  const morning = fromParis({ ...parseDateKey(day)!, hour: MORNING_HOUR, minute: 0 });
  if (morning.getTime() <= target.getTime()) return morning;
  return fromParis({ ...parseDateKey(addParisDays(day, -1))!, hour: MORNING_HOUR, minute: 0 });
}

function shiftParisDays(instant: Date, days: number): Date {
  if (days === 0) return instant;
  // Whole days on the wall clock (a day across a DST change has 23 or 25 hours).
  const wall = toParis(instant);
  const key = addParisDays(parisDateKey(instant), days);
  return fromParis({ ...parseDateKey(key)!, hour: wall.hour, minute: wall.minute, second: wall.second });
}

export interface PlannedReminder {
  rule: string;
  /** When the rule fires (ISO UTC); may be in the past, see `planReminders`. */
  at: string;
}

/**
 * The reminders a deadline should have at `now`: one per rule of its category, except that
 * of the rules whose time has already come, only the latest is kept (one reminder after
 * downtime or for a deadline recorded late, not three). A deadline already past has none:
 * the "what needs doing" page shows it as overdue.
 */
export function planReminders(deadline: { category: string; due: string }, now: Date): PlannedReminder[] {
  const due = new Date(deadline.due);
  if (!(due.getTime() > now.getTime())) return [];
  const all = rulesFor(deadline.category)
    .map((rule) => ({ rule: rule.id, at: reminderTime(due, rule) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const past = all.filter((r) => r.at.getTime() <= now.getTime());
  const kept = [...(past.length ? [past.at(-1)!] : []), ...all.filter((r) => r.at.getTime() > now.getTime())];
  return kept.map((r) => ({ rule: r.rule, at: r.at.toISOString() }));
}

/** A reminder sent this long after its time says it is late (downtime, SMTP failures). */
export const LATE_AFTER_MS = 2 * 3_600_000;

export function isLate(plannedAt: string, sentAt: Date): boolean {
  return sentAt.getTime() - Date.parse(plannedAt) > LATE_AFTER_MS;
}

/** Failed sends are tried again after 1, 5, 15, 60 minutes, then every 3 hours, for ever. */
const RETRY_MINUTES = [1, 5, 15, 60, 180] as const;

/** How long to wait after the `attempts`-th failed attempt (1 = the first failure). */
export function retryDelayMs(attempts: number): number {
  const index = Math.min(Math.max(attempts, 1), RETRY_MINUTES.length) - 1;
  return RETRY_MINUTES[index]! * 60_000;
}
