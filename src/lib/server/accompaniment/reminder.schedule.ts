/**
 * Keeps a person's stored reminders in step with her deadlines and her helpers (issue 6).
 * Called inside the transaction of every use case that changes either: a step recorded
 * (its deadlines replaced), a helper assigned or removed, her consent withdrawn. The rules
 * (when, for which category) are data in `accompaniment/reminders.ts`.
 *
 * For each open deadline × assigned helper × planned rule there is one row. A row no longer
 * wanted (the deadline closed, the helper removed, her record closed) is cancelled if it
 * was not sent; one wanted again (a helper assigned again) is pending again.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { planReminders } from '../../accompaniment/reminders';
import type { CaseReminderTable, Database } from '../db/schema';
import { cancelReminders, insertReminders, listRemindersOfPerson, updateReminder } from './reminder.repository';

const identity = (r: { procedure_id: string; deadline_key: string; step_seq: number; account_id: string; rule: string }) =>
  `${r.procedure_id}|${r.deadline_key}|${r.step_seq}|${r.account_id}|${r.rule}`;

/** Schedules and cancels her reminders; returns what changed (for tests). */
export async function syncReminders(
  trx: Transaction<Database>,
  organizationId: string,
  personId: string,
  now: Date
): Promise<{ scheduled: number; cancelled: number }> {
  const nowIso = now.toISOString();
  const person = await trx.selectFrom('case_person').select('status').where('organization_id', '=', organizationId).where('id', '=', personId).executeTakeFirst();
  const open = person?.status === 'open';
  const deadlines = open
    ? await trx
        .selectFrom('case_deadline')
        .select(['procedure_id', 'key', 'step_seq', 'category', 'due_at'])
        .where('organization_id', '=', organizationId)
        .where('person_id', '=', personId)
        .where('closed_at', 'is', null)
        .execute()
    : [];
  const helpers = open
    ? (await trx.selectFrom('case_assignment').select('account_id').where('organization_id', '=', organizationId).where('person_id', '=', personId).execute()).map((a) => a.account_id)
    : [];

  const wanted = new Map<string, CaseReminderTable>();
  for (const d of deadlines) {
    for (const plan of planReminders({ category: d.category, due: d.due_at }, now)) {
      // A reminder planned for a time already past is sent now, not marked late.
      const sendAt = plan.at < nowIso ? nowIso : plan.at;
      for (const accountId of helpers) {
        const row: CaseReminderTable = {
          id: randomUUID(),
          organization_id: organizationId,
          person_id: personId,
          procedure_id: d.procedure_id,
          deadline_key: d.key,
          step_seq: d.step_seq,
          category: d.category,
          account_id: accountId,
          rule: plan.rule,
          due_at: d.due_at,
          send_at: sendAt,
          status: 'pending',
          attempts: 0,
          next_attempt_at: sendAt,
          claim_token: null,
          outcome: null,
          late: 0,
          sent_at: null,
          created_at: nowIso,
          updated_at: nowIso
        };
        wanted.set(identity(row), row);
      }
    }
  }

  const existing = await listRemindersOfPerson(trx, organizationId, personId);
  const byIdentity = new Map(existing.map((r) => [identity(r), r]));
  const openDeadlines = new Set(deadlines.map((d) => `${d.procedure_id}|${d.key}|${d.step_seq}`));
  const cancel = new Map<string, string[]>();
  for (const r of existing) {
    if (r.status !== 'pending' || wanted.has(identity(r))) continue;
    const reason = !open
      ? 'record_closed'
      : !openDeadlines.has(`${r.procedure_id}|${r.deadline_key}|${r.step_seq}`)
        ? 'deadline_closed'
        : !helpers.includes(r.account_id)
          ? 'unassigned'
          : // Still due, not planned any more: past its deadline (kept: the worker catches it
            // up) or superseded by a later reminder of the same deadline (cancelled).
            r.due_at > nowIso
            ? 'superseded'
            : null;
    if (reason) cancel.set(reason, [...(cancel.get(reason) ?? []), r.id]);
  }
  const toInsert: CaseReminderTable[] = [];
  let scheduled = 0;
  for (const [key, row] of wanted) {
    const current = byIdentity.get(key);
    if (!current) {
      toInsert.push(row);
      continue;
    }
    if (current.status === 'cancelled') {
      // Wanted again (a helper assigned again): pending again, from now at the earliest.
      await updateReminder(trx, organizationId, current.id, { status: 'pending', due_at: row.due_at, send_at: row.send_at, next_attempt_at: row.send_at, outcome: null, attempts: 0 }, nowIso);
      scheduled += 1;
    } else if (current.status === 'pending' && current.due_at !== row.due_at) {
      // The same deadline moved (a rule's data changed): so does its reminder.
      await updateReminder(trx, organizationId, current.id, { due_at: row.due_at, send_at: row.send_at, next_attempt_at: row.send_at }, nowIso);
    }
  }
  await insertReminders(trx, toInsert);
  let cancelled = 0;
  for (const [reason, ids] of cancel) {
    await cancelReminders(trx, organizationId, ids, reason, nowIso);
    cancelled += ids.length;
  }
  return { scheduled: scheduled + toInsert.length, cancelled };
}
