/**
 * Queries of reminders and calendar feeds. Transaction first, organization second, like
 * person.repository.ts. The one dialect-specific query is the worker's claim
 * (`claimDueReminders`): `FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the transaction
 * already holds the only write lock (`begin immediate`, db/connect.ts).
 */
import type { Kysely } from 'kysely';
import type { CalendarFeedTable, CaseReminderTable, Database } from '../db/schema';
import { isPostgres } from '../db/tenant';

export async function listRemindersOfPerson(db: Kysely<Database>, organizationId: string, personId: string): Promise<CaseReminderTable[]> {
  return db.selectFrom('case_reminder').selectAll().where('organization_id', '=', organizationId).where('person_id', '=', personId).execute();
}

/** Inserts new reminders; one that exists already (scheduled at the same time elsewhere) is left alone. */
export async function insertReminders(db: Kysely<Database>, rows: CaseReminderTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    await db
      .insertInto('case_reminder')
      .values(rows.slice(i, i + 100))
      .onConflict((oc) => oc.columns(['organization_id', 'procedure_id', 'deadline_key', 'step_seq', 'account_id', 'rule']).doNothing())
      .execute();
  }
}

/**
 * Cancels reminders not sent yet: pending ones (scheduling), or — `claimed`, for the worker
 * that holds them locked — those claimed too. Never one already sent.
 */
export async function cancelReminders(db: Kysely<Database>, organizationId: string, ids: string[], reason: string, nowIso: string, options: { claimed?: boolean } = {}): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('case_reminder')
    .set({ status: 'cancelled', outcome: reason, claim_token: null, updated_at: nowIso })
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .where('status', 'in', options.claimed ? ['pending', 'sending'] : ['pending'])
    .execute();
}

export async function updateReminder(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
  set: Partial<Pick<CaseReminderTable, 'status' | 'due_at' | 'send_at' | 'next_attempt_at' | 'outcome' | 'attempts' | 'category'>>,
  nowIso: string
): Promise<void> {
  await db
    .updateTable('case_reminder')
    .set({ ...set, updated_at: nowIso })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .execute();
}

/**
 * The reminders due at `nowIso` (pending and due, or claimed by a worker whose claim has
 * expired), soonest first, locked for this transaction. On PostgreSQL, rows another
 * process has locked are skipped, not waited for: two workers claim disjoint sets.
 */
export async function claimDueReminders(db: Kysely<Database>, organizationId: string, nowIso: string, limit: number): Promise<CaseReminderTable[]> {
  const query = db
    .selectFrom('case_reminder')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<=', nowIso)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit);
  return isPostgres(db) ? query.forUpdate().skipLocked().execute() : query.execute();
}

/** Marks claimed rows as being sent by this worker until `untilIso`. */
export async function markSending(db: Kysely<Database>, organizationId: string, ids: string[], token: string, untilIso: string, nowIso: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('case_reminder')
    .set({ status: 'sending', claim_token: token, next_attempt_at: untilIso, updated_at: nowIso })
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .execute();
}

/**
 * Records a send's outcome, only if this worker still holds the claim (`token`): a worker
 * whose claim expired and was taken over does not overwrite the other's result.
 */
export async function finishSending(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
  token: string,
  set: Pick<CaseReminderTable, 'status' | 'attempts' | 'next_attempt_at' | 'outcome' | 'late' | 'sent_at'>,
  nowIso: string
): Promise<boolean> {
  const result = await db
    .updateTable('case_reminder')
    .set({ ...set, claim_token: null, updated_at: nowIso })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How many reminders wait in each state (for `relais reminders run --json` and tests). */
export async function countReminders(db: Kysely<Database>, organizationId: string): Promise<Record<CaseReminderTable['status'], number>> {
  const rows = await db
    .selectFrom('case_reminder')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('organization_id', '=', organizationId)
    .groupBy('status')
    .execute();
  const counts = { pending: 0, sending: 0, sent: 0, cancelled: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export async function findLiveFeedBySecretHash(db: Kysely<Database>, organizationId: string, secretHash: string): Promise<CalendarFeedTable | undefined> {
  return db
    .selectFrom('calendar_feed')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('secret_hash', '=', secretHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function findLiveFeedOfAccount(db: Kysely<Database>, organizationId: string, accountId: string): Promise<CalendarFeedTable | undefined> {
  return db
    .selectFrom('calendar_feed')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function insertFeed(db: Kysely<Database>, row: CalendarFeedTable): Promise<void> {
  await db.insertInto('calendar_feed').values(row).execute();
}

/** Revokes every live feed of the account; returns how many. */
export async function revokeFeedsOfAccount(db: Kysely<Database>, organizationId: string, accountId: string, nowIso: string): Promise<number> {
  const result = await db
    .updateTable('calendar_feed')
    .set({ revoked_at: nowIso })
    .where('organization_id', '=', organizationId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The open deadlines of the open records assigned to an account (not those she sees through
 * a broken glass: that access is for an emergency, not for her calendar), soonest first.
 */
export async function listOpenDeadlinesAssignedTo(db: Kysely<Database>, organizationId: string, accountId: string, sinceIso: string, limit: number) {
  return db
    .selectFrom('case_deadline')
    .innerJoin('case_person', 'case_person.id', 'case_deadline.person_id')
    .innerJoin('case_procedure', 'case_procedure.id', 'case_deadline.procedure_id')
    .innerJoin('case_assignment', (join) => join.onRef('case_assignment.person_id', '=', 'case_deadline.person_id').on('case_assignment.organization_id', '=', organizationId))
    .select([
      'case_deadline.person_id',
      'case_deadline.procedure_id',
      'case_deadline.key',
      'case_deadline.step_seq',
      'case_deadline.category',
      'case_deadline.due_at',
      'case_deadline.uncertain',
      'case_procedure.kind',
      'case_person.wrapped_key',
      'case_person.pseudonym_encrypted'
    ])
    .where('case_deadline.organization_id', '=', organizationId)
    .where('case_person.organization_id', '=', organizationId)
    .where('case_procedure.organization_id', '=', organizationId)
    .where('case_assignment.account_id', '=', accountId)
    .where('case_deadline.closed_at', 'is', null)
    .where('case_deadline.due_at', '>=', sinceIso)
    .where('case_person.status', '=', 'open')
    .orderBy('case_deadline.due_at')
    .limit(limit)
    .execute();
}
