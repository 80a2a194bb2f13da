import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { CLI_ACTOR, twoOrganizations } from '../../../../tests/support/organizations';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { startTestSmtp } from '../../../../tests/support/smtp';
import type { CaseReminderTable, Database } from '../db/schema';
import { openDatabase } from '../db/connect';
import { inTenant } from '../db/tenant';
import { disableAccount } from '../accounts/account.service';
import { DomainError } from '../../errors';
import { assignHelper, breakGlass, openPerson, openProcedure, recordStep, unassignHelper, withdrawConsent, type CaseContext, type OpenPersonInput } from './person.service';
import { MailError, smtpMailer, type Mailer, type OutgoingMail } from '../mail/mailer';
import { runReminders } from './reminder.service';
import { claimDueReminders, finishSending } from './reminder.repository';
import { startReminderWorker } from './reminder.worker';
import { calendarFeedOf, createCalendarFeed, readCalendarFeed, revokeCalendarFeed } from './calendar.service';
import type { RunSummary } from './reminder.service';

// Obviously fake and distinctive: finding them in an email, a feed or the raw database is a leak.
const PSEUDONYM = 'Quillabee Fakename';
const REAL_NAME = 'Orvandine Testperson';
const ORIGIN = 'https://relais.example.org';

// Tuesday 1 December 2026, 11:00 Paris. The permit recorded then ends on 9 February 2027 (70
// days later): the renewal is to start on 9 December 00:00 Paris, reminded on the 8th at 08:00.
const NOW = new Date('2026-12-01T10:00:00Z');
const RENEWAL_DUE = '2026-12-08T23:00:00.000Z';
const RENEWAL_REMINDER = '2026-12-08T07:00:00.000Z';
const PERMIT_REMINDER = '2027-02-09T07:00:00.000Z';
const plus = (date: Date | string, minutes: number) => new Date(new Date(date).getTime() + minutes * 60_000);

const input = (pseudonym = PSEUDONYM): OpenPersonInput => ({
  pseudonym,
  realName: REAL_NAME,
  profile: { languages: ['en'], nationality: 'NG', birthYear: 1998, contactRules: null, referredBy: null, minor: false, inDanger: false, noContactWith: null },
  consent: { scopes: ['procedures', 'identity'], retentionMonths: 24, language: 'en' }
});

function fakeMailer(before?: (mail: OutgoingMail) => Promise<void> | void): Mailer & { sent: OutgoingMail[]; tried: number } {
  const mailer = {
    sent: [] as OutgoingMail[],
    tried: 0,
    async send(mail: OutgoingMail) {
      mailer.tried += 1;
      await before?.(mail);
      mailer.sent.push(mail);
    },
    close() {}
  };
  return mailer;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  );
  expect(error, `expected ${code}`).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
}


/** A test that does not apply to this database: not registered at all. */
function notOnThisDatabase(_name: string, _test: () => Promise<void>): void {}

