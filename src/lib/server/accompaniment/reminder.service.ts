/**
 * Sends the reminders that are due (issue 6): the worker of `relais serve` every minute,
 * and `relais reminders run`. Organization by organization, each in its own `inTenant`:
 *
 * 1. Claim (one short transaction): the due rows are selected and locked — on PostgreSQL
 *    `FOR UPDATE SKIP LOCKED`, so two app processes claim disjoint rows; on SQLite the
 *    transaction holds the single write lock (`begin immediate`) — checked again (her record
 *    open, the deadline open, the helper still assigned and active: otherwise cancelled),
 *    and marked `sending` with a claim token and an expiry (CLAIM_MINUTES).
 * 2. Send, outside any transaction (SMTP can be slow; SQLite's write lock is not held).
 * 3. Record each outcome (a second short transaction), only while the claim is still ours:
 *    sent, or pending again after a back-off (`retryDelayMs`) — a failed reminder is never
 *    dropped.
 *
 * A process that dies between 1 and 3 leaves rows `sending`; once the claim expires another
 * worker takes them. So each reminder is sent once, except when a process dies after the
 * SMTP server accepted a mail and before step 3: then it may be sent twice (docs/security.md).
 * Anything due and not sent (the server was stopped, SMTP was down) is sent at the next run;
 * sent more than LATE_AFTER_MS after its time, it says it is late.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isLate, retryDelayMs } from '../../accompaniment/reminders';
import { translator } from '../../i18n/translate';
import type { LocaleCode } from '../../i18n/locales';
import { listOrganizations } from '../accounts/organization.repository';
import { dataKeyOf } from '../accounts/organization.service';
import { decryptField } from '../crypto/envelope';
import type { CaseReminderTable, Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { HELPER_ROLES } from './person.policy';
import type { Role } from '../accounts/roles';
import { initialsOf, personKeyOf } from './person.service';
import { MailError, type Mailer, type OutgoingMail } from '../mail/mailer';
import { reminderEmail } from './reminder.email';
import { cancelReminders, claimDueReminders, finishSending, markSending, updateReminder } from './reminder.repository';

/** A claimed row not recorded after this long is claimed again by another worker. */
export const CLAIM_MINUTES = 15;
const BATCH_SIZE = 20;
/** At most this many batches per organization and run: a run always ends. */
const MAX_BATCHES = 50;

export interface RunRemindersOptions {
  /** The instant the run acts at (default: the clock). `relais reminders run --now` sets it. */
  now?: Date;
  /** Links in emails point here (ORIGIN). */
  origin: string;
  locale?: LocaleCode;
  batchSize?: number;
}

export interface RunSummary {
  organizations: number;
  sent: number;
  late: number;
  failed: number;
  cancelled: number;
  /** Failure codes and how many times each was met (no addresses, no text). */
  errors: Record<string, number>;
}

interface Claimed {
  id: string;
  mail: OutgoingMail;
  late: boolean;
  attempts: number;
}

/** One pass over every organization; returns what was done. Throws only on a database error. */
export async function runReminders(db: Kysely<Database>, masterKey: Buffer, mailer: Mailer, options: RunRemindersOptions): Promise<RunSummary> {
  const now = options.now ?? new Date();
  const summary: RunSummary = { organizations: 0, sent: 0, late: 0, failed: 0, cancelled: 0, errors: {} };
  for (const organization of await listOrganizations(db)) {
    summary.organizations += 1;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const claim = await claimBatch(db, masterKey, organization.id, now, options);
      summary.cancelled += claim.cancelled;
      if (claim.unreadable) {
        summary.failed += claim.unreadable;
        summary.errors.EUNREADABLE = (summary.errors.EUNREADABLE ?? 0) + claim.unreadable;
      }
      const results = await deliver(mailer, claim.rows);
      await recordOutcomes(db, organization.id, claim.token, claim.rows, results, now);
      for (const [i, row] of claim.rows.entries()) {
        const error = results[i];
        if (error) {
          summary.failed += 1;
          summary.errors[error.code] = (summary.errors[error.code] ?? 0) + 1;
        } else {
          summary.sent += 1;
          if (row.late) summary.late += 1;
        }
      }
      if (claim.size < (options.batchSize ?? BATCH_SIZE)) break;
    }
  }
  return summary;
}

