/**
 * Her rights over her data (issue 6, GDPR): everything about her in one export (right of
 * access), erasure by destroying her key (right to erasure), closing her record with a
 * reason, and the purge of closed records once the time her consent allows has passed
 * (storage limitation). docs/data.md is the register these use cases implement.
 *
 * Erasure is crypto-shredding plus deletion, in one transaction: her wrapped key, blind
 * index and every field encrypted under her key are set to null, every row about her is
 * deleted (documents, notes with their steps, deadlines, consents, helpers, broken glasses),
 * and her `case_person` row stays as a tombstone (`erased`, no data; created_at rounded to
 * the month) so that the audit log's ids lead nowhere readable and her address answers 404.
 * What stays of her procedures is anonymous (`case_statistic`): kind, last state, and per
 * step the transition, the month and the closed-list fields (choices, department) — no
 * person id, no procedure id, no day, no note.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { DomainError } from '../../errors';
import { PROCEDURES, isProcedureKind } from '../../accompaniment/procedures';
import { parisDateKey } from '../../time/paris-time';
import { dataKeyOf } from '../accounts/organization.service';
import { appendAudit } from '../audit/audit';
import { decryptField } from '../crypto/envelope';
import type { CasePersonTable, Database } from '../db/schema';
import { inTenant, isPostgres } from '../db/tenant';
import { parseScopes, type ConsentScope } from './consent';
import { activeScopes, field, initialsOf, loadVisible, personKeyOf, requireRole, type CaseContext, type PersonProfile } from './person.service';
import { listAssignments, listConsents, listDeadlinesOfPerson, listProcedures, visibleTo } from './person.repository';
import { listAppointmentsOfPerson } from './appointment.repository';

/** Why a record was closed: a closed list (statistics), never free text. */
export const CLOSE_REASONS = ['completed', 'her_choice', 'moved_away', 'other_association', 'lost_contact', 'other'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export function isCloseReason(value: unknown): value is CloseReason {
  return typeof value === 'string' && (CLOSE_REASONS as readonly string[]).includes(value);
}

/**
 * Every table with rows about her (`person_id`), children first: an erasure deletes them
 * all. A table added later with a `person_id` column must be added here (a database test
 * fails otherwise).
 */
// Reminders first: they point at her record and her procedures.
export const PERSON_TABLES = ['case_reminder', 'case_appointment', 'case_deadline', 'case_document', 'case_access', 'case_assignment', 'case_consent'] as const;

/** `instant` plus whole months, in UTC, the day clamped to the target month (31 Jan + 1 → 28/29 Feb). */
export function addMonths(instant: Date, months: number): Date {
  const d = new Date(instant.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * How many months her record may be kept after it closes: the shortest retention among
 * her consents still in force (never longer than any of them says); none in force: 0.
 */
export function retentionMonthsOf(consents: ReadonlyArray<{ retention_months: number; withdrawn_at: string | null }>): number {
  const active = consents.filter((c) => c.withdrawn_at === null).map((c) => Number(c.retention_months));
  return active.length ? Math.min(...active) : 0;
}

const monthStart = (iso: string) => `${iso.slice(0, 7)}-01T00:00:00.000Z`;
/** The month (YYYY-MM) of an instant, in French time: what a statistic keeps of a date. */
const parisMonth = (iso: string) => parisDateKey(new Date(iso)).slice(0, 7);

// ---------------------------------------------------------------------------------------
// Closing

/**
 * Closes her record with a reason: no new procedure or step, off the dashboards, and due
 * for purge when the retention of her consent has passed (`purge_after`). Throws
 * `forbidden`, `not_found`, `conflict` (already closed), `invalid_input` (reason).
 */
export async function closePerson(ctx: CaseContext, personId: string, reason: CloseReason): Promise<{ purgeAfter: string }> {
  requireRole(ctx.who, 'case.close');
  if (!isCloseReason(reason)) throw new DomainError('invalid_input', 'no such reason');
  const now = ctx.now ?? new Date();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    if (person.status !== 'open') throw new DomainError('conflict', 'her record is already closed');
    const months = retentionMonthsOf(await listConsents(trx, ctx.who.organizationId, person.id));
    const purgeAfter = addMonths(now, months).toISOString();
    await trx
      .updateTable('case_person')
      .set({ status: 'closed', closed_at: now.toISOString(), closed_reason: reason, purge_after: purgeAfter, updated_at: now.toISOString() })
      .where('organization_id', '=', ctx.who.organizationId)
      .where('id', '=', person.id)
      .where('status', '=', 'open')
      .execute();
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'person.close', target: { kind: 'person', id: person.id }, at: now });
    return { purgeAfter };
  });
}

