import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { domainErrorCode as codeOf, twoOrganizations } from '../../../../tests/support/organizations';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import type { Database } from '../db/schema';
import { readSession } from '../accounts/sign-in.service';
import { hashToken } from '../crypto/envelope';
import { parseTenantToken } from '../accounts/tenant-token';
import { activeProxy, findMember } from './member.repository';
import type { ParticipationContext } from './context';
import { endProxy, enrolAccount, enrolInPerson, inviteMember, issueSignInCode, listAccountsToEnrol, listMembers, markLeft, startProxy } from './member.service';
import { signInWithCode } from './member-sign-in.service';
import { createModule, hasCompleted, recordCompletion, removeCompletion } from './training.service';
import { attendeesOf, cancelWorkshop, checkIn, createWorkshop, markPresent, presentCount, removeAttendance, workshopsOf } from './workshop.service';
import { addReviewWork, myPay, payExport, payOverview, recordPayment, setHourlyRate } from './pay.service';

// Distinctive fake data: finding it in the raw database means it was stored in clear.
const PSEUDONYM = 'Zephyrine Quartzwell';
const REASON = 'Glimmerfen phone broken';
const NOW = new Date('2026-12-03T13:00:00Z'); // Thursday 3 December 2026, 14:00 in Paris
const LIMITS = { idleMinutes: 30, maxHours: 12 };
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);


const LABELS = { total: 'total', payment: 'payment', kinds: { attendance: 'workshop', training: 'training', review: 'review' }, header: ['pseudonym', 'line', 'date', 'what', 'hours', 'rate', 'owed', 'paid', 'balance'] };

