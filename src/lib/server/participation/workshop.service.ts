/**
 * Workshops (issue 7): when and where, the format, the facilitators, the services offered
 * (interpretation and its languages, childcare, transport refund, meal), an optional
 * consultation; attendance by a short code given at the door (stored as a keyed hash, shown
 * to the facilitator when made or renewed) or ticked by a facilitator; minutes (encrypted).
 * Attendance adds the workshop's duration to what the member is owed (pay.service.ts).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import type { Database, WorkshopTable } from '../db/schema';
import { appendAudit } from '../audit/audit';
import { decryptField, deriveFromMasterKey, encryptField } from '../crypto/envelope';
import { inTenant } from '../db/tenant';
import { dataKeyOf } from '../accounts/organization.service';
import { parisDateKey } from '../../time/paris-time';
import { isMemberLanguage, nowOf, pseudonymsOf, requirePolicy, type ParticipationContext } from './context';
import { addAutomaticEntry, removeAutomaticEntry } from './pay.service';

export const WORKSHOP_FORMATS = ['debate', 'film_debate', 'drafting', 'training', 'other'] as const;
export type WorkshopFormat = (typeof WORKSHOP_FORMATS)[number];

export interface WorkshopServices {
  /** Languages interpreted; empty: no interpretation. */
  interpretation: string[];
  childcare: boolean;
  transport: boolean;
  meal: boolean;
}

export interface WorkshopInput {
  title: string;
  startsAt: Date;
  durationMinutes: number;
  place: string;
  format: string;
  facilitatorIds: string[];
  services: WorkshopServices;
  consultationId: string | null;
}

export interface WorkshopSummary {
  id: string;
  title: string;
  startsAt: string;
  durationMinutes: number;
  place: string;
  format: WorkshopFormat;
  services: WorkshopServices;
  consultationId: string | null;
  cancelledAt: string | null;
  present: number;
}

/** 6 characters without 0/O, 1/I, to write on a board. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function newAttendanceCode(): string {
  return [...randomBytes(6)].map((b) => CODE_ALPHABET[b & 31]).join('');
}

/** Keyed hash of a door code, bound to its workshop (the same code in two workshops differs). */
export function attendanceCodeHash(masterKey: Buffer, workshopId: string, code: string): string {
  const key = deriveFromMasterKey(masterKey, 'workshop-attendance-code', Buffer.from('relais'));
  return createHmac('sha256', key).update(`${workshopId}:${code.toUpperCase().replace(/[\s-]/g, '')}`).digest('hex');
}

function servicesOf(json: string): WorkshopServices {
  try {
    const v = JSON.parse(json) as Partial<WorkshopServices>;
    return { interpretation: Array.isArray(v.interpretation) ? v.interpretation.filter((l): l is string => typeof l === 'string') : [], childcare: v.childcare === true, transport: v.transport === true, meal: v.meal === true };
  } catch {
    return { interpretation: [], childcare: false, transport: false, meal: false };
  }
}

function summaryOf(r: WorkshopTable, present: number): WorkshopSummary {
  return {
    id: r.id,
    title: r.title,
    startsAt: r.starts_at,
    durationMinutes: r.duration_minutes,
    place: r.place,
    format: r.format as WorkshopFormat,
    services: servicesOf(r.services_json),
    consultationId: r.consultation_id,
    cancelledAt: r.cancelled_at,
    present
  };
}

async function counts(trx: Kysely<Database>, organizationId: string): Promise<Map<string, number>> {
  const rows = await trx.selectFrom('workshop_attendance').select('workshop_id').where('organization_id', '=', organizationId).execute();
  const map = new Map<string, number>();
  for (const r of rows) map.set(r.workshop_id, (map.get(r.workshop_id) ?? 0) + 1);
  return map;
}

/** The staff accounts who may facilitate (anyone but members and observers), with their emails. */
export async function facilitatorChoices(ctx: ParticipationContext): Promise<Array<{ accountId: string; email: string }>> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  const rows = await inTenant(ctx.db, organizationId, (trx) =>
    trx.selectFrom('person_account').select(['id', 'email_encrypted']).where('organization_id', '=', organizationId).where('status', '=', 'active').where('role', 'not in', ['member', 'observer']).orderBy('created_at').execute()
  );
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  return rows.map((r) => ({ accountId: r.id, email: decryptField(key, r.email_encrypted, { table: 'person_account', column: 'email_encrypted', rowId: r.id }) }));
}

