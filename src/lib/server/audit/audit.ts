/**
 * The tamper-evident audit log (docs/security.md). Entries hold ids and actions only, never
 * personal data. Each organization has its own hash chain ('instance' for events outside
 * any organization): `hash = SHA-256(prev_hash + canonical JSON of the entry)`, the entry
 * including its position `seq`, so an edited, deleted or reordered entry breaks the chain.
 * `audit_head` keeps each chain's last entry, so cutting the tail is seen too.
 *
 * Tenancy: a chain is its organization's tenant (row-level security and the tenant guard
 * bind `audit_entry` and `audit_head` by `chain`); the instance chain is a tenant of its own
 * (INSTANCE_TENANT). The app's database role may append, never update or delete an entry.
 *
 * What a chain in the same database cannot stop: someone with write access who recomputes
 * every hash after an edit. Shipping the heads off the machine is not done yet.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditEntryTable, Database } from '../db/schema';
import { INSTANCE_TENANT, inTenant } from '../db/tenant';

export const GENESIS_HASH = '0'.repeat(64);
export const INSTANCE_CHAIN = INSTANCE_TENANT;

/** Stable action names: `<thing>.<verb>`, never data. */
export type AuditAction =
  | 'organization.create'
  | 'invitation.create'
  | 'invitation.accept'
  | 'account.disable'
  | 'account.role_change'
  | 'session.end'
  | 'session.sign_in'
  | 'session.sign_in_failed'
  | 'session.sign_out'
  | 'recovery_code.use'
  | 'passkey.register'
  | 'passkey.remove'
  | 'session.reauth'
  | 'session.reauth_failed'
  | 'record.view'
  | 'keys.rotate'
  | 'backup.create'
  | 'backup.restore'
  | 'person.create'
  | 'person.view'
  | 'person.update'
  | 'person.assign'
  | 'person.unassign'
  | 'person.break_glass'
  | 'consent.record'
  | 'consent.withdraw'
  | 'procedure.open'
  | 'procedure.view'
  | 'procedure.step'
  | 'directory_service.create'
  | 'directory_service.update'
  | 'directory_service.verify'
  | 'directory_service.full_notice'
  | 'directory_service.closure'
  | 'directory_service.delete'
  | 'calendar.create'
  | 'calendar.revoke'
  // `relais demo generate`: generated people in an organization (target: the organization).
  | 'demo.generate'

  // Her rights over her data (issue 6): documents, export, closing, erasure and purge.
  | 'document.upload'
  | 'document.download'
  | 'document.delete'
  | 'person.export'
  | 'person.close'
  | 'person.erase'
  | 'person.purge'
  | 'session.confirm'
  | 'session.confirm_failed'

  // Appointments with her (issue 6).
  | 'appointment.add'
  | 'appointment.cancel'
  | 'appointment.week_view'

  // Participation — members, workshops, training, pay (issue 7, p7-members). Targets are
  // accounts, workshops, modules: never a contribution, never a pseudonym.
  | 'participation.member.enrol'
  | 'participation.member.leave'
  | 'participation.sign_in_code.create'
  | 'participation.proxy.start'
  | 'participation.proxy.end'
  | 'participation.training.create'
  | 'participation.training.complete'
  | 'participation.training.uncomplete'
  | 'participation.workshop.create'
  | 'participation.workshop.cancel'
  | 'participation.workshop.code'
  | 'participation.workshop.minutes'
  | 'participation.attendance.add'
  | 'participation.attendance.remove'
  | 'participation.pay.rate'
  | 'participation.pay.entry'
  | 'participation.pay.payment'

  // Consultations and contributions (issue 7). A contribution's entries never name who wrote
  // it: their actor is `member` or `facilitator`, their instant the day (participation/contribution.service.ts).
  | 'consultation.create'
  | 'consultation.update'
  | 'consultation.questions_add'
  | 'consultation.question_choose'
  | 'consultation.phase_open'
  | 'consultation.phase_close'
  | 'contribution.draft'
  | 'contribution.submit'
  | 'contribution.consent'
  | 'contribution.translate'
  | 'contribution.withdraw'
  | 'contribution.transcribe'
  | 'contribution.workshop_batch'
  | 'contribution.confirm'

  // Deliberation (issue 7): themes, statements, recommendations, the submission. Targets are
  // themes, statements, recommendations, questions and consultations — never a member. A
  // member's statement proposal is logged with the actor 'member'; votes are not logged.
  | 'theme.suggest'
  | 'theme.create'
  | 'theme.decide'
  | 'theme.summarise'
  | 'theme.place'
  | 'theme.map'
  | 'statement.propose'
  | 'statement.remove'
  | 'recommendation.draft'
  | 'recommendation.amend'
  | 'recommendation.open_vote'
  | 'recommendation.close_vote'
  | 'recommendation.withdraw'
  | 'submission.settings'
  | 'submission.export'
  | 'submission.submit'
  | 'submission.outcome';