describe.each(testDialects())('members, workshops, training and pay on %s', (dialect) => {
  const open = freshDatabases(dialect);

  async function setup() {
    const handle = await open();
    const db = handle.db as Kysely<Database>;
    const { masterKey, orgA: orgAId, orgB: orgBId, account } = await twoOrganizations(db, { now: NOW });
    const orgA = { id: orgAId };
    const orgB = { id: orgBId };
    const coordinator = await account(orgA.id, 'coordinator');
    const other = await account(orgB.id, 'coordinator');
    const { accountId } = await enrolInPerson(coordinator, { pseudonym: PSEUDONYM, language: 'pcm' });
    const member: ParticipationContext = { db, masterKey, who: { sessionId: 'm', organizationId: orgA.id, accountId, role: 'member' }, now: NOW };
    return { handle, db, masterKey, orgA: orgA.id, coordinator, other, member, account };
  }
  type Setup = Awaited<ReturnType<typeof setup>>;
  const audited = async (t: Setup, action: string) =>
    (await t.handle.raw.selectFrom('audit_entry').select(['actor_id', 'target_id']).where('chain', '=', t.orgA).where('action', '=', action).execute()).map((e) => [e.actor_id, e.target_id]);

  it('enrols a member in person: a member account with a .invalid address, her pseudonym encrypted, unique', async () => {
    const t = await setup();
    const raw = JSON.stringify(await t.handle.raw.selectFrom('participation_member').selectAll().execute()) + JSON.stringify(await t.handle.raw.selectFrom('person_account').selectAll().execute());
    expect(raw).not.toContain(PSEUDONYM);
    expect((await findMember(t.db, t.orgA, t.member.who.accountId))?.language).toBe('pcm');
    const [listed] = await listMembers(t.coordinator);
    expect(listed).toMatchObject({ accountId: t.member.who.accountId, pseudonym: PSEUDONYM, language: 'pcm', inPerson: true, trainingDone: 0, workshopsAttended: 0, leftAt: null });
    expect(await codeOf(enrolInPerson(t.coordinator, { pseudonym: ` ${PSEUDONYM} `, language: 'fr' }))).toBe('conflict');
    expect(await codeOf(enrolInPerson(t.coordinator, { pseudonym: 'Ama', language: 'de' }))).toBe('invalid_input');
    expect(await codeOf(enrolInPerson(t.member, { pseudonym: 'Ama', language: 'fr' }))).toBe('forbidden');
    expect(await audited(t, 'participation.member.enrol')).toEqual([[t.coordinator.who.accountId, t.member.who.accountId]]);
    // Another organization does not see her.
    expect(await listMembers(t.other)).toEqual([]);
  });

  it('enrols an account that accepted an email invitation, once', async () => {
    const t = await setup();
    // A .invalid address (a member enrolled in person) is never invited: nothing could be sent.
    expect(await codeOf(inviteMember(t.coordinator, 'm-0123@members.invalid'))).toBe('invalid_input');
    expect(await codeOf(inviteMember(t.coordinator, 'not an address'))).toBe('invalid_input');
    expect((await inviteMember(t.coordinator, 'ama@example.test')).token).toContain(`${t.orgA}.`);
    const invited = await t.account(t.orgA, 'member');
    expect((await listAccountsToEnrol(t.coordinator)).map((a) => a.accountId)).toEqual([invited.who.accountId]);
    await enrolAccount(t.coordinator, { accountId: invited.who.accountId, pseudonym: 'Ama', language: 'en' });
    expect(await listAccountsToEnrol(t.coordinator)).toEqual([]);
    expect(await codeOf(enrolAccount(t.coordinator, { accountId: invited.who.accountId, pseudonym: 'Ama 2', language: 'en' }))).toBe('conflict');
    expect(await codeOf(enrolAccount(t.coordinator, { accountId: t.coordinator.who.accountId, pseudonym: 'Boss', language: 'en' }))).toBe('not_found');
  });

  it('a one-time code signs her in once, within 7 days; a new code voids the old; stored as a hash', async () => {
    const t = await setup();
    const { code, expiresAt } = await issueSignInCode(t.coordinator, t.member.who.accountId);
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(expiresAt).toBe('2026-12-10T13:00:00.000Z');
    expect(JSON.stringify(await t.handle.raw.selectFrom('member_sign_in_code').selectAll().execute())).not.toContain(code.replace('-', ''));

    const first = await signInWithCode(t.db, t.masterKey, { code: code.toLowerCase().replace('-', ' '), limits: LIMITS, now: later(5) });
    expect(first).toMatchObject({ ok: true, organizationId: t.orgA, accountId: t.member.who.accountId });
    const session = await readSession(t.db, first.ok ? first.token : '', LIMITS, later(6));
    expect(session).toMatchObject({ accountId: t.member.who.accountId, role: 'member' });
    // Single use.
    expect(await signInWithCode(t.db, t.masterKey, { code, limits: LIMITS, now: later(7) })).toEqual({ ok: false });

    // Expiry: 7 days.
    const second = await issueSignInCode(t.coordinator, t.member.who.accountId);
    expect(await signInWithCode(t.db, t.masterKey, { code: second.code, limits: LIMITS, now: new Date('2026-12-10T13:00:01Z') })).toEqual({ ok: false });
    // A new code voids the one before.
    const third = await issueSignInCode(t.coordinator, t.member.who.accountId);
    const fourth = await issueSignInCode(t.coordinator, t.member.who.accountId);
    expect(await signInWithCode(t.db, t.masterKey, { code: third.code, limits: LIMITS, now: later(1) })).toEqual({ ok: false });
    expect(await signInWithCode(t.db, t.masterKey, { code: 'not a code', limits: LIMITS, now: later(1) })).toEqual({ ok: false });
    // A member who left: her code no longer works, and no new one is made.
    await markLeft(t.coordinator, t.member.who.accountId);
    expect(await signInWithCode(t.db, t.masterKey, { code: fourth.code, limits: LIMITS, now: later(1) })).toEqual({ ok: false });
    expect(await codeOf(issueSignInCode(t.coordinator, t.member.who.accountId))).toBe('not_found');
    expect((await listMembers(t.coordinator))[0]!.leftAt).toBe(NOW.toISOString());
    // Another organization's facilitator cannot make a code for her.
    expect(await codeOf(issueSignInCode(t.other, t.member.who.accountId))).toBe('not_found');
  });

  it('a proxy is a session of her account that ends at its expiry or when ended, reason encrypted, audited', async () => {
    const t = await setup();
    expect(await codeOf(startProxy(t.coordinator, { memberId: t.member.who.accountId, reason: REASON, minutes: 61 }))).toBe('invalid_input');
    expect(await codeOf(startProxy(t.coordinator, { memberId: t.member.who.accountId, reason: '', minutes: 30 }))).toBe('invalid_input');
    expect(await codeOf(startProxy(t.other, { memberId: t.member.who.accountId, reason: REASON, minutes: 30 }))).toBe('not_found');
    const { token, expiresAt } = await startProxy(t.coordinator, { memberId: t.member.who.accountId, reason: REASON, minutes: 20 });
    expect(expiresAt).toBe(later(20).toISOString());
    expect(JSON.stringify(await t.handle.raw.selectFrom('proxy_session').selectAll().execute())).not.toContain(REASON);
    const who = await readSession(t.db, token, LIMITS, later(1));
    expect(who).toMatchObject({ accountId: t.member.who.accountId, role: 'member', authenticatedAt: null });
    expect(who!.sessionId).toBe(hashToken(parseTenantToken(token)!.secret));
    expect(await activeProxy(t.db, who!, later(1))).toMatchObject({ facilitator_id: t.coordinator.who.accountId, member_id: t.member.who.accountId });
    // At expiry, the session is over and the proxy is no longer active.
    expect(await readSession(t.db, token, LIMITS, later(21))).toBeNull();
    expect(await activeProxy(t.db, who!, later(21))).toBeUndefined();
    expect(await audited(t, 'participation.proxy.start')).toEqual([[t.coordinator.who.accountId, t.member.who.accountId]]);

    // Ended by hand: the session ends with it.
    const second = await startProxy(t.coordinator, { memberId: t.member.who.accountId, reason: REASON, minutes: 60 });
    const secondWho = (await readSession(t.db, second.token, LIMITS, later(1)))!;
    expect(await endProxy(t.db, secondWho, later(2))).toEqual({ facilitatorId: t.coordinator.who.accountId });
    expect(await readSession(t.db, second.token, LIMITS, later(3))).toBeNull();
    expect(await endProxy(t.db, secondWho, later(3))).toBeNull();
    expect(await audited(t, 'participation.proxy.end')).toEqual([[t.coordinator.who.accountId, t.member.who.accountId]]);
  });

  it('attendance by the door code: a wrong code is refused, a second check-in changes nothing, pay follows attendance', async () => {
    const t = await setup();
    await setHourlyRate(t.coordinator, 1200);
    const { id, code } = await createWorkshop(t.coordinator, {
      title: 'Debate after the film',
      startsAt: new Date('2026-12-03T13:30:00Z'),
      durationMinutes: 150,
      place: 'Salle 2',
      format: 'film_debate',
      facilitatorIds: [t.coordinator.who.accountId],
      services: { interpretation: ['en', 'pcm'], childcare: true, transport: true, meal: false },
      consultationId: null
    });
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(await codeOf(checkIn(t.member, 'ZZZZZZ'))).toBe('invalid_input');
    expect(await codeOf(checkIn(t.member, ''))).toBe('invalid_input');
    expect(await checkIn(t.member, code.toLowerCase())).toEqual({ workshopId: id, title: 'Debate after the film', already: false });
    expect(await checkIn(t.member, code)).toEqual({ workshopId: id, title: 'Debate after the film', already: true });
    expect(await attendeesOf(t.db, t.orgA, id)).toEqual([t.member.who.accountId]);
    expect(await presentCount(t.db, t.orgA, id)).toBe(1);
    expect(await presentCount(t.other.db, t.other.who.organizationId, id)).toBe(0);
    expect(await myPay(t.member)).toEqual({ minutes: 150, owedCents: 3000, paidCents: 0, balanceCents: 3000 });
    // Cancelling is refused while someone is present; removing attendance removes her pay.
    expect(await codeOf(cancelWorkshop(t.coordinator, id))).toBe('conflict');
    await removeAttendance(t.coordinator, { workshopId: id, accountId: t.member.who.accountId });
    expect(await myPay(t.member)).toEqual({ minutes: 0, owedCents: 0, paidCents: 0, balanceCents: 0 });
    await markPresent(t.coordinator, { workshopId: id, accountId: t.member.who.accountId });
    await markPresent(t.coordinator, { workshopId: id, accountId: t.member.who.accountId });
    expect((await t.handle.raw.selectFrom('workshop_attendance').select('method').execute()).map((r) => r.method)).toEqual(['facilitator']);
    expect((await myPay(t.member)).owedCents).toBe(3000);
    expect(await codeOf(markPresent(t.other, { workshopId: id, accountId: t.member.who.accountId }))).toBe('not_found');
    // A cancelled workshop's code no longer works.
    const spare = await createWorkshop(t.coordinator, { title: 'Spare', startsAt: NOW, durationMinutes: 60, place: 'X', format: 'other', facilitatorIds: [], services: { interpretation: [], childcare: false, transport: false, meal: false }, consultationId: null });
    await cancelWorkshop(t.coordinator, spare.id);
    expect(await codeOf(checkIn(t.member, spare.code))).toBe('invalid_input');
    expect(await workshopsOf(t.db, t.orgA, 'no-such-consultation')).toEqual([]);
  });

  it('pay: a rate change does not alter old entries; training, review work and payments add up; the CSV totals them', async () => {
    const t = await setup();
    await setHourlyRate(t.coordinator, 1000);
    const { id: moduleId } = await createModule(t.coordinator, { title: 'Speaking in public', content: 'Plain text.', durationMinutes: 90, language: 'pcm' });
    expect(await hasCompleted(t.db, t.orgA, t.member.who.accountId, moduleId)).toBe(false);
    await recordCompletion(t.coordinator, { moduleId, accountId: t.member.who.accountId });
    expect(await hasCompleted(t.db, t.orgA, t.member.who.accountId, moduleId)).toBe(true);
    expect(await hasCompleted(t.db, t.other.who.organizationId, t.member.who.accountId, moduleId)).toBe(false);
    await setHourlyRate(t.coordinator, 2000);
    await addReviewWork(t.coordinator, { accountId: t.member.who.accountId, workedOn: '2026-12-04', minutes: 30 });
    await recordPayment(t.coordinator, { accountId: t.member.who.accountId, amountCents: 500, paidOn: '2026-12-05', method: 'cash' });
    expect(await codeOf(recordPayment(t.coordinator, { accountId: t.member.who.accountId, amountCents: 0, paidOn: '2026-12-05', method: 'cash' }))).toBe('invalid_input');
    expect(await codeOf(recordPayment(t.coordinator, { accountId: t.member.who.accountId, amountCents: 100, paidOn: '2026-12-05', method: 'bitcoin' }))).toBe('invalid_input');
    expect(await codeOf(addReviewWork(t.coordinator, { accountId: t.member.who.accountId, workedOn: '2026-02-30', minutes: 30 }))).toBe('invalid_input');
    expect(await codeOf(setHourlyRate(t.member, 1))).toBe('forbidden');

    const entries = await t.handle.raw.selectFrom('pay_entry').select(['kind', 'rate_cents', 'amount_cents', 'minutes']).orderBy('kind').execute();
    expect(entries).toEqual([
      { kind: 'review', rate_cents: 2000, amount_cents: 1000, minutes: 30 },
      { kind: 'training', rate_cents: 1000, amount_cents: 1500, minutes: 90 }
    ]);
    const overview = await payOverview(t.coordinator);
    expect(overview.rateCents).toBe(2000);
    expect(overview.members[0]).toMatchObject({ pseudonym: PSEUDONYM, totals: { minutes: 120, owedCents: 2500, paidCents: 500, balanceCents: 2000 } });
    const csv = await payExport(t.coordinator, LABELS);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain(`${PSEUDONYM};total;;total;2;;25,00;5,00;20,00\r\n`);
    expect(csv).toContain(`${PSEUDONYM};entry;2026-12-03;training;1,5;10,00;15,00;;`);
    // Taking the completion back removes its pay.
    await removeCompletion(t.coordinator, { moduleId, accountId: t.member.who.accountId });
    expect((await myPay(t.member)).owedCents).toBe(1000);
    // Pay records have no column that could name a contribution.
    const columns = Object.keys((await t.handle.raw.selectFrom('pay_entry').selectAll().executeTakeFirst())!);
    expect(columns.filter((c) => /contribution|theme|statement/.test(c))).toEqual([]);
  });
});
