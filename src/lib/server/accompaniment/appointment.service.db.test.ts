import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { domainErrorCode as codeOf, twoOrganizations } from '../../../../tests/support/organizations';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import type { Database } from '../db/schema';
import { fromParis } from '../../time/paris-time';
import { parseIsoWeek } from '../../time/iso-week';
import { assignHelper, openPerson, openProcedure, recordStep, type CaseContext, type OpenPersonInput } from './person.service';
import { addAppointment, AppointmentRefusedError, cancelAppointment, listAppointments, weekOf, type AddAppointmentInput } from './appointment.service';
import { closePerson, erasePerson, exportPerson } from './rights.service';

// Obviously fake and distinctive: finding them in the raw database means a leak.
const PSEUDONYM = 'Quillabee Rendezvous';
const PLACE = 'Fakeville prefecture, window 7';
const PURPOSE = 'Glimmerstone permit renewal';
const NOW = new Date('2026-12-01T09:00:00Z'); // Tuesday 1 December 2026, 10:00 in Paris (week 49)

const paris = (date: string, time: string) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return fromParis({ year, month, day, hour, minute });
};

const person = (pseudonym = PSEUDONYM): OpenPersonInput => ({
  pseudonym,
  realName: 'Orvandine Realname',
  profile: { languages: ['en'], nationality: null, birthYear: null, contactRules: null, referredBy: null, minor: false, inDanger: false, noContactWith: null },
  consent: { scopes: ['procedures', 'identity'], retentionMonths: 24, language: 'en' }
});

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e
  );
}

async function refusalOf(promise: Promise<unknown>): Promise<[string, string]> {
  const error = await failureOf(promise);
  expect(error).toBeInstanceOf(AppointmentRefusedError);
  return [(error as AppointmentRefusedError).field, (error as AppointmentRefusedError).key];
}