/** The organization's consultations (id, title) a workshop can be linked to. */
export async function consultationChoices(ctx: ParticipationContext): Promise<Array<{ id: string; title: string }>> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  return inTenant(ctx.db, organizationId, (trx) => trx.selectFrom('consultation').select(['id', 'title']).where('organization_id', '=', organizationId).orderBy('created_at', 'desc').execute());
}

/**
 * Plans a workshop and makes its door code (returned once: only its hash is kept). Throws
 * `invalid_input` (title, place, duration, format, facilitators, services, consultation).
 */
export async function createWorkshop(ctx: ParticipationContext, input: WorkshopInput): Promise<{ id: string; code: string }> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const title = input.title.trim();
  const place = input.place.trim();
  if (title.length < 1 || title.length > 200) throw new DomainError('invalid_input', 'title');
  if (place.length < 1 || place.length > 300) throw new DomainError('invalid_input', 'place');
  if (!(input.startsAt instanceof Date) || Number.isNaN(input.startsAt.getTime())) throw new DomainError('invalid_input', 'starts_at');
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes > 1440) throw new DomainError('invalid_input', 'duration');
  if (!(WORKSHOP_FORMATS as readonly string[]).includes(input.format)) throw new DomainError('invalid_input', 'format');
  if (!input.services.interpretation.every(isMemberLanguage)) throw new DomainError('invalid_input', 'interpretation');
  const { organizationId } = ctx.who;
  const allowed = new Set((await facilitatorChoices(ctx)).map((f) => f.accountId));
  const facilitators = [...new Set(input.facilitatorIds)];
  if (facilitators.some((f) => !allowed.has(f))) throw new DomainError('invalid_input', 'facilitators');
  const id = randomUUID();
  const code = newAttendanceCode();
  await inTenant(ctx.db, organizationId, async (trx) => {
    if (input.consultationId) {
      const c = await trx.selectFrom('consultation').select('id').where('organization_id', '=', organizationId).where('id', '=', input.consultationId).executeTakeFirst();
      if (!c) throw new DomainError('invalid_input', 'consultation');
    }
    await trx
      .insertInto('workshop')
      .values({
        id,
        organization_id: organizationId,
        consultation_id: input.consultationId,
        title,
        starts_at: input.startsAt.toISOString(),
        duration_minutes: input.durationMinutes,
        place,
        format: input.format,
        facilitators_json: JSON.stringify(facilitators),
        services_json: JSON.stringify(input.services),
        attendance_code_hash: attendanceCodeHash(ctx.masterKey, id, code),
        minutes_encrypted: null,
        created_by: ctx.who.accountId,
        created_at: nowOf(ctx).toISOString(),
        cancelled_at: null
      })
      .execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.workshop.create', target: { kind: 'workshop', id }, at: nowOf(ctx) });
  });
  return { id, code };
}

/** Every workshop, newest first, with how many were present. */
export async function listWorkshops(ctx: ParticipationContext): Promise<WorkshopSummary[]> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  return inTenant(ctx.db, organizationId, async (trx) => {
    const rows = await trx.selectFrom('workshop').selectAll().where('organization_id', '=', organizationId).orderBy('starts_at', 'desc').execute();
    const present = await counts(trx, organizationId);
    return rows.map((r) => summaryOf(r, present.get(r.id) ?? 0));
  });
}

async function requireWorkshop(trx: Kysely<Database>, organizationId: string, id: string): Promise<WorkshopTable> {
  const row = await trx.selectFrom('workshop').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'no such workshop');
  return row;
}

export interface WorkshopDetail extends WorkshopSummary {
  facilitators: Array<{ accountId: string; email: string }>;
  minutes: string;
  /** Members of the group (current), present or not, by pseudonym. */
  members: Array<{ accountId: string; pseudonym: string; present: boolean; method: string | null }>;
}