// ---------------------------------------------------------------------------------------
// Erasure

interface StatisticStep {
  transition: string;
  month: string;
  fields: Record<string, string>;
}

/** The closed-list fields and departments of a step (what a statistic may keep); dates, never. */
function anonymousFields(kind: string, transition: string, fields: Record<string, string>): Record<string, string> {
  if (!isProcedureKind(kind)) return {};
  const spec = PROCEDURES[kind].transitions.find((t) => t.id === transition)?.fields ?? [];
  const kept: Record<string, string> = {};
  for (const f of spec) {
    const value = fields[f.name];
    if (typeof value === 'string' && (f.type === 'choice' || f.type === 'department')) kept[f.name] = value;
  }
  return kept;
}

/**
 * Erases one person's record inside `trx` (in her organization's tenant): claims the row
 * first (`where` — another process erasing or purging her at the same time then finds
 * nothing and returns false), keeps the anonymous statistics of her procedures, deletes
 * everything else about her, and leaves a tombstone without data.
 */
async function eraseRecord(trx: Transaction<Database>, organizationId: string, person: Pick<CasePersonTable, 'id' | 'created_at' | 'closed_at'>, now: Date, onlyIfDue: boolean): Promise<boolean> {
  const nowIso = now.toISOString();
  let claim = trx
    .updateTable('case_person')
    .set({
      status: 'erased',
      wrapped_key: null,
      pseudonym_index: null,
      pseudonym_encrypted: null,
      real_name_encrypted: null,
      profile_encrypted: null,
      closed_reason: null,
      purge_after: null,
      created_at: monthStart(person.created_at),
      closed_at: monthStart(person.closed_at ?? nowIso),
      updated_at: nowIso
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', person.id)
    .where('status', '!=', 'erased');
  if (onlyIfDue) claim = claim.where('status', '=', 'closed').where('purge_after', '<=', nowIso);
  const claimed = await claim.executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return false;

  const procedures = await listProcedures(trx, organizationId, person.id);
  const ids = procedures.map((p) => p.id);
  const steps = ids.length
    ? await trx.selectFrom('case_step').select(['procedure_id', 'seq', 'transition', 'at', 'fields_json']).where('organization_id', '=', organizationId).where('procedure_id', 'in', ids).orderBy('seq').execute()
    : [];
  const statistics = procedures.map((p) => ({
    id: randomUUID(),
    organization_id: organizationId,
    kind: p.kind,
    state: p.state,
    terminal: p.terminal,
    opened_month: parisMonth(p.opened_at),
    steps_json: JSON.stringify(
      steps
        .filter((s) => s.procedure_id === p.id)
        .map((s): StatisticStep => ({ transition: s.transition, month: parisMonth(s.at), fields: anonymousFields(p.kind, s.transition, JSON.parse(s.fields_json) as Record<string, string>) }))
    ),
    kept_month: parisMonth(nowIso)
  }));
  if (statistics.length) await trx.insertInto('case_statistic').values(statistics).execute();

  for (const table of PERSON_TABLES) await trx.deleteFrom(table).where('organization_id', '=', organizationId).where('person_id', '=', person.id).execute();
  if (ids.length) {
    await trx.deleteFrom('case_step').where('organization_id', '=', organizationId).where('procedure_id', 'in', ids).execute();
    await trx.deleteFrom('case_procedure').where('organization_id', '=', organizationId).where('person_id', '=', person.id).execute();
  }
  return true;
}

/**
 * SQLite keeps old page images in its write-ahead log until a checkpoint: fold them into
 * the file (whose deleted content `secure_delete` zeroes) and empty the log, so her old
 * key is not left in `relais.db-wal`. Best effort: a reader holding an old snapshot delays
 * it to a later checkpoint. PostgreSQL: dead row versions stay until VACUUM
 * (`relais cases purge` runs one as the owner; docs/data.md says the limits).
 */
async function flushErased(db: Kysely<Database>): Promise<void> {
  if (isPostgres(db) || db.isTransaction) return;
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db).catch(() => {});
}

/**
 * Erases her record now (a coordinator, after a confirmation and proving who she is): see
 * the module's comment for what is destroyed and what stays. Audited without her data
 * (`person.erase`, her id). Afterwards her record answers `not_found` everywhere.
 * Throws `forbidden`, `not_found`.
 */
export async function erasePerson(ctx: CaseContext, personId: string): Promise<void> {
  requireRole(ctx.who, 'case.erase');
  const now = ctx.now ?? new Date();
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    if (!(await eraseRecord(trx, ctx.who.organizationId, person, now, false))) throw new DomainError('not_found', 'already erased');
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'person.erase', target: { kind: 'person', id: person.id }, at: now });
  });
  await flushErased(ctx.db);
}

