/**
 * Appointments with her (issue 6: "Appointments with date, place, who; a week view"): when,
 * for how long, where, what for, and which staff account goes with her. Stored in
 * `case_appointment`; the place and the purpose are encrypted under HER key (the one
 * erasing her destroys), bound to the appointment's table, column and id.
 *
 * Who may see, add and cancel them is decided like her record: the role first
 * (`person.policy.ts`: coordinators, social workers, peer helpers and lawyers; admins,
 * members and observers never), then the record's visibility predicate (the people
 * assigned to her, a coordinator through a broken glass). A record she may not see is
 * `not_found`. Adding and cancelling are audited (ids only); the week view is audited as
 * one entry naming the week.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { DomainError } from '../../errors';
import { addParisDays, fromParis, parisDateKey, parseDateKey } from '../../time/paris-time';
import { daysOf, formatIsoWeek, parisWeekBounds, type IsoWeek } from '../../time/iso-week';
import type { Role } from '../accounts/roles';
import { readAccountEmail } from '../accounts/account.service';
import { dataKeyOf } from '../accounts/organization.service';
import { appendAudit } from '../audit/audit';
import { decryptField, encryptField } from '../crypto/envelope';
import type { CaseAppointmentTable, Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { HELPER_ROLES } from './person.policy';
import { field, loadVisible, personKeyOf, requireRole, type CaseContext } from './person.service';
import { insertAppointment, listAppointmentsOfPerson, listVisibleAppointmentsBetween, markAppointmentCancelled } from './appointment.repository';
import { listOpenDeadlinesDue } from './person.repository';

/** Longest place and purpose, in characters. */
export const APPOINTMENT_TEXT_MAX = 200;
/** Shortest and longest duration, in minutes. */
export const DURATION_MIN = 5;
export const DURATION_MAX = 720;
/** How far ahead an appointment may be set. */
const MAX_DAYS_AHEAD = 2 * 366;
/** A week shows at most this many appointments and this many deadlines. */
const WEEK_LIMIT = 500;

export interface AddAppointmentInput {
  startsAt: Date;
  durationMinutes: number | null;
  place: string;
  purpose: string | null;
  /** The staff account going with her: one who may see her record. */
  attendeeId: string;
}

/** Input refused on one field; `key` is the message she reads, `field` the form field it names. */
export class AppointmentRefusedError extends DomainError {
  constructor(
    readonly field: 'appointment_date' | 'appointment_time' | 'duration' | 'place' | 'purpose' | 'attendee',
    readonly key: string
  ) {
    super('invalid_input', `appointment refused: ${field}`);
  }
}

export interface Attendee {
  accountId: string;
  email: string;
  role: Role;
}

export interface AppointmentView {
  id: string;
  startsAt: string;
  durationMinutes: number | null;
  place: string;
  purpose: string | null;
  attendee: Attendee | null;
  cancelledAt: string | null;
}

const placeField = (id: string) => field(id, 'place', 'case_appointment');
const purposeField = (id: string) => field(id, 'purpose', 'case_appointment');

/**
 * The active staff accounts who may see her record now and can go with her: her assigned
 * helpers, and whoever has a live broken glass on it.
 */
async function attendeesOf(trx: Transaction<Database>, ctx: CaseContext, personId: string, nowIso: string): Promise<Attendee[]> {
  const org = ctx.who.organizationId;
  const assigned = await trx.selectFrom('case_assignment').select('account_id').where('organization_id', '=', org).where('person_id', '=', personId).execute();
  const glass = await trx
    .selectFrom('case_access')
    .select('account_id')
    .where('organization_id', '=', org)
    .where('person_id', '=', personId)
    .where('expires_at', '>', nowIso)
    .execute();
  const ids = [...new Set([...assigned, ...glass].map((r) => r.account_id))];
  if (ids.length === 0) return [];
  const accounts = await trx
    .selectFrom('person_account')
    .selectAll()
    .where('organization_id', '=', org)
    .where('id', 'in', ids)
    .where('status', '=', 'active')
    .where('role', 'in', [...HELPER_ROLES])
    .orderBy('created_at')
    .execute();
  return Promise.all(accounts.map(async (a) => ({ accountId: a.id, email: await readAccountEmail(trx, ctx.masterKey, a), role: a.role as Role })));
}