/** A workshop for its facilitator page. Throws `not_found`. */
export async function workshopDetail(ctx: ParticipationContext, id: string): Promise<WorkshopDetail> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  const { row, attendance, members } = await inTenant(ctx.db, organizationId, async (trx) => ({
    row: await requireWorkshop(trx, organizationId, id),
    attendance: await trx.selectFrom('workshop_attendance').selectAll().where('organization_id', '=', organizationId).where('workshop_id', '=', id).execute(),
    members: await trx.selectFrom('participation_member').selectAll().where('organization_id', '=', organizationId).execute()
  }));
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  const names = await pseudonymsOf(ctx.db, ctx.masterKey, organizationId, members);
  const choices = await facilitatorChoices(ctx);
  const ids = JSON.parse(row.facilitators_json) as string[];
  const byAccount = new Map(attendance.map((a) => [a.account_id, a]));
  return {
    ...summaryOf(row, attendance.length),
    facilitators: choices.filter((c) => ids.includes(c.accountId)),
    minutes: row.minutes_encrypted ? decryptField(key, row.minutes_encrypted, { table: 'workshop', column: 'minutes_encrypted', rowId: row.id }) : '',
    members: members
      .filter((m) => m.left_at === null || byAccount.has(m.account_id))
      .map((m) => ({ accountId: m.account_id, pseudonym: names.get(m.account_id)!, present: byAccount.has(m.account_id), method: byAccount.get(m.account_id)?.method ?? null }))
      .sort((a, b) => a.pseudonym.localeCompare(b.pseudonym))
  };
}

/** A new door code for the workshop (the old one stops working); returned once. Throws `not_found`, `conflict` (cancelled). */
export async function renewAttendanceCode(ctx: ParticipationContext, id: string): Promise<string> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  const code = newAttendanceCode();
  await inTenant(ctx.db, organizationId, async (trx) => {
    const row = await requireWorkshop(trx, organizationId, id);
    if (row.cancelled_at) throw new DomainError('conflict', 'cancelled');
    await trx.updateTable('workshop').set({ attendance_code_hash: attendanceCodeHash(ctx.masterKey, id, code) }).where('organization_id', '=', organizationId).where('id', '=', id).execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.workshop.code', target: { kind: 'workshop', id }, at: nowOf(ctx) });
  });
  return code;
}

async function addAttendance(trx: Kysely<Database>, input: { organizationId: string; workshop: WorkshopTable; accountId: string; method: 'code' | 'facilitator'; by: string; now: Date }): Promise<boolean> {
  const existing = await trx
    .selectFrom('workshop_attendance')
    .select('account_id')
    .where('organization_id', '=', input.organizationId)
    .where('workshop_id', '=', input.workshop.id)
    .where('account_id', '=', input.accountId)
    .executeTakeFirst();
  if (existing) return false;
  await trx
    .insertInto('workshop_attendance')
    .values({ organization_id: input.organizationId, workshop_id: input.workshop.id, account_id: input.accountId, checked_in_at: input.now.toISOString(), method: input.method, recorded_by: input.by })
    .execute();
  await addAutomaticEntry(trx, {
    organizationId: input.organizationId,
    accountId: input.accountId,
    kind: 'attendance',
    workshopId: input.workshop.id,
    workedOn: parisDateKey(new Date(input.workshop.starts_at)),
    minutes: input.workshop.duration_minutes,
    by: input.by,
    at: input.now.toISOString()
  });
  await appendAudit(trx, { organizationId: input.organizationId, actorId: input.by, action: 'participation.attendance.add', target: { kind: 'workshop', id: input.workshop.id }, at: input.now });
  return true;
}

/** How far from its start a workshop's door code works: from 6 hours before to 24 hours after. */
const CHECK_IN_BEFORE_MS = 6 * 3600_000;
const CHECK_IN_AFTER_MS = 24 * 3600_000;

/**
 * A member checks in with the code given at the door. The code is tried against the
 * workshops (not cancelled) starting between 24 hours ago and 6 hours from now. A second
 * check-in changes nothing (`already: true`). Throws `invalid_input` for a wrong code.
 */