describe.each(testDialects())('reminders and calendar feeds on %s', (dialect) => {
  const open = freshDatabases(dialect);

  async function setup() {
    const handle = await open();
    const db = handle.db as Kysely<Database>;
    const { masterKey, orgA: orgAId, orgB: orgBId, account } = await twoOrganizations(db, { now: NOW });
    const orgA = { id: orgAId };
    const orgB = { id: orgBId };
    const t = {
      handle,
      db,
      masterKey,
      orgA: orgA.id,
      social: await account(orgA.id, 'social_worker'),
      peer: await account(orgA.id, 'peer_helper'),
      coordinator: await account(orgA.id, 'coordinator'),
      admin: await account(orgA.id, 'admin'),
      other: await account(orgB.id, 'social_worker')
    };
    return t;
  }
  type World = Awaited<ReturnType<typeof setup>>;

  /** A person with an exit programme whose permit (recorded at NOW) ends 70 days later. */
  async function withPermit(t: World, ctx: CaseContext = t.social, pseudonym = PSEUDONYM) {
    const { id } = await openPerson(ctx, input(pseudonym));
    const procedure = await openProcedure(ctx, id, 'exit_programme');
    const step = (transition: string, at: string, fields: Record<string, string> = {}) => recordStep(ctx, procedure.id, { transition, at, fields }, null);
    await step('submit', '2026-07-01', { department: '75' });
    await step('schedule_commission', '2026-07-15', { commission_date: '2026-08-01' });
    await step('hold_commission', '2026-08-01', { opinion: 'favourable' });
    await step('accept', '2026-08-15');
    await step('issue_permit', '2026-11-21', { valid_from: '2026-11-21', valid_to: '2027-02-09' });
    return { personId: id, procedureId: procedure.id };
  }

  const reminders = (t: World): Promise<CaseReminderTable[]> => t.handle.raw.selectFrom('case_reminder').selectAll().orderBy('send_at').orderBy('account_id').execute();
  const run = (t: World, mailer: Mailer, now: Date) => runReminders(t.db, t.masterKey, mailer, { origin: ORIGIN, now });

  it('schedules one reminder per deadline, helper and rule, and cancels those a step, an unassignment or a withdrawal makes pointless', async () => {
    const t = await setup();
    const { personId, procedureId } = await withPermit(t);
    await assignHelper(t.social, personId, t.peer.who.accountId);
    let rows = await reminders(t);
    expect(rows.map((r) => [r.deadline_key, r.rule, r.send_at, r.due_at, r.status, r.account_id === t.social.who.accountId ? 'social' : 'peer'])).toEqual([
      ['start_renewal', 'day', RENEWAL_REMINDER, RENEWAL_DUE, 'pending', expect.any(String)],
      ['start_renewal', 'day', RENEWAL_REMINDER, RENEWAL_DUE, 'pending', expect.any(String)],
      ['permit_expires', 'day', PERMIT_REMINDER, '2027-02-09T22:59:00.000Z', 'pending', expect.any(String)],
      ['permit_expires', 'day', PERMIT_REMINDER, '2027-02-09T22:59:00.000Z', 'pending', expect.any(String)]
    ]);
    expect(new Set(rows.map((r) => r.account_id))).toEqual(new Set([t.social.who.accountId, t.peer.who.accountId]));
    // Scheduling is idempotent: an assignment of someone already assigned adds nothing.
    await assignHelper(t.social, personId, t.peer.who.accountId);
    expect(await reminders(t)).toHaveLength(4);

    // Asking for the renewal closes "start the renewal": its reminders go; the permit's stay.
    await recordStep({ ...t.social, now: plus(NOW, 60) }, procedureId, { transition: 'request_renewal', at: '2026-12-01', fields: {} }, null);
    rows = await reminders(t);
    expect(rows.filter((r) => r.deadline_key === 'start_renewal').map((r) => [r.status, r.outcome])).toEqual([
      ['cancelled', 'deadline_closed'],
      ['cancelled', 'deadline_closed']
    ]);
    expect(rows.filter((r) => r.deadline_key === 'permit_expires').map((r) => r.status)).toEqual(['pending', 'pending']);

    // The peer helper removed: hers go; assigned again: back.
    await unassignHelper(t.social, personId, t.peer.who.accountId);
    expect((await reminders(t)).filter((r) => r.account_id === t.peer.who.accountId && r.deadline_key === 'permit_expires').map((r) => [r.status, r.outcome])).toEqual([['cancelled', 'unassigned']]);
    await assignHelper(t.social, personId, t.peer.who.accountId);
    expect((await reminders(t)).filter((r) => r.deadline_key === 'permit_expires').map((r) => r.status)).toEqual(['pending', 'pending']);

    // Her consent to record procedures withdrawn: her record closes, every reminder goes.
    const consent = await t.handle.raw.selectFrom('case_consent').select('id').where('person_id', '=', personId).executeTakeFirstOrThrow();
    await withdrawConsent(t.social, personId, consent.id);
    expect((await reminders(t)).filter((r) => r.status === 'pending')).toEqual([]);
    expect((await reminders(t)).filter((r) => r.deadline_key === 'permit_expires').map((r) => r.outcome)).toEqual(['record_closed', 'record_closed']);
    // Nothing is sent for a closed record.
    const mailer = fakeMailer();
    expect((await run(t, mailer, plus(PERMIT_REMINDER, 1))).sent).toBe(0);
  });

  it('sends each due reminder once, to each helper, with her initials and never her name', async () => {
    const t = await setup();
    const { personId, procedureId } = await withPermit(t);
    await assignHelper(t.social, personId, t.peer.who.accountId);
    await withPermit(t, t.other, 'Zebulon Otherorg');
    const mailer = fakeMailer();
    expect(await run(t, mailer, NOW)).toMatchObject({ organizations: 2, sent: 0, failed: 0 });
    expect(await run(t, mailer, plus(RENEWAL_REMINDER, -1))).toMatchObject({ sent: 0 });
    // Its time (and the other organization's, planned at the same time).
    const summary = await run(t, mailer, plus(RENEWAL_REMINDER, 5));
    expect(summary).toMatchObject({ sent: 3, late: 0, failed: 0, cancelled: 0 });
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([t.social.email, t.peer.email, t.other.email].sort());
    const mine = mailer.sent.find((m) => m.to === t.peer.email)!;
    expect(mine.subject).toBe('Relais : une échéance le mercredi 9 décembre 2026 à 00:00');
    expect(mine.text).toContain('Q. F. (Parcours de sortie de la prostitution)');
    expect(mine.text).toContain('Commencer le renouvellement du titre');
    expect(mine.text).toContain(`${ORIGIN}/staff/people/${personId}/procedures/${procedureId}`);
    for (const mail of mailer.sent) for (const secret of [PSEUDONYM, REAL_NAME, 'Quillabee', 'Fakename', 'Zebulon']) expect(`${mail.subject}\n${mail.text}`).not.toContain(secret);
    // Never twice.
    expect((await run(t, mailer, plus(RENEWAL_REMINDER, 6))).sent).toBe(0);
    expect(mailer.sent).toHaveLength(3);
    const rows = (await reminders(t)).filter((r) => r.deadline_key === 'start_renewal');
    expect(rows.map((r) => [r.status, r.late, r.attempts, r.sent_at])).toEqual(Array(3).fill(['sent', 0, 1, plus(RENEWAL_REMINDER, 5).toISOString()]));
  });

  it('catches up after downtime: what fell due is sent, marked late; of several reminders of one deadline only the latest', async () => {
    const t = await setup();
    await withPermit(t);
    // An order to leave France, free, notified this morning: a month to appeal (legal rules).
    const { id } = await openPerson(t.social, input('Ysolde Fakeorder'));
    const order = await openProcedure(t.social, id, 'removal_order');
    await recordStep(t.social, order.id, { transition: 'receive', at: '2026-12-01', fields: { notified_at: '2026-12-01T09:00', custody: 'free', departure_period: 'granted' } }, null);
    const legal = (await reminders(t)).filter((r) => r.deadline_key === 'removal_appeal');
    expect(legal.map((r) => r.rule).sort()).toEqual(['hours', 'two_days', 'week']);
    const due = new Date(legal[0]!.due_at);

    // The server was stopped from before the renewal's reminder until a day before the appeal's end.
    const back = new Date(due.getTime() - 24 * 3_600_000);
    const mailer = fakeMailer();
    const summary = await run(t, mailer, back);
    expect(summary).toMatchObject({ sent: 2, late: 2, failed: 0, cancelled: 1 });
    expect(mailer.sent.map((m) => m.text.includes('Ce rappel part en retard'))).toEqual([true, true]);
    const after = await reminders(t);
    expect(after.find((r) => r.rule === 'week')).toMatchObject({ status: 'cancelled', outcome: 'superseded' });
    expect(after.find((r) => r.rule === 'two_days')).toMatchObject({ status: 'sent', late: 1 });
    expect(after.find((r) => r.rule === 'hours')).toMatchObject({ status: 'pending' });
    // The renewal's deadline itself has passed: still said, late.
    expect(after.find((r) => r.deadline_key === 'start_renewal')).toMatchObject({ status: 'sent', late: 1 });
    expect(mailer.sent.some((m) => m.text.includes("Dernier moment pour contester l'OQTF") && m.text.includes('Y. F.'))).toBe(true);
  });

  it('tries a failed send again with back-off, for as long as it takes, and never loses it', async () => {
    const t = await setup();
    await withPermit(t, t.social);
    await assignHelper(t.social, (await t.handle.raw.selectFrom('case_person').select('id').executeTakeFirstOrThrow()).id, t.peer.who.accountId);
    const down = fakeMailer(() => {
      throw new MailError('ECONNECTION', true);
    });
    const at = plus(RENEWAL_REMINDER, 1);
    expect(await run(t, down, at)).toMatchObject({ sent: 0, failed: 2, errors: { ECONNECTION: 2 } });
    // The server is down: the second mail is not even tried.
    expect(down.tried).toBe(1);
    let rows = (await reminders(t)).filter((r) => r.deadline_key === 'start_renewal');
    expect(rows.map((r) => [r.status, r.attempts, r.outcome, r.next_attempt_at])).toEqual(Array(2).fill(['pending', 1, 'ECONNECTION', plus(at, 1).toISOString()]));
    // Not before its time.
    expect(await run(t, down, plus(at, 0.5))).toMatchObject({ sent: 0, failed: 0 });
    expect(down.tried).toBe(1);
    // Five failures later it still waits, three hours apart at most.
    let when = at;
    for (const wait of [1, 5, 15, 60]) {
      when = plus(when, wait);
      expect((await run(t, down, when)).failed).toBe(2);
    }
    rows = (await reminders(t)).filter((r) => r.deadline_key === 'start_renewal');
    expect(rows.map((r) => [r.status, r.attempts, r.next_attempt_at])).toEqual(Array(2).fill(['pending', 5, plus(when, 180).toISOString()]));
    // The server is back: sent, and late (it left hours after its time).
    const up = fakeMailer();
    expect(await run(t, up, plus(when, 180))).toMatchObject({ sent: 2, late: 2, failed: 0 });
    rows = (await reminders(t)).filter((r) => r.deadline_key === 'start_renewal');
    expect(rows.map((r) => [r.status, r.attempts, r.outcome, r.late])).toEqual(Array(2).fill(['sent', 6, null, 1]));
  });

  it('takes over a claim that expired (a process died while sending), and a stale worker cannot overwrite the result', async () => {
    const t = await setup();
    await withPermit(t);
    const [row] = (await reminders(t)).filter((r) => r.deadline_key === 'start_renewal');
    const at = plus(RENEWAL_REMINDER, 1);
    // A worker claimed it, then died: its claim runs until `at + 10 min`.
    await t.handle.raw.updateTable('case_reminder').set({ status: 'sending', claim_token: 'dead-worker', next_attempt_at: plus(at, 10).toISOString() }).where('id', '=', row!.id).execute();
    const mailer = fakeMailer();
    expect((await run(t, mailer, at)).sent).toBe(0);
    expect((await run(t, mailer, plus(at, 10))).sent).toBe(1);
    // The dead worker wakes up and reports a failure: ignored, the reminder stays sent.
    const stale = await inTenant(t.db, t.orgA, (trx) =>
      finishSending(trx, t.orgA, row!.id, 'dead-worker', { status: 'pending', attempts: 9, next_attempt_at: at.toISOString(), outcome: 'ECONNECTION', late: 0, sent_at: null }, at.toISOString())
    );
    expect(stale).toBe(false);
    expect((await reminders(t)).find((r) => r.id === row!.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a reminder that cannot be read waits and says why, without blocking the others', async () => {
    const t = await setup();
    const { personId } = await withPermit(t);
    await withPermit(t, t.social, 'Another Fakeperson');
    // Her pseudonym's ciphertext damaged (a restore gone wrong, a key that does not match).
    await t.handle.raw.updateTable('case_person').set({ pseudonym_encrypted: 'f1.AAAA' }).where('id', '=', personId).execute();
    const mailer = fakeMailer();
    const at = plus(RENEWAL_REMINDER, 1);
    expect(await run(t, mailer, at)).toMatchObject({ sent: 1, failed: 1, errors: { EUNREADABLE: 1 } });
    expect(mailer.sent.map((m) => m.text.includes('A. F.'))).toEqual([true]);
    const damaged = (await reminders(t)).find((r) => r.person_id === personId && r.deadline_key === 'start_renewal');
    expect(damaged).toMatchObject({ status: 'pending', attempts: 1, outcome: 'EUNREADABLE', next_attempt_at: plus(at, 1).toISOString() });
  });

  it('two processes, each with its own pool, never send the same reminder twice', async () => {
    const t = await setup();
    // 12 people, each with a task due on 8 December and two helpers: 24 reminders due at once.
    for (let i = 0; i < 12; i++) {
      const { id } = await openPerson(t.social, input(`Person ${i} Fake`));
      await assignHelper(t.social, id, t.peer.who.accountId);
      const procedure = await openProcedure(t.social, id, 'other');
      await recordStep(t.social, procedure.id, { transition: 'start', at: '2026-12-01', fields: { other_category: 'health', due_date: '2026-12-08' } }, null);
    }
    expect(await reminders(t)).toHaveLength(24);
    // PostgreSQL: a second pool, as a second process has. SQLite: one writer at a time
    // (`begin immediate`); in one test process both runs share the connection, and their
    // transactions interleave between sends exactly as two processes' would.
    const second = dialect === 'postgres' ? openDatabase(t.handle.url, { poolSize: 3 }) : { db: t.db, close: async () => {} };
    try {
      const slow = () => new Promise<void>((r) => setTimeout(r, 15));
      const one = fakeMailer(slow);
      const two = fakeMailer(slow);
      const at = new Date('2026-12-08T09:00:00Z');
      const [a, b] = await Promise.all([
        runReminders(t.db, t.masterKey, one, { origin: ORIGIN, now: at, batchSize: 5 }),
        runReminders(second.db, t.masterKey, two, { origin: ORIGIN, now: at, batchSize: 5 })
      ]);
      expect(a.sent + b.sent).toBe(24);
      const sent = [...one.sent, ...two.sent].map((m) => `${m.to} ${/procedures\/(\S+)/.exec(m.text)![1]}`);
      expect(new Set(sent).size).toBe(24);
      expect(sent).toHaveLength(24);
      expect((await reminders(t)).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  // PostgreSQL only (SQLite has one writer, `begin immediate`): registered only there, since
  // a skipped test fails the run under CI.
  (dialect === 'postgres' ? it : notOnThisDatabase)('skips the rows another transaction has claimed (FOR UPDATE SKIP LOCKED) instead of waiting or taking them', async () => {
    const t = await setup();
    for (let i = 0; i < 4; i++) {
      const { id } = await openPerson(t.social, input(`Person ${i} Fake`));
      const procedure = await openProcedure(t.social, id, 'other');
      await recordStep(t.social, procedure.id, { transition: 'start', at: '2026-12-01', fields: { other_category: 'work', due_date: '2026-12-08' } }, null);
    }
    const second = openDatabase(t.handle.url, { poolSize: 2 });
    try {
      const at = new Date('2026-12-08T09:00:00Z').toISOString();
      const [first, other] = await inTenant(t.db, t.orgA, async (trx) => {
        const mine = await claimDueReminders(trx, t.orgA, at, 2);
        // Meanwhile, in another process: the two rows locked above are skipped.
        const theirs = await inTenant(second.db, t.orgA, (trx2) => claimDueReminders(trx2, t.orgA, at, 10));
        return [mine, theirs];
      });
      expect(first).toHaveLength(2);
      expect(other).toHaveLength(2);
      expect(new Set([...first, ...other].map((r) => r.id)).size).toBe(4);
    } finally {
      await second.close();
    }
  });

  it('the worker sends what is due as soon as it starts, then runs again at its interval', async () => {
    const t = await setup();
    // Real time: an order to leave France notified an hour ago, in rétention (48 hours).
    const now = new Date();
    const ctx = { ...t.social, now };
    const { id } = await openPerson(ctx, input());
    const procedure = await openProcedure(ctx, id, 'removal_order');
    const notified = new Date(now.getTime() - 3_600_000);
    const paris = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d).replace(' ', 'T');
    await recordStep(ctx, procedure.id, { transition: 'receive', at: paris(notified).slice(0, 10), fields: { notified_at: paris(notified), custody: 'retention' } }, null);
    // Two days before is already past: one reminder, due now.
    expect((await reminders(t)).filter((r) => r.next_attempt_at <= new Date().toISOString())).toHaveLength(1);
    const mailer = fakeMailer();
    const runs: Array<RunSummary | null> = [];
    const worker = startReminderWorker({ db: t.db, masterKey: t.masterKey, mailer, origin: ORIGIN, intervalMs: 100, onRun: (s) => runs.push(s) });
    try {
      const deadline = Date.now() + 10_000;
      while (runs.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs[0]).toMatchObject({ sent: 1, failed: 0 });
    expect(runs.slice(1).every((r) => r?.sent === 0)).toBe(true);
    expect(mailer.sent[0]!.text).toContain('Q. F.');
  });

  it('goes through a real SMTP server; a server that answers "try again later" is tried again', async () => {
    const t = await setup();
    await withPermit(t);
    const smtp = await startTestSmtp();
    const mailer = smtpMailer(smtp.url, 'Relais <relais@association.example>');
    try {
      smtp.refuse = true;
      const at = plus(RENEWAL_REMINDER, 1);
      expect(await run(t, mailer, at)).toMatchObject({ sent: 0, failed: 1, errors: { SMTP_451: 1 } });
      smtp.refuse = false;
      expect(await run(t, mailer, plus(at, 1))).toMatchObject({ sent: 1, failed: 0 });
      const [mail] = await smtp.waitFor(1);
      expect(mail!.to).toEqual([t.social.email]);
      expect(mail!.from).toBe('relais@association.example');
      expect(mail!.subject).toBe('Relais : une échéance le mercredi 9 décembre 2026 à 00:00');
      expect(mail!.text).toContain('Q. F. (Parcours de sortie de la prostitution)');
      expect(mail!.raw).toMatch(/^Auto-Submitted: auto-generated/m);
      expect(mail!.raw).not.toContain('Quillabee');
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('gives each helper a private feed of the deadlines of the people assigned to her, by initials; revocable', async () => {
    const t = await setup();
    const { personId } = await withPermit(t);
    await assignHelper(t.social, personId, t.peer.who.accountId);
    const feed = async (url: string, now = NOW) => readCalendarFeed(t.db, t.masterKey, /\/calendar\/(.+)\.ics$/.exec(url)![1]!, ORIGIN, now);

    expect(await calendarFeedOf(t.peer)).toBeNull();
    const { url } = await createCalendarFeed(t.peer, ORIGIN, 'fr');
    expect(url).toMatch(new RegExp(`^${ORIGIN}/calendar/${t.orgA}\\.[A-Za-z0-9_-]{43}\\.ics$`));
    expect(await calendarFeedOf(t.peer)).toEqual({ createdAt: NOW.toISOString() });
    const ics = (await feed(url))!;
    expect(ics).toContain('SUMMARY:Q. F. · Commencer le renouvellement du titre');
    expect(ics.replace(/\r\n /g, '')).toContain('SUMMARY:Q. F. · Fin de validité du titre');
    for (const secret of ['Quillabee', 'Fakename', REAL_NAME]) expect(ics).not.toContain(secret);
    // Only her people: a coordinator not assigned (even through a broken glass) sees none.
    await breakGlass(t.coordinator, personId, 'Her helper is away and she called');
    const coordinatorFeed = await createCalendarFeed(t.coordinator, ORIGIN, 'en');
    expect(await feed(coordinatorFeed.url)).not.toContain('BEGIN:VEVENT');
    expect(await feed(coordinatorFeed.url)).toContain('X-WR-CALNAME:Relais — my deadlines');

    // The secret is the credential: another organization's prefix, a changed secret, garbage.
    const secret = url.split('/calendar/')[1]!.replace(/\.ics$/, '').split('.')[1]!;
    expect(await readCalendarFeed(t.db, t.masterKey, `${t.other.who.organizationId}.${secret}`, ORIGIN)).toBeNull();
    expect(await readCalendarFeed(t.db, t.masterKey, `${t.orgA}.${'A'.repeat(43)}`, ORIGIN)).toBeNull();
    expect(await readCalendarFeed(t.db, t.masterKey, `${t.orgA}`, ORIGIN)).toBeNull();
    expect(await readCalendarFeed(t.db, t.masterKey, `../../etc/passwd`, ORIGIN)).toBeNull();

    // Replaced: the old URL stops at once. Revoked: nothing answers.
    const replaced = await createCalendarFeed(t.peer, ORIGIN, 'fr');
    expect(await feed(url)).toBeNull();
    expect(await feed(replaced.url)).toContain('BEGIN:VEVENT');
    expect(await revokeCalendarFeed(t.peer)).toBe(true);
    expect(await feed(replaced.url)).toBeNull();
    expect(await revokeCalendarFeed(t.peer)).toBe(false);
    expect(await calendarFeedOf(t.peer)).toBeNull();

    // A disabled account's feed stops too.
    const socialFeed = await createCalendarFeed(t.social, ORIGIN, 'fr');
    expect(await feed(socialFeed.url)).toContain('BEGIN:VEVENT');
    await disableAccount(t.db, { organizationId: t.orgA, accountId: t.social.who.accountId, actor: CLI_ACTOR });
    expect(await feed(socialFeed.url)).toBeNull();

    // Roles that do not read records have no feed.
    await expectCode(createCalendarFeed(t.admin, ORIGIN, 'fr'), 'forbidden');
    await expectCode(calendarFeedOf(t.admin), 'forbidden');
    const audited = await t.handle.raw.selectFrom('audit_entry').select('action').where('chain', '=', t.orgA).where('action', 'like', 'calendar.%').orderBy('seq').execute();
    expect(audited.map((a) => a.action)).toEqual(['calendar.create', 'calendar.create', 'calendar.create', 'calendar.revoke', 'calendar.create']);
  });

  it('keeps no name and no feed secret in the raw database', async () => {
    const t = await setup();
    const { personId } = await withPermit(t);
    await assignHelper(t.social, personId, t.peer.who.accountId);
    const { url } = await createCalendarFeed(t.peer, ORIGIN, 'fr');
    await run(t, fakeMailer(), plus(RENEWAL_REMINDER, 1));
    const secret = /\.([A-Za-z0-9_-]{43})\.ics$/.exec(url)![1]!;
    let raw: string;
    if (dialect === 'sqlite') {
      await t.handle.close();
      raw = ['', '-wal'].map((suffix) => (fs.existsSync(t.handle.url + suffix) ? fs.readFileSync(t.handle.url + suffix).toString('latin1') : '')).join('');
    } else {
      const client = new pg.Client({ connectionString: t.handle.testDb.adminUrl });
      await client.connect();
      try {
        raw = (await Promise.all(['case_reminder', 'calendar_feed', 'audit_entry'].map(async (table) => JSON.stringify((await client.query(`SELECT * FROM ${table}`)).rows)))).join('\n');
      } finally {
        await client.end();
      }
    }
    expect(raw).toContain('start_renewal');
    for (const s of [PSEUDONYM, 'Quillabee', REAL_NAME, secret, t.peer.email]) expect(raw.includes(s), s).toBe(false);
  });
});