function checkInput(input: AddAppointmentInput, now: Date): void {
  const starts = input.startsAt instanceof Date ? input.startsAt.getTime() : NaN;
  if (!Number.isFinite(starts)) throw new AppointmentRefusedError('appointment_date', 'case.appointment.error.date');
  const today = parisDateKey(now);
  if (parisDateKey(input.startsAt) < today) throw new AppointmentRefusedError('appointment_date', 'case.appointment.error.past');
  if (parisDateKey(input.startsAt) > addParisDays(today, MAX_DAYS_AHEAD)) throw new AppointmentRefusedError('appointment_date', 'case.appointment.error.too_far');
  if (input.durationMinutes !== null && (!Number.isInteger(input.durationMinutes) || input.durationMinutes < DURATION_MIN || input.durationMinutes > DURATION_MAX)) {
    throw new AppointmentRefusedError('duration', 'case.appointment.error.duration');
  }
  const place = input.place.trim();
  if (place === '') throw new AppointmentRefusedError('place', 'case.appointment.error.place');
  if (place.length > APPOINTMENT_TEXT_MAX) throw new AppointmentRefusedError('place', 'case.form.error.too_long');
  if (input.purpose !== null && input.purpose.trim().length > APPOINTMENT_TEXT_MAX) throw new AppointmentRefusedError('purpose', 'case.form.error.too_long');
}

/**
 * Her appointments from today (Paris) on, cancelled ones left out, and the staff who may go
 * with her (for the form). Shown on her page, whose view `readPerson` audits: not audited
 * again. Throws `forbidden`, `not_found`.
 */
export async function listAppointments(ctx: CaseContext, personId: string): Promise<{ upcoming: AppointmentView[]; attendees: Attendee[] }> {
  requireRole(ctx.who, 'case.read');
  const now = ctx.now ?? new Date();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    const { year, month, day } = parseDateKey(parisDateKey(now))!;
    const todayStarts = fromParis({ year, month, day, hour: 0, minute: 0 }).toISOString();
    const rows = await listAppointmentsOfPerson(trx, ctx.who.organizationId, person.id, { fromIso: todayStarts });
    const attendees = await attendeesOf(trx, ctx, person.id, now.toISOString());
    const others = await otherAttendees(trx, ctx, rows, attendees);
    return { upcoming: rows.map((r) => viewOf(key, r, [...attendees, ...others])), attendees };
  });
}

/** Accounts named by appointments that are no longer among her helpers (still shown by email). */
async function otherAttendees(trx: Transaction<Database>, ctx: CaseContext, rows: ReadonlyArray<{ attendee_id: string }>, known: readonly Attendee[]): Promise<Attendee[]> {
  const missing = [...new Set(rows.map((r) => r.attendee_id))].filter((id) => !known.some((a) => a.accountId === id));
  if (missing.length === 0) return [];
  const accounts = await trx.selectFrom('person_account').selectAll().where('organization_id', '=', ctx.who.organizationId).where('id', 'in', missing).execute();
  return Promise.all(accounts.map(async (a) => ({ accountId: a.id, email: await readAccountEmail(trx, ctx.masterKey, a), role: a.role as Role })));
}

function viewOf(key: Buffer, r: CaseAppointmentTable, attendees: readonly Attendee[]): AppointmentView {
  return {
    id: r.id,
    startsAt: r.starts_at,
    durationMinutes: r.duration_minutes === null ? null : Number(r.duration_minutes),
    place: decryptField(key, r.place_encrypted, placeField(r.id)),
    purpose: r.purpose_encrypted ? decryptField(key, r.purpose_encrypted, purposeField(r.id)) : null,
    attendee: attendees.find((a) => a.accountId === r.attendee_id) ?? null,
    cancelledAt: r.cancelled_at
  };
}

/**
 * Adds an appointment to her open record: place and purpose encrypted under her key; the
 * attendee must be a staff account who may see her. Audited (`appointment.add`).
 * Throws `AppointmentRefusedError` (a field to correct: nothing is saved), `forbidden`,
 * `not_found`, `conflict` (her record is closed).
 */
export async function addAppointment(ctx: CaseContext, personId: string, input: AddAppointmentInput): Promise<{ id: string }> {
  requireRole(ctx.who, 'case.write');
  const now = ctx.now ?? new Date();
  checkInput(input, now);
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    if (person.status !== 'open') throw new DomainError('conflict', 'record closed');
    const attendees = await attendeesOf(trx, ctx, person.id, now.toISOString());
    if (!attendees.some((a) => a.accountId === input.attendeeId)) throw new AppointmentRefusedError('attendee', 'case.appointment.error.attendee');
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    const id = randomUUID();
    const purpose = input.purpose?.trim() || null;
    await insertAppointment(trx, {
      id,
      organization_id: ctx.who.organizationId,
      person_id: person.id,
      starts_at: input.startsAt.toISOString(),
      duration_minutes: input.durationMinutes,
      place_encrypted: encryptField(key, input.place.trim(), placeField(id)),
      purpose_encrypted: purpose === null ? null : encryptField(key, purpose, purposeField(id)),
      attendee_id: input.attendeeId,
      created_by: ctx.who.accountId,
      created_at: now.toISOString(),
      cancelled_at: null,
      cancelled_by: null
    });
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'appointment.add', target: { kind: 'appointment', id }, at: now });
    return { id };
  });
}

/**
 * Cancels one of her appointments (it stays in her record, marked cancelled, until her
 * record is erased). Audited (`appointment.cancel`). An appointment of another person, or
 * one already cancelled, is `not_found`. Throws `forbidden`, `not_found`.
 */