describe.each(testDialects())('appointments on %s', (dialect) => {
  const open = freshDatabases(dialect);

  async function setup() {
    const handle = await open();
    const db = handle.db as Kysely<Database>;
    const { masterKey, orgA: orgAId, orgB: orgBId, account } = await twoOrganizations(db, { now: NOW });
    const orgA = { id: orgAId };
    const orgB = { id: orgBId };
    const t = {
      handle,
      orgA: orgA.id,
      social: await account(orgA.id, 'social_worker'),
      coordinator: await account(orgA.id, 'coordinator'),
      peer: await account(orgA.id, 'peer_helper'),
      lawyer: await account(orgA.id, 'lawyer'),
      admin: await account(orgA.id, 'admin'),
      member: await account(orgA.id, 'member'),
      observer: await account(orgA.id, 'observer'),
      other: await account(orgB.id, 'social_worker')
    };
    const { id } = await openPerson(t.social, person());
    return { ...t, personId: id };
  }
  type Setup = Awaited<ReturnType<typeof setup>>;

  const appointment = (t: Setup, overrides: Partial<AddAppointmentInput> = {}): AddAppointmentInput => ({
    startsAt: paris('2026-12-03', '14:30'),
    durationMinutes: 45,
    place: PLACE,
    purpose: PURPOSE,
    attendeeId: t.social.who.accountId,
    ...overrides
  });

  const rows = (t: Setup) => t.handle.raw.selectFrom('case_appointment').selectAll().execute();
  const audited = async (t: Setup, action: string) =>
    (await t.handle.raw.selectFrom('audit_entry').select('target_id').where('chain', '=', t.orgA).where('action', '=', action).execute()).map((e) => e.target_id);

  it('adds an appointment, place and purpose encrypted under her key, lists it on her page and in its week, audited', async () => {
    const t = await setup();
    const { id } = await addAppointment(t.social, t.personId, appointment(t));

    const stored = await rows(t);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id, person_id: t.personId, starts_at: '2026-12-03T13:30:00.000Z', duration_minutes: 45, attendee_id: t.social.who.accountId, created_by: t.social.who.accountId, cancelled_at: null });
    expect(JSON.stringify(stored)).not.toContain(PLACE);
    expect(JSON.stringify(stored)).not.toContain(PURPOSE);

    const mine = await listAppointments(t.social, t.personId);
    expect(mine.upcoming).toEqual([
      { id, startsAt: '2026-12-03T13:30:00.000Z', durationMinutes: 45, place: PLACE, purpose: PURPOSE, attendee: { accountId: t.social.who.accountId, email: 'staff1@example.test', role: 'social_worker' }, cancelledAt: null }
    ]);
    expect(mine.attendees.map((a) => a.accountId)).toEqual([t.social.who.accountId]);

    const week = await weekOf(t.social, parseIsoWeek('2026-W49')!);
    expect(week.week).toBe('2026-W49');
    expect(week.days.map((d) => d.date)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(week.days[3]!.items).toEqual([
      { kind: 'appointment', at: '2026-12-03T13:30:00.000Z', personId: t.personId, label: PSEUDONYM, id, durationMinutes: 45, place: PLACE, purpose: PURPOSE, attendee: 'staff1@example.test', mine: true }
    ]);
    // Never her real name in the week.
    expect(JSON.stringify(week)).not.toContain('Orvandine');
    expect((await weekOf(t.social, parseIsoWeek('2026-W50')!)).days.flatMap((d) => d.items)).toEqual([]);

    expect(await audited(t, 'appointment.add')).toEqual([id]);
    expect(await audited(t, 'appointment.week_view')).toEqual(['2026-W49', '2026-W50']);
  });

  it('places appointments on their Paris day: Sunday 23:30 stays in its week, Monday 00:30 starts the next', async () => {
    const t = await setup();
    const sunday = await addAppointment(t.social, t.personId, appointment(t, { startsAt: paris('2026-12-06', '23:30') }));
    const monday = await addAppointment(t.social, t.personId, appointment(t, { startsAt: paris('2026-12-07', '00:30'), durationMinutes: null, purpose: null }));
    const w49 = await weekOf(t.social, parseIsoWeek('2026-W49')!);
    expect(w49.days[6]!.items.map((i) => i.kind === 'appointment' && i.id)).toEqual([sunday.id]);
    const w50 = await weekOf(t.social, parseIsoWeek('2026-W50')!);
    expect(w50.days[0]!.items).toEqual([expect.objectContaining({ id: monday.id, durationMinutes: null, purpose: null })]);
  });

  it('shows the deadlines of the people she accompanies that fall due that week', async () => {
    const t = await setup();
    const procedure = await openProcedure(t.social, t.personId, 'other');
    await recordStep(t.social, procedure.id, { transition: 'start', at: '2026-12-01', fields: { other_category: 'health', due_date: '2026-12-04' } }, null);
    const week = await weekOf(t.social, parseIsoWeek('2026-W49')!);
    const deadlines = week.days.flatMap((d) => d.items).filter((i) => i.kind === 'deadline');
    expect(deadlines).toEqual([expect.objectContaining({ kind: 'deadline', personId: t.personId, procedureId: procedure.id, procedureKind: 'other', key: 'due_date', label: PSEUDONYM })]);
    expect((await weekOf(t.social, parseIsoWeek('2026-W51')!)).days.flatMap((d) => d.items)).toEqual([]);
  });

  it('cancels an appointment: gone from her page and the week, kept in her export, audited; twice is not found', async () => {
    const t = await setup();
    const { id } = await addAppointment(t.social, t.personId, appointment(t));
    await cancelAppointment(t.social, t.personId, id);
    expect((await listAppointments(t.social, t.personId)).upcoming).toEqual([]);
    expect((await weekOf(t.social, parseIsoWeek('2026-W49')!)).days.flatMap((d) => d.items)).toEqual([]);
    expect(await codeOf(cancelAppointment(t.social, t.personId, id))).toBe('not_found');
    expect((await rows(t))[0]).toMatchObject({ id, cancelled_by: t.social.who.accountId });
    expect(await audited(t, 'appointment.cancel')).toEqual([id]);

    const exported = await exportPerson(t.social, t.personId);
    expect(exported.appointments).toEqual([
      { startsAt: '2026-12-03T13:30:00.000Z', durationMinutes: 45, place: PLACE, purpose: PURPOSE, attendee: 'social_worker', createdAt: NOW.toISOString(), createdBy: 'social_worker', cancelledAt: NOW.toISOString() }
    ]);
    expect(exported.history.map((h) => h.action)).toEqual(expect.arrayContaining(['appointment.add', 'appointment.cancel']));
  });

  it('lets a peer helper or a lawyer assigned to her add one, and choose another of her helpers to go', async () => {
    const t = await setup();
    await assignHelper(t.social, t.personId, t.peer.who.accountId);
    await assignHelper(t.social, t.personId, t.lawyer.who.accountId);
    const byPeer = await addAppointment(t.peer, t.personId, appointment(t, { attendeeId: t.lawyer.who.accountId }));
    await addAppointment(t.lawyer, t.personId, appointment(t, { attendeeId: t.peer.who.accountId }));
    expect((await listAppointments(t.peer, t.personId)).attendees.map((a) => a.role).sort()).toEqual(['lawyer', 'peer_helper', 'social_worker']);
    const lawyerWeek = await weekOf(t.lawyer, parseIsoWeek('2026-W49')!);
    expect(lawyerWeek.days[3]!.items.find((i) => i.kind === 'appointment' && i.id === byPeer.id)).toMatchObject({ mine: true });
    await cancelAppointment(t.lawyer, t.personId, byPeer.id);
  });

  it('shows nothing and changes nothing for someone not assigned to her, of another association, or without a case role', async () => {
    const t = await setup();
    const { id } = await addAppointment(t.social, t.personId, appointment(t));
    // Not assigned (a peer helper, even a coordinator who did not break the glass), another association: not found, an empty week.
    for (const ctx of [t.peer, t.coordinator, t.other]) {
      expect(await codeOf(listAppointments(ctx, t.personId))).toBe('not_found');
      expect(await codeOf(addAppointment(ctx, t.personId, appointment(t, { attendeeId: ctx.who.accountId })))).toBe('not_found');
      expect(await codeOf(cancelAppointment(ctx, t.personId, id))).toBe('not_found');
      expect((await weekOf(ctx, parseIsoWeek('2026-W49')!)).days.flatMap((d) => d.items)).toEqual([]);
    }
    // Admins, members and observers never read records.
    for (const ctx of [t.admin, t.member, t.observer]) {
      expect(await codeOf(listAppointments(ctx, t.personId))).toBe('forbidden');
      expect(await codeOf(addAppointment(ctx, t.personId, appointment(t)))).toBe('forbidden');
      expect(await codeOf(cancelAppointment(ctx, t.personId, id))).toBe('forbidden');
      expect(await codeOf(weekOf(ctx, parseIsoWeek('2026-W49')!))).toBe('forbidden');
    }
    // Her appointment asked for through another woman's record: not found.
    const second = await openPerson(t.social, person('Brindlewick Otherfake'));
    expect(await codeOf(cancelAppointment(t.social, second.id, id))).toBe('not_found');
    expect((await rows(t)).map((r) => [r.id, r.cancelled_at])).toEqual([[id, null]]);
  });

  it('refuses bad input with the field to correct, and saves nothing', async () => {
    const t = await setup();
    const cases: Array<[Partial<AddAppointmentInput>, [string, string]]> = [
      [{ startsAt: new Date('not a date') }, ['appointment_date', 'case.appointment.error.date']],
      [{ startsAt: paris('2026-11-30', '18:00') }, ['appointment_date', 'case.appointment.error.past']],
      [{ startsAt: paris('2029-01-01', '10:00') }, ['appointment_date', 'case.appointment.error.too_far']],
      [{ durationMinutes: 3 }, ['duration', 'case.appointment.error.duration']],
      [{ durationMinutes: 12.5 }, ['duration', 'case.appointment.error.duration']],
      [{ place: '   ' }, ['place', 'case.appointment.error.place']],
      [{ place: 'x'.repeat(201) }, ['place', 'case.form.error.too_long']],
      [{ purpose: 'x'.repeat(201) }, ['purpose', 'case.form.error.too_long']],
      // Someone who may not see her record, someone of another association, nobody.
      [{ attendeeId: t.peer.who.accountId }, ['attendee', 'case.appointment.error.attendee']],
      [{ attendeeId: t.other.who.accountId }, ['attendee', 'case.appointment.error.attendee']],
      [{ attendeeId: 'nobody' }, ['attendee', 'case.appointment.error.attendee']]
    ];
    for (const [overrides, expected] of cases) expect(await refusalOf(addAppointment(t.social, t.personId, appointment(t, overrides))), JSON.stringify(overrides)).toEqual(expected);
    // Earlier today is still today: allowed.
    await addAppointment(t.social, t.personId, appointment(t, { startsAt: paris('2026-12-01', '08:00') }));
    expect(await rows(t)).toHaveLength(1);
    expect(await audited(t, 'appointment.add')).toHaveLength(1);
  });

  it('refuses an appointment on a closed record; erasing her deletes her appointments', async () => {
    const t = await setup();
    const { id } = await addAppointment(t.social, t.personId, appointment(t));
    await closePerson(t.social, t.personId, 'completed');
    expect(await codeOf(addAppointment(t.social, t.personId, appointment(t)))).toBe('conflict');
    // A coordinator assigned to her erases her record.
    await assignHelper(t.social, t.personId, t.coordinator.who.accountId);
    await erasePerson(t.coordinator, t.personId);
    expect(await t.handle.raw.selectFrom('case_appointment').select('id').where('id', '=', id).execute()).toEqual([]);
  });
});