// ---------------------------------------------------------------------------------------
// Retention

export interface PurgeItem {
  personId: string;
  /** Her pseudonym if the coordinator may open her record, else its initials. */
  label: string;
  visible: boolean;
  closedAt: string | null;
  closedReason: string | null;
  purgeAfter: string;
}

/**
 * The closed records that will be purged within `days` (default 31; overdue ones first),
 * for a coordinator: a record she may not open shows only its initials.
 * Throws `forbidden`.
 */
export async function listPurgeDue(ctx: CaseContext, days = 31): Promise<PurgeItem[]> {
  requireRole(ctx.who, 'case.retention');
  const now = ctx.now ?? new Date();
  const until = new Date(now.getTime() + days * 86_400_000).toISOString();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const orgKey = await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId);
    const rows = await trx
      .selectFrom('case_person')
      .select(['id', 'wrapped_key', 'pseudonym_encrypted', 'closed_at', 'closed_reason', 'purge_after'])
      .where('organization_id', '=', ctx.who.organizationId)
      .where('status', '=', 'closed')
      .where('purge_after', '<=', until)
      .orderBy('purge_after')
      .orderBy('id')
      .limit(500)
      .execute();
    const visible = new Set(
      rows.length
        ? (
            await trx
              .selectFrom('case_person')
              .select('id')
              .where('organization_id', '=', ctx.who.organizationId)
              .where('id', 'in', rows.map((r) => r.id))
              .where(visibleTo({ organizationId: ctx.who.organizationId, accountId: ctx.who.accountId }, now.toISOString()))
              .execute()
          ).map((r) => r.id)
        : []
    );
    return rows.map((r) => {
      const pseudonym = decryptField(personKeyOf(orgKey, r), r.pseudonym_encrypted!, field(r.id, 'pseudonym'));
      return {
        personId: r.id,
        label: visible.has(r.id) ? pseudonym : initialsOf(pseudonym),
        visible: visible.has(r.id),
        closedAt: r.closed_at,
        closedReason: r.closed_reason ?? null,
        purgeAfter: r.purge_after!
      };
    });
  });
}

export interface PurgeReport {
  dryRun: boolean;
  /** Records due (dry run) or erased. */
  people: Array<{ organizationId: string; personId: string; purgeAfter: string }>;
}

/**
 * Erases every closed record whose `purge_after` has passed, in every organization, each in
 * its own transaction (one failure does not undo the others), audited as `person.purge` by
 * `actor` (`cli` or `system`). With `dryRun`, only lists them. Safe with several processes
 * at once: each record is claimed by a conditional update (eraseRecord).
 */
export async function purgeDue(db: Kysely<Database>, options: { now?: Date; dryRun?: boolean; actor?: 'cli' | 'system' } = {}): Promise<PurgeReport> {
  const now = options.now ?? new Date();
  const nowIso = now.toISOString();
  const organizations = await db.selectFrom('organization').select('id').orderBy('id').execute();
  const people: PurgeReport['people'] = [];
  for (const { id: organizationId } of organizations) {
    const due = await inTenant(db, organizationId, (trx) =>
      trx
        .selectFrom('case_person')
        .select(['id', 'created_at', 'closed_at', 'purge_after'])
        .where('organization_id', '=', organizationId)
        .where('status', '=', 'closed')
        .where('purge_after', '<=', nowIso)
        .orderBy('purge_after')
        .execute()
    );
    for (const person of due) {
      if (options.dryRun) {
        people.push({ organizationId, personId: person.id, purgeAfter: person.purge_after! });
        continue;
      }
      const erased = await inTenant(db, organizationId, async (trx) => {
        if (!(await eraseRecord(trx, organizationId, person, now, true))) return false;
        await appendAudit(trx, { organizationId, actorId: options.actor ?? 'system', action: 'person.purge', target: { kind: 'person', id: person.id }, at: now });
        return true;
      });
      if (erased) people.push({ organizationId, personId: person.id, purgeAfter: person.purge_after! });
    }
  }
  if (!options.dryRun && people.length) await flushErased(db);
  return { dryRun: Boolean(options.dryRun), people };
}