export interface AuditInput {
  organizationId: string | null;
  /** An account id, or `cli` for the operator's command line. */
  actorId: string;
  action: AuditAction;
  target?: { kind: string; id: string };
  at?: Date;
}

export type AuditEntry = Omit<AuditEntryTable, 'prev_hash' | 'hash'>;

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,80}$/;

/** The exact bytes hashed: fixed key order, no whitespace. */
export function canonicalJson(entry: AuditEntry): string {
  return JSON.stringify([
    ['chain', entry.chain],
    ['seq', Number(entry.seq)],
    ['at', entry.at],
    ['organization_id', entry.organization_id],
    ['actor_id', entry.actor_id],
    ['action', entry.action],
    ['target_kind', entry.target_kind],
    ['target_id', entry.target_id]
  ]);
}

export function entryHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalJson(entry), 'utf8').digest('hex');
}

/**
 * Appends one entry to its organization's chain and returns it, in the caller's transaction
 * if it passes one (switched to the chain's tenant for the append), else in its own.
 * Serialized per chain: the writer first writes the chain's head row (a row lock on
 * PostgreSQL, the write lock on SQLite), then reads it. Throws if an id is not an id
 * (personal data must never get into the log through a target id).
 */
export async function appendAudit(db: Kysely<Database>, input: AuditInput): Promise<AuditEntryTable> {
  for (const value of [input.organizationId, input.actorId, input.target?.id, input.target?.kind]) {
    if (value != null && !ID_PATTERN.test(value)) throw new Error('an audit entry holds ids only');
  }
  const chain = input.organizationId ?? INSTANCE_CHAIN;
  return inTenant(db, chain, async (trx) => {
    await trx.insertInto('audit_head').values({ chain, seq: 0, hash: GENESIS_HASH }).onConflict((oc) => oc.column('chain').doNothing()).execute();
    await trx.updateTable('audit_head').set((eb) => ({ seq: eb.ref('seq') })).where('chain', '=', chain).execute();
    const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('chain', '=', chain).executeTakeFirstOrThrow();
    const entry: AuditEntry = {
      chain,
      seq: Number(head.seq) + 1,
      at: (input.at ?? new Date()).toISOString(),
      organization_id: input.organizationId,
      actor_id: input.actorId,
      action: input.action,
      target_kind: input.target?.kind ?? null,
      target_id: input.target?.id ?? null
    };
    const row: AuditEntryTable = { ...entry, prev_hash: head.hash, hash: entryHash(head.hash, entry) };
    await trx.insertInto('audit_entry').values(row).execute();
    await trx.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('chain', '=', chain).execute();
    return row;
  });
}

/**
 * Records that someone saw a record (a person's file in the case tracker, issue 5: "every
 * view of a person's record"). Call it inside the use case's transaction, after the access
 * check, with ids only: `auditView(trx, { organizationId, actorId: who.accountId, target: { kind: 'person', id } })`.
 * Throws like `appendAudit` if a value is not an id.
 */
export async function auditView(db: Kysely<Database>, input: { organizationId: string; actorId: string; target: { kind: string; id: string }; at?: Date }): Promise<AuditEntryTable> {
  return appendAudit(db, { organizationId: input.organizationId, actorId: input.actorId, action: 'record.view', target: input.target, at: input.at });
}