async function claimBatch(
  db: Kysely<Database>,
  masterKey: Buffer,
  organizationId: string,
  now: Date,
  options: RunRemindersOptions
): Promise<{ token: string; rows: Claimed[]; cancelled: number; unreadable: number; size: number }> {
  const nowIso = now.toISOString();
  const token = randomUUID();
  return inTenant(db, organizationId, async (trx) => {
    const due = await claimDueReminders(trx, organizationId, nowIso, options.batchSize ?? BATCH_SIZE);
    if (due.length === 0) return { token, rows: [], cancelled: 0, unreadable: 0, size: 0 };
    const unique = (values: string[]) => [...new Set(values)];
    const personIds = unique(due.map((r) => r.person_id));
    const procedureIds = unique(due.map((r) => r.procedure_id));
    const persons = await trx
      .selectFrom('case_person')
      .select(['id', 'status', 'wrapped_key', 'pseudonym_encrypted'])
      .where('organization_id', '=', organizationId)
      .where('id', 'in', personIds)
      .execute();
    const procedures = await trx.selectFrom('case_procedure').select(['id', 'kind']).where('organization_id', '=', organizationId).where('id', 'in', procedureIds).execute();
    const deadlines = await trx
      .selectFrom('case_deadline')
      .select(['procedure_id', 'key', 'step_seq', 'closed_at', 'uncertain'])
      .where('organization_id', '=', organizationId)
      .where('procedure_id', 'in', procedureIds)
      .execute();
    const assignments = await trx.selectFrom('case_assignment').select(['person_id', 'account_id']).where('organization_id', '=', organizationId).where('person_id', 'in', personIds).execute();
    const accounts = await trx
      .selectFrom('person_account')
      .select(['id', 'status', 'role', 'email_encrypted'])
      .where('organization_id', '=', organizationId)
      .where('id', 'in', unique(due.map((r) => r.account_id)))
      .execute();

    const deadlineOf = (r: CaseReminderTable) => deadlines.find((d) => d.procedure_id === r.procedure_id && d.key === r.deadline_key && d.step_seq === r.step_seq);
    const cancel = new Map<string, string[]>();
    const valid: CaseReminderTable[] = [];
    for (const r of due) {
      const person = persons.find((p) => p.id === r.person_id);
      const deadline = deadlineOf(r);
      const account = accounts.find((a) => a.id === r.account_id);
      const reason =
        !person || person.status !== 'open' || !person.wrapped_key || !person.pseudonym_encrypted
          ? 'record_closed'
          : !deadline || deadline.closed_at !== null
            ? 'deadline_closed'
            : !assignments.some((a) => a.person_id === r.person_id && a.account_id === r.account_id)
              ? 'unassigned'
              : !account || account.status !== 'active' || !HELPER_ROLES.includes(account.role as Role)
                ? 'account_inactive'
                : null;
      if (reason) cancel.set(reason, [...(cancel.get(reason) ?? []), r.id]);
      else valid.push(r);
    }
    // After downtime several reminders of one deadline may be due at once: the latest says it all.
    const latest = new Map<string, CaseReminderTable>();
    for (const r of valid) {
      const key = `${r.procedure_id}|${r.deadline_key}|${r.step_seq}|${r.account_id}`;
      const other = latest.get(key);
      if (!other || other.send_at < r.send_at) latest.set(key, r);
    }
    const superseded = valid.filter((r) => !Array.from(latest.values()).includes(r));
    if (superseded.length) cancel.set('superseded', superseded.map((r) => r.id));
    let cancelled = 0;
    for (const [reason, ids] of cancel) {
      await cancelReminders(trx, organizationId, ids, reason, nowIso, { claimed: true });
      cancelled += ids.length;
    }

    const kept = Array.from(latest.values());
    const orgKey = kept.length ? await dataKeyOf(trx, masterKey, organizationId) : null;
    const t = translator(options.locale ?? 'fr');
    const rows: Claimed[] = [];
    let unreadable = 0;
    for (const r of kept) {
      try {
        rows.push(compose(r));
      } catch {
        // A row that cannot be read (a key that does not open it) must not block the others,
        // nor be dropped: it waits like a failed send, and says why.
        unreadable += 1;
        await updateReminder(trx, organizationId, r.id, { status: 'pending', attempts: r.attempts + 1, next_attempt_at: new Date(now.getTime() + retryDelayMs(r.attempts + 1)).toISOString(), outcome: 'EUNREADABLE' }, nowIso);
      }
    }
    function compose(r: CaseReminderTable): Claimed {
      const person = persons.find((p) => p.id === r.person_id)!;
      const account = accounts.find((a) => a.id === r.account_id)!;
      const pseudonym = decryptField(personKeyOf(orgKey!, person), person.pseudonym_encrypted!, { table: 'case_person', column: 'pseudonym', rowId: person.id });
      const late = isLate(r.send_at, now);
      const { subject, text } = reminderEmail(t, {
        initials: initialsOf(pseudonym),
        deadlineKey: r.deadline_key,
        procedureKind: procedures.find((p) => p.id === r.procedure_id)?.kind ?? 'other',
        dueAt: r.due_at,
        uncertain: deadlineOf(r)?.uncertain === 1,
        late,
        plannedAt: r.send_at,
        link: `${options.origin}/staff/people/${r.person_id}/procedures/${r.procedure_id}`
      });
      const to = decryptField(orgKey!, account.email_encrypted, { table: 'person_account', column: 'email_encrypted', rowId: account.id });
      return { id: r.id, mail: { to, subject, text }, late, attempts: r.attempts };
    }
    await markSending(
      trx,
      organizationId,
      rows.map((r) => r.id),
      token,
      new Date(now.getTime() + CLAIM_MINUTES * 60_000).toISOString(),
      nowIso
    );
    return { token, rows, cancelled, unreadable, size: due.length };
  });
}