// ---------------------------------------------------------------------------------------
// Export (right of access)

export interface PersonExport {
  format: 'relais-person-export/1';
  exportedAt: string;
  association: string;
  person: {
    id: string;
    status: string;
    pseudonym: string;
    realName: string | null;
    profile: PersonProfile;
    openedAt: string;
    closedAt: string | null;
    closedReason: string | null;
    purgeAfter: string | null;
  };
  consents: Array<{ scopes: ConsentScope[]; retentionMonths: number; language: string; givenAt: string; explainedBy: string; withdrawnAt: string | null }>;
  /** Who accompanies her, by role (a helper's identity is not her data). */
  helpers: Array<{ role: string; assignedAt: string }>;
  /** Emergency openings of her record by a coordinator, with the reason written then. */
  accesses: Array<{ role: string; openedAt: string; expiresAt: string; reason: string }>;
  procedures: Array<{
    id: string;
    kind: string;
    state: string;
    openedAt: string;
    steps: Array<{ transition: string; at: string; fields: Record<string, string>; note: string | null; recordedAt: string; recordedBy: string }>;
  }>;
  deadlines: Array<{ procedureId: string; key: string; category: string; dueAt: string; closedAt: string | null }>;
  documents: Array<{ name: string; mediaType: string; size: number; uploadedAt: string }>;
  /** Her appointments, cancelled ones too; who went with her and who recorded them, by role. */
  appointments: Array<{ startsAt: string; durationMinutes: number | null; place: string; purpose: string | null; attendee: string; createdAt: string; createdBy: string; cancelledAt: string | null }>;
  /** Who consulted or changed her record and when, by role (the audit log). */
  history: Array<{ at: string; action: string; by: string }>;
}

/**
 * Everything the association holds about her, decrypted, for her right of access (GDPR
 * art. 15): her profile, consents, helpers' roles, emergency accesses, procedures with
 * their steps and notes, deadlines, the list of her documents (not their content: she
 * downloads those one by one) and the history of consultations. Audited (`person.export`).
 * The route asks her to prove who she is first. Throws `forbidden`, `not_found`.
 */