export async function checkIn(ctx: ParticipationContext, typed: string): Promise<{ workshopId: string; title: string; already: boolean }> {
  requirePolicy(ctx.who, 'participation.take_part');
  const { organizationId } = ctx.who;
  const now = nowOf(ctx);
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[A-Z0-9]{6}$/.test(code)) throw new DomainError('invalid_input', 'code');
  return inTenant(ctx.db, organizationId, async (trx) => {
    const member = await trx.selectFrom('participation_member').select('left_at').where('organization_id', '=', organizationId).where('account_id', '=', ctx.who.accountId).executeTakeFirst();
    if (!member || member.left_at) throw new DomainError('forbidden', 'not a member');
    const candidates = await trx
      .selectFrom('workshop')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('cancelled_at', 'is', null)
      .where('starts_at', '>=', new Date(now.getTime() - CHECK_IN_AFTER_MS).toISOString())
      .where('starts_at', '<=', new Date(now.getTime() + CHECK_IN_BEFORE_MS).toISOString())
      .execute();
    const workshop = candidates.find((w) => w.attendance_code_hash !== null && w.attendance_code_hash === attendanceCodeHash(ctx.masterKey, w.id, code));
    if (!workshop) throw new DomainError('invalid_input', 'code');
    const added = await addAttendance(trx, { organizationId, workshop, accountId: ctx.who.accountId, method: 'code', by: ctx.who.accountId, now });
    return { workshopId: workshop.id, title: workshop.title, already: !added };
  });
}

/** A facilitator ticks a member present (again: nothing changes). Throws `not_found` (workshop, member), `conflict` (cancelled). */
export async function markPresent(ctx: ParticipationContext, input: { workshopId: string; accountId: string }): Promise<void> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    const workshop = await requireWorkshop(trx, organizationId, input.workshopId);
    if (workshop.cancelled_at) throw new DomainError('conflict', 'cancelled');
    const member = await trx.selectFrom('participation_member').select('account_id').where('organization_id', '=', organizationId).where('account_id', '=', input.accountId).executeTakeFirst();
    if (!member) throw new DomainError('not_found', 'no such member');
    await addAttendance(trx, { organizationId, workshop, accountId: input.accountId, method: 'facilitator', by: ctx.who.accountId, now: nowOf(ctx) });
  });
}

/** Removes an attendance (a mistake) and the pay entry it made. Throws `not_found`. */
export async function removeAttendance(ctx: ParticipationContext, input: { workshopId: string; accountId: string }): Promise<void> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    await requireWorkshop(trx, organizationId, input.workshopId);
    const removed = await trx.deleteFrom('workshop_attendance').where('organization_id', '=', organizationId).where('workshop_id', '=', input.workshopId).where('account_id', '=', input.accountId).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw new DomainError('not_found', 'no such attendance');
    await removeAutomaticEntry(trx, { organizationId, accountId: input.accountId, workshopId: input.workshopId });
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.attendance.remove', target: { kind: 'workshop', id: input.workshopId }, at: nowOf(ctx) });
  });
}

/** Saves the minutes (encrypted under the organization's key). Throws `not_found`, `invalid_input` (over 50 000 characters). */
export async function saveMinutes(ctx: ParticipationContext, input: { workshopId: string; minutes: string }): Promise<void> {
  requirePolicy(ctx.who, 'participation.facilitate');
  if (input.minutes.length > 50_000) throw new DomainError('invalid_input', 'minutes');
  const { organizationId } = ctx.who;
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  await inTenant(ctx.db, organizationId, async (trx) => {
    await requireWorkshop(trx, organizationId, input.workshopId);
    const text = input.minutes.trim();
    await trx
      .updateTable('workshop')
      .set({ minutes_encrypted: text ? encryptField(key, text, { table: 'workshop', column: 'minutes_encrypted', rowId: input.workshopId }) : null })
      .where('organization_id', '=', organizationId)
      .where('id', '=', input.workshopId)
      .execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.workshop.minutes', target: { kind: 'workshop', id: input.workshopId }, at: nowOf(ctx) });
  });
}