export type AuditProblemKind = 'edited' | 'deleted' | 'reordered';

export interface AuditProblem {
  chain: string;
  /** The position where the chain first breaks. */
  seq: number;
  kind: AuditProblemKind;
  detail: string;
}

export interface AuditReport {
  ok: boolean;
  chains: number;
  entries: number;
  /** The first problem of each broken chain. */
  problems: AuditProblem[];
}

function firstProblem(chain: string, rows: AuditEntryTable[], head: { seq: number; hash: string } | undefined): AuditProblem | null {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < rows.length; i++) {
    const row = { ...rows[i]!, seq: Number(rows[i]!.seq) };
    const expected = i + 1;
    if (entryHash(row.prev_hash, row) !== row.hash) {
      // Would the entry check out at another position? Then it was moved.
      const movedFrom = rows.find((other) => Number(other.seq) !== row.seq && entryHash(row.prev_hash, { ...row, seq: Number(other.seq) }) === row.hash);
      if (movedFrom) return { chain, seq: row.seq, kind: 'reordered', detail: `entry ${row.seq} was written at position ${movedFrom.seq}` };
      return { chain, seq: row.seq, kind: 'edited', detail: `entry ${row.seq} does not match its hash` };
    }
    if (row.seq !== expected) {
      return { chain, seq: expected, kind: 'deleted', detail: `entry ${expected} is missing (next found: ${row.seq})` };
    }
    if (row.prev_hash !== prevHash) {
      return { chain, seq: row.seq, kind: 'edited', detail: `entry ${row.seq} does not follow entry ${row.seq - 1}` };
    }
    prevHash = row.hash;
  }
  const last = rows.length;
  if (!head) return last ? { chain, seq: 1, kind: 'edited', detail: 'the chain has no head' } : null;
  if (Number(head.seq) > last) return { chain, seq: last + 1, kind: 'deleted', detail: `entries ${last + 1}–${head.seq} are missing` };
  if (Number(head.seq) < last || head.hash !== prevHash) return { chain, seq: last, kind: 'edited', detail: 'the chain does not end where its head says' };
  return null;
}

/**
 * Checks one organization's chain from its first entry (the admins' audit page), in its
 * tenant: its first problem, or null when intact, and how many entries were checked.
 */
export async function verifyAuditChain(db: Kysely<Database>, organizationId: string): Promise<{ entries: number; problem: AuditProblem | null }> {
  return inTenant(db, organizationId, async (trx) => {
    const rows = await trx.selectFrom('audit_entry').selectAll().where('chain', '=', organizationId).orderBy('seq').execute();
    const head = await trx.selectFrom('audit_head').selectAll().where('chain', '=', organizationId).executeTakeFirst();
    return { entries: rows.length, problem: firstProblem(organizationId, rows, head) };
  });
}

/**
 * Checks every chain from its first entry — each organization's and the instance's, each
 * read in its own tenant — and reports the first edited, deleted or reordered entry of each.
 * A chain counts when it has an entry or a head.
 */
export async function verifyAudit(db: Kysely<Database>): Promise<AuditReport> {
  const organizations = await db.selectFrom('organization').select('id').execute();
  const tenants = [...organizations.map((o) => o.id), INSTANCE_CHAIN].sort();
  const problems: AuditProblem[] = [];
  let chains = 0;
  let entries = 0;
  for (const chain of tenants) {
    const { rows, head } = await inTenant(db, chain, async (trx) => ({
      rows: await trx.selectFrom('audit_entry').selectAll().where('chain', '=', chain).orderBy('seq').execute(),
      head: await trx.selectFrom('audit_head').selectAll().where('chain', '=', chain).executeTakeFirst()
    }));
    if (!rows.length && !head) continue;
    chains++;
    entries += rows.length;
    const problem = firstProblem(chain, rows, head);
    if (problem) problems.push(problem);
  }
  return { ok: problems.length === 0, chains, entries, problems };
}