export async function exportPerson(ctx: CaseContext, personId: string): Promise<PersonExport> {
  requireRole(ctx.who, 'case.export');
  const now = ctx.now ?? new Date();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const org = ctx.who.organizationId;
    const person = await loadVisible(trx, ctx, personId);
    const orgKey = await dataKeyOf(trx, ctx.masterKey, org);
    const key = personKeyOf(orgKey, person);
    const organization = await trx.selectFrom('organization').select('name').where('id', '=', org).executeTakeFirstOrThrow();
    const roles = new Map((await trx.selectFrom('person_account').select(['id', 'role']).where('organization_id', '=', org).execute()).map((a) => [a.id, a.role]));
    const roleOf = (id: string) => roles.get(id) ?? (id === 'cli' ? 'operator' : id === 'system' ? 'system' : 'unknown');

    const consents = await listConsents(trx, org, person.id);
    const assignments = await listAssignments(trx, org, person.id);
    const accesses = await trx.selectFrom('case_access').selectAll().where('organization_id', '=', org).where('person_id', '=', person.id).orderBy('opened_at').execute();
    const procedures = await listProcedures(trx, org, person.id);
    const procedureIds = procedures.map((p) => p.id);
    const steps = procedureIds.length
      ? await trx.selectFrom('case_step').selectAll().where('organization_id', '=', org).where('procedure_id', 'in', procedureIds).orderBy('seq').execute()
      : [];
    const deadlines = await listDeadlinesOfPerson(trx, org, person.id);
    const documents = await trx
      .selectFrom('case_document')
      .select(['id', 'media_type', 'size', 'name_encrypted', 'uploaded_at'])
      .where('organization_id', '=', org)
      .where('person_id', '=', person.id)
      .orderBy('uploaded_at')
      .execute();
    const appointments = await listAppointmentsOfPerson(trx, org, person.id, { withCancelled: true });
    const targets = [person.id, ...procedureIds, ...documents.map((d) => d.id), ...appointments.map((a) => a.id)];
    const history = await trx
      .selectFrom('audit_entry')
      .select(['at', 'action', 'actor_id'])
      .where('chain', '=', org)
      .where('target_id', 'in', targets)
      .orderBy('seq')
      .limit(5000)
      .execute();

    await appendAudit(trx, { organizationId: org, actorId: ctx.who.accountId, action: 'person.export', target: { kind: 'person', id: person.id }, at: now });
    return {
      format: 'relais-person-export/1',
      exportedAt: now.toISOString(),
      association: organization.name,
      person: {
        id: person.id,
        status: person.status,
        pseudonym: decryptField(key, person.pseudonym_encrypted!, field(person.id, 'pseudonym')),
        realName: person.real_name_encrypted ? decryptField(key, person.real_name_encrypted, field(person.id, 'real_name')) : null,
        profile: JSON.parse(decryptField(key, person.profile_encrypted!, field(person.id, 'profile'))) as PersonProfile,
        openedAt: person.created_at,
        closedAt: person.closed_at,
        closedReason: person.closed_reason ?? null,
        purgeAfter: person.purge_after
      },
      consents: consents.map((c) => ({ scopes: parseScopes(c.scopes), retentionMonths: Number(c.retention_months), language: c.language, givenAt: c.given_at, explainedBy: roleOf(c.explained_by), withdrawnAt: c.withdrawn_at })),
      helpers: assignments.map((a) => ({ role: roleOf(a.account_id), assignedAt: a.assigned_at })),
      accesses: accesses.map((a) => ({ role: roleOf(a.account_id), openedAt: a.opened_at, expiresAt: a.expires_at, reason: decryptField(orgKey, a.reason_encrypted, field(a.id, 'reason', 'case_access')) })),
      procedures: procedures.map((p) => ({
        id: p.id,
        kind: p.kind,
        state: p.state,
        openedAt: p.opened_at,
        steps: steps
          .filter((s) => s.procedure_id === p.id)
          .map((s) => ({
            transition: s.transition,
            at: s.at,
            fields: JSON.parse(s.fields_json) as Record<string, string>,
            note: s.note_encrypted ? decryptField(key, s.note_encrypted, field(s.id, 'note', 'case_step')) : null,
            recordedAt: s.recorded_at,
            recordedBy: roleOf(s.recorded_by)
          }))
      })),
      deadlines: deadlines.map((d) => ({ procedureId: d.procedure_id, key: d.key, category: d.category, dueAt: d.due_at, closedAt: d.closed_at })),
      documents: documents.map((d) => ({ name: decryptField(key, d.name_encrypted, field(d.id, 'name', 'case_document')), mediaType: d.media_type, size: Number(d.size), uploadedAt: d.uploaded_at })),
      appointments: appointments.map((a) => ({
        startsAt: a.starts_at,
        durationMinutes: a.duration_minutes === null ? null : Number(a.duration_minutes),
        place: decryptField(key, a.place_encrypted, field(a.id, 'place', 'case_appointment')),
        purpose: a.purpose_encrypted ? decryptField(key, a.purpose_encrypted, field(a.id, 'purpose', 'case_appointment')) : null,
        attendee: roleOf(a.attendee_id),
        createdAt: a.created_at,
        createdBy: roleOf(a.created_by),
        cancelledAt: a.cancelled_at
      })),
      history: history.map((h) => ({ at: h.at, action: h.action, by: roleOf(h.actor_id) }))
    };
  });
}

/** Her pseudonym and status, for the pages that ask before acting (export, erasure); not audited: nothing else is shown. */
export async function personSummary(ctx: CaseContext, personId: string, action: 'case.export' | 'case.erase'): Promise<{ id: string; pseudonym: string; status: string; scopes: ConsentScope[] }> {
  requireRole(ctx.who, action);
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    return {
      id: person.id,
      pseudonym: decryptField(key, person.pseudonym_encrypted!, field(person.id, 'pseudonym')),
      status: person.status,
      scopes: activeScopes(await listConsents(trx, ctx.who.organizationId, person.id))
    };
  });
}