/** Sends one by one; once the server is unreachable, the rest fail with the same code untried. */
async function deliver(mailer: Mailer, rows: Claimed[]): Promise<Array<MailError | null>> {
  const results: Array<MailError | null> = [];
  let down: MailError | null = null;
  for (const row of rows) {
    if (down) {
      results.push(down);
      continue;
    }
    try {
      await mailer.send(row.mail);
      results.push(null);
    } catch (error) {
      const failure = error instanceof MailError ? error : new MailError('EUNKNOWN', false);
      if (failure.connection) down = failure;
      results.push(failure);
    }
  }
  return results;
}

async function recordOutcomes(db: Kysely<Database>, organizationId: string, token: string, rows: Claimed[], results: Array<MailError | null>, now: Date): Promise<void> {
  if (rows.length === 0) return;
  const nowIso = now.toISOString();
  await inTenant(db, organizationId, async (trx) => {
    for (const [i, row] of rows.entries()) {
      const error = results[i];
      const attempts = row.attempts + 1;
      await finishSending(
        trx,
        organizationId,
        row.id,
        token,
        error
          ? { status: 'pending', attempts, next_attempt_at: new Date(now.getTime() + retryDelayMs(attempts)).toISOString(), outcome: error.code, late: 0, sent_at: null }
          : { status: 'sent', attempts, next_attempt_at: nowIso, outcome: null, late: row.late ? 1 : 0, sent_at: nowIso },
        nowIso
      );
    }
  });
}