export async function cancelAppointment(ctx: CaseContext, personId: string, appointmentId: string): Promise<void> {
  requireRole(ctx.who, 'case.write');
  const now = ctx.now ?? new Date();
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    if (!(await markAppointmentCancelled(trx, ctx.who.organizationId, person.id, appointmentId, ctx.who.accountId, now.toISOString()))) throw new DomainError('not_found', 'no such appointment');
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'appointment.cancel', target: { kind: 'appointment', id: appointmentId }, at: now });
  });
}

export type WeekItem =
  | { kind: 'appointment'; at: string; personId: string; label: string; id: string; durationMinutes: number | null; place: string; purpose: string | null; attendee: string | null; mine: boolean }
  | { kind: 'deadline'; at: string; personId: string; label: string; procedureId: string; procedureKind: string; key: string; uncertain: boolean };

export interface WeekView {
  week: string;
  /** Monday to Sunday ('YYYY-MM-DD', Paris), each with its items, soonest first. */
  days: Array<{ date: string; items: WeekItem[] }>;
  /** More than the page shows (WEEK_LIMIT of each kind). */
  truncated: boolean;
}

/**
 * Her week (Monday 00:00 to Sunday 24:00, Paris time): the live appointments and the open
 * deadlines of the open records she may see, day by day. People are named by their
 * pseudonym, as on her dashboard ("what needs doing"), never by their real name.
 * Audited as one entry naming the week (`appointment.week_view`). Throws `forbidden`.
 */
export async function weekOf(ctx: CaseContext, week: IsoWeek): Promise<WeekView> {
  requireRole(ctx.who, 'case.read');
  const now = ctx.now ?? new Date();
  const { start, end } = parisWeekBounds(week);
  const viewer = { organizationId: ctx.who.organizationId, accountId: ctx.who.accountId };
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const orgKey = await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId);
    const appointments = await listVisibleAppointmentsBetween(trx, viewer, start.toISOString(), end.toISOString(), now.toISOString(), WEEK_LIMIT);
    // The dashboard's query, bounded on both sides for the week.
    const deadlines = await listOpenDeadlinesDue(trx, viewer.organizationId, viewer, { from: start.toISOString(), before: end.toISOString() }, now.toISOString(), WEEK_LIMIT);
    const keys = new Map<string, Buffer>();
    const keyOf = (personId: string, wrapped: string | null) => {
      if (!keys.has(personId)) keys.set(personId, personKeyOf(orgKey, { id: personId, wrapped_key: wrapped }));
      return keys.get(personId)!;
    };
    const pseudonyms = new Map<string, string>();
    const labelOf = (personId: string, wrapped: string | null, encrypted: string | null) => {
      if (!pseudonyms.has(personId)) pseudonyms.set(personId, decryptField(keyOf(personId, wrapped), encrypted!, field(personId, 'pseudonym')));
      return pseudonyms.get(personId)!;
    };
    const attendeeIds = [...new Set(appointments.map((a) => a.attendee_id))];
    const accounts = attendeeIds.length ? await trx.selectFrom('person_account').selectAll().where('organization_id', '=', ctx.who.organizationId).where('id', 'in', attendeeIds).execute() : [];
    const emails = new Map(await Promise.all(accounts.map(async (a) => [a.id, await readAccountEmail(trx, ctx.masterKey, a)] as const)));

    const items: WeekItem[] = [
      ...appointments.map((a): WeekItem => {
        const key = keyOf(a.person_id, a.wrapped_key);
        return {
          kind: 'appointment',
          at: a.starts_at,
          personId: a.person_id,
          label: labelOf(a.person_id, a.wrapped_key, a.pseudonym_encrypted),
          id: a.id,
          durationMinutes: a.duration_minutes === null ? null : Number(a.duration_minutes),
          place: decryptField(key, a.place_encrypted, placeField(a.id)),
          purpose: a.purpose_encrypted ? decryptField(key, a.purpose_encrypted, purposeField(a.id)) : null,
          attendee: emails.get(a.attendee_id) ?? null,
          mine: a.attendee_id === ctx.who.accountId
        };
      }),
      ...deadlines.map(
        (d): WeekItem => ({
          kind: 'deadline',
          at: d.due_at,
          personId: d.person_id,
          label: labelOf(d.person_id, d.wrapped_key, d.pseudonym_encrypted),
          procedureId: d.procedure_id,
          procedureKind: d.kind,
          key: d.key,
          uncertain: d.uncertain === 1
        })
      )
    ].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.kind.localeCompare(y.kind)));

    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'appointment.week_view', target: { kind: 'week', id: formatIsoWeek(week) }, at: now });
    return {
      week: formatIsoWeek(week),
      days: daysOf(week).map((date) => ({ date, items: items.filter((i) => parisDateKey(new Date(i.at)) === date) })),
      truncated: appointments.length >= WEEK_LIMIT || deadlines.length >= WEEK_LIMIT
    };
  });
}