/**
 * Cancels a workshop: its door code stops working. Refused (`conflict`) while someone is
 * marked present: remove the attendance first (it is also her pay). Throws `not_found`.
 */
export async function cancelWorkshop(ctx: ParticipationContext, id: string): Promise<void> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    const row = await requireWorkshop(trx, organizationId, id);
    if (row.cancelled_at) return;
    if ((await presentCount(trx, organizationId, id)) > 0) throw new DomainError('conflict', 'attendance');
    await trx.updateTable('workshop').set({ cancelled_at: nowOf(ctx).toISOString(), attendance_code_hash: null }).where('organization_id', '=', organizationId).where('id', '=', id).execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.workshop.cancel', target: { kind: 'workshop', id }, at: nowOf(ctx) });
  });
}

/** The workshops of a consultation (cancelled ones too, marked), oldest first, with the number present. */
export async function workshopsOf(db: Kysely<Database>, organizationId: string, consultationId: string): Promise<WorkshopSummary[]> {
  return inTenant(db, organizationId, async (trx) => {
    const rows = await trx.selectFrom('workshop').selectAll().where('organization_id', '=', organizationId).where('consultation_id', '=', consultationId).orderBy('starts_at').execute();
    const present = await counts(trx, organizationId);
    return rows.map((r) => summaryOf(r, present.get(r.id) ?? 0));
  });
}

/** The account ids of the members present at a workshop (empty for an unknown one). */
export async function attendeesOf(db: Kysely<Database>, organizationId: string, workshopId: string): Promise<string[]> {
  const rows = await inTenant(db, organizationId, (trx) =>
    trx.selectFrom('workshop_attendance').select('account_id').where('organization_id', '=', organizationId).where('workshop_id', '=', workshopId).orderBy('checked_in_at').execute()
  );
  return rows.map((r) => r.account_id);
}

/** How many were present at a workshop (0 for an unknown one). */
export async function presentCount(db: Kysely<Database>, organizationId: string, workshopId: string): Promise<number> {
  return (await attendeesOf(db, organizationId, workshopId)).length;
}

/** Her workshops: coming (not cancelled, not yet over) and those she attended. */
export async function myWorkshops(ctx: ParticipationContext): Promise<{ coming: WorkshopSummary[]; attended: WorkshopSummary[] }> {
  requirePolicy(ctx.who, 'participation.take_part');
  const { organizationId } = ctx.who;
  const now = nowOf(ctx);
  return inTenant(ctx.db, organizationId, async (trx) => {
    const rows = await trx.selectFrom('workshop').selectAll().where('organization_id', '=', organizationId).orderBy('starts_at').execute();
    const mine = new Set((await trx.selectFrom('workshop_attendance').select('workshop_id').where('organization_id', '=', organizationId).where('account_id', '=', ctx.who.accountId).execute()).map((r) => r.workshop_id));
    const present = await counts(trx, organizationId);
    const ends = (r: WorkshopTable) => new Date(r.starts_at).getTime() + r.duration_minutes * 60_000;
    return {
      coming: rows.filter((r) => !r.cancelled_at && ends(r) > now.getTime()).map((r) => summaryOf(r, present.get(r.id) ?? 0)),
      attended: rows.filter((r) => mine.has(r.id)).map((r) => summaryOf(r, present.get(r.id) ?? 0))
    };
  });
}

/** Open consultations for her home: those with a phase open (title, requester, deadline, phase). */
export async function openConsultations(ctx: ParticipationContext): Promise<Array<{ id: string; title: string; requester: string; deadline: string | null; phase: string }>> {
  requirePolicy(ctx.who, 'participation.take_part');
  const { organizationId } = ctx.who;
  const rows = await inTenant(ctx.db, organizationId, (trx) =>
    trx.selectFrom('consultation').select(['id', 'title', 'requester', 'deadline', 'phase']).where('organization_id', '=', organizationId).where('phase', 'is not', null).orderBy('created_at', 'desc').execute()
  );
  return rows.map((r) => ({ id: r.id, title: r.title, requester: r.requester, deadline: r.deadline, phase: r.phase! }));
}
