import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { twoOrganizations } from '../../../../tests/support/organizations';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import type { Database } from '../db/schema';
import { verifyAudit } from '../audit/audit';
import { DomainError } from '../../errors';
import {
  assignHelper,
  breakGlass,
  dashboard,
  listBrokenGlass,
  listPersons,
  openPerson,
  openProcedure,
  readPerson,
  readProcedure,
  recordStep,
  StepRefusedError,
  unassignHelper,
  withdrawConsent,
  type CaseContext,
  type OpenPersonInput
} from './person.service';

// Obviously fake and distinctive: finding them in the raw database means a leak.
const PSEUDONYM = 'Quillabee Fakename';
const REAL_NAME = 'Orvandine Testperson';
const NOTE = 'Zephyrine note: met at the fake station';
const REASON = 'Her helper is away and she called in crisis';


const input = (overrides: Partial<OpenPersonInput> = {}): OpenPersonInput => ({
  pseudonym: PSEUDONYM,
  realName: REAL_NAME,
  profile: { languages: ['en', 'pcm'], nationality: 'NG', birthYear: 1998, contactRules: 'Never call after 20:00', referredBy: 'Day centre', minor: false, inDanger: true, noContactWith: null },
  consent: { scopes: ['procedures', 'identity', 'contact'], retentionMonths: 24, language: 'en' },
  ...overrides
});

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  );
  expect(error, `expected ${code}`).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
}

describe.each(testDialects())('the case tracker on %s', (dialect) => {
  const open = freshDatabases(dialect);

  async function setup() {
    const handle = await open();
    const db = handle.db as Kysely<Database>;
    const { masterKey, orgA: orgAId, orgB: orgBId, account } = await twoOrganizations(db);
    const orgA = { id: orgAId };
    const orgB = { id: orgBId };
    return {
      handle,
      db,
      social: await account(orgA.id, 'social_worker'),
      coordinator: await account(orgA.id, 'coordinator'),
      peer: await account(orgA.id, 'peer_helper'),
      admin: await account(orgA.id, 'admin'),
      member: await account(orgA.id, 'member'),
      other: await account(orgB.id, 'social_worker')
    };
  }

  it('opens a record with her consent; only the people assigned to her can find it', async () => {
    const t = await setup();
    const { id } = await openPerson(t.social, input());
    const record = await readPerson(t.social, id);
    expect(record).toMatchObject({ pseudonym: PSEUDONYM, realName: REAL_NAME, status: 'open', throughGlass: false });
    expect(record.profile.contactRules).toBe('Never call after 20:00');
    expect(record.helpers.map((h) => h.accountId)).toEqual([t.social.who.accountId]);

    // A peer helper not assigned, a coordinator not assigned, another organization: "not found", like a missing record.
    await expectCode(readPerson(t.peer, id), 'not_found');
    await expectCode(readPerson(t.coordinator, id), 'not_found');
    await expectCode(readPerson(t.other, id), 'not_found');
    await expectCode(readPerson(t.social, '00000000-0000-0000-0000-000000000000'), 'not_found');
    expect((await listPersons(t.peer, { pseudonym: PSEUDONYM })).people).toEqual([]);
    expect((await listPersons(t.peer, { pseudonym: PSEUDONYM })).hidden).toEqual([]);
    expect((await listPersons(t.other, {})).people).toEqual([]);
    // Roles that never read records.
    await expectCode(readPerson(t.admin, id), 'forbidden');
    await expectCode(readPerson(t.member, id), 'forbidden');
    await expectCode(openPerson(t.peer, input()), 'forbidden');

    await assignHelper(t.social, id, t.peer.who.accountId);
    expect((await readPerson(t.peer, id)).pseudonym).toBe(PSEUDONYM);
    expect((await listPersons(t.peer, { pseudonym: 'quillabee  fakename' })).people.map((p) => p.id)).toEqual([id]);
    await unassignHelper(t.social, id, t.peer.who.accountId);
    await expectCode(readPerson(t.peer, id), 'not_found');
    await expectCode(unassignHelper(t.social, id, t.social.who.accountId), 'conflict');
    await expectCode(assignHelper(t.social, id, t.other.who.accountId), 'not_found');
    await expectCode(assignHelper(t.social, id, t.admin.who.accountId), 'not_found');
  });

  it('refuses a record without consent to record her procedures, and keeps only what her consent covers', async () => {
    const t = await setup();
    await expectCode(openPerson(t.social, input({ consent: { scopes: ['identity'], retentionMonths: 24, language: 'fr' } })), 'invalid_input');
    const { id } = await openPerson(t.social, input({ consent: { scopes: ['procedures'], retentionMonths: 24, language: 'fr' } }));
    const record = await readPerson(t.social, id);
    expect(record.realName).toBeNull();
    expect(record.profile).toMatchObject({ nationality: null, birthYear: null, contactRules: null, languages: ['en', 'pcm'] });
  });

  it('acts on a withdrawal: identity erased; without consent to record procedures, her record closes', async () => {
    const t = await setup();
    const { id } = await openPerson(t.social, input({ consent: { scopes: ['procedures'], retentionMonths: 24, language: 'en' } }));
    // A second consent adds identity and contact.
    const { recordConsent } = await import('./person.service');
    await recordConsent(t.social, id, { scopes: ['identity', 'contact'], retentionMonths: 24, language: 'en' });
    const { updatePerson } = await import('./person.service');
    await updatePerson(t.social, id, { realName: REAL_NAME, profile: input().profile });
    let record = await readPerson(t.social, id);
    expect(record.realName).toBe(REAL_NAME);
    const identityConsent = record.consents.find((c) => c.scopes.includes('identity'))!;
    await withdrawConsent(t.social, id, identityConsent.id);
    record = await readPerson(t.social, id);
    expect(record.realName).toBeNull();
    expect(record.profile.contactRules).toBeNull();
    expect(record.status).toBe('open');
    await expectCode(withdrawConsent(t.social, id, identityConsent.id), 'not_found');
    const procedures = record.consents.find((c) => c.scopes.includes('procedures'))!;
    await withdrawConsent(t.social, id, procedures.id);
    record = await readPerson(t.social, id);
    expect(record.status).toBe('closed');
    await expectCode(openProcedure(t.social, id, 'asylum'), 'conflict');
  });

  it('shows an order to leave France received Friday 23:10 in detention as due Sunday 23:10', async () => {
    const t = await setup();
    const { id } = await openPerson(t.social, input());
    const procedure = await openProcedure(t.social, id, 'removal_order');
    const friday = new Date('2026-11-27T22:30:00Z');
    await recordStep(
      { ...t.social, now: friday },
      procedure.id,
      { transition: 'receive', at: '2026-11-27T23:30', fields: { notified_at: '2026-11-27T23:10', custody: 'retention' } },
      NOTE
    );
    const saturday = new Date('2026-11-28T09:00:00Z');
    const items = await dashboard({ ...t.social, now: saturday }, 'mine');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ group: 'due_48h', label: PSEUDONYM, key: 'removal_appeal', category: 'legal', uncertain: true, visible: true });
    expect(items[0]!.dueAt).toBe('2026-11-29T22:10:00.000Z');
    expect(await dashboard({ ...t.peer, now: saturday }, 'mine')).toEqual([]);

    const view = await readProcedure(t.social, procedure.id);
    expect(view.steps[0]).toMatchObject({ transition: 'receive', note: NOTE, fields: { notified_at: '2026-11-27T23:10', custody: 'retention' } });
    expect(view.allowed).toEqual(['file_appeal', 'end']);

    // The appeal closes the deadline.
    await recordStep({ ...t.social, now: saturday }, procedure.id, { transition: 'file_appeal', at: '2026-11-28T09:30', fields: {} }, null);
    expect(await dashboard({ ...t.social, now: saturday }, 'mine')).toEqual([]);
  });

  it('lists overdue and coming deadlines each to its limit: old overdue ones never hide what falls due tomorrow', async () => {
    const t = await setup();
    const received = async (notifiedAt: string) => {
      const { id } = await openPerson(t.social, input());
      const procedure = await openProcedure(t.social, id, 'removal_order');
      await recordStep({ ...t.social, now: new Date('2026-11-27T22:30:00Z') }, procedure.id, { transition: 'receive', at: notifiedAt, fields: { notified_at: notifiedAt, custody: 'retention' } }, null);
    };
    await received('2026-11-02T10:00');
    await received('2026-11-09T10:00');
    await received('2026-11-27T23:10');
    const saturday = { ...t.social, now: new Date('2026-11-28T09:00:00Z') };
    // Limit 1: the oldest overdue deadline, and still the one due on Sunday.
    expect((await dashboard(saturday, 'mine', 1)).map((i) => [i.group, i.dueAt])).toEqual([
      ['overdue', '2026-11-04T09:00:00.000Z'],
      ['due_48h', '2026-11-29T22:10:00.000Z']
    ]);
    expect((await dashboard(saturday, 'mine')).map((i) => i.group)).toEqual(['overdue', 'overdue', 'due_48h']);
  });

  it('refuses an invalid step with its code and field, and stores nothing', async () => {
    const t = await setup();
    const { id } = await openPerson(t.social, input());
    const procedure = await openProcedure(t.social, id, 'exit_programme');
    const error = await recordStep(t.social, procedure.id, { transition: 'accept', at: '2026-11-01', fields: {} }, 'nothing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepRefusedError);
    expect((error as StepRefusedError).refusal).toEqual({ code: 'not_allowed', field: 'transition' });
    const missing = await recordStep(t.social, procedure.id, { transition: 'submit', at: '2026-11-01', fields: {} }, null).catch((e: unknown) => e);
    expect((missing as StepRefusedError).refusal).toEqual({ code: 'missing_field', field: 'department' });
    expect((await readProcedure(t.social, procedure.id)).steps).toEqual([]);
    await expectCode(recordStep(t.peer, procedure.id, { transition: 'submit', at: '2026-11-01', fields: { department: '75' } }, null), 'not_found');
    await expectCode(recordStep(t.other, procedure.id, { transition: 'submit', at: '2026-11-01', fields: { department: '75' } }, null), 'not_found');
  });

  it('puts the renewal of a permit expiring in 70 days on the dashboard, for her helpers and the association', async () => {
    const t = await setup();
    const { id } = await openPerson(t.social, input());
    const procedure = await openProcedure(t.social, id, 'exit_programme');
    const now = new Date('2026-11-29T10:00:00Z');
    const ctx = { ...t.social, now };
    for (const step of [
      { transition: 'submit', at: '2026-05-04', fields: { department: '75' } },
      { transition: 'schedule_commission', at: '2026-06-01', fields: { commission_date: '2026-06-15' } },
      { transition: 'hold_commission', at: '2026-06-15', fields: { opinion: 'favourable' } },
      { transition: 'accept', at: '2026-07-01', fields: {} },
      { transition: 'issue_permit', at: '2026-08-08', fields: { valid_from: '2026-08-08', valid_to: '2027-02-07' } }
    ]) {
      await recordStep(ctx, procedure.id, step, null);
    }
    const mine = await dashboard(ctx, 'mine');
    expect(mine.map((i) => [i.group, i.key])).toEqual([['coming', 'start_renewal']]);
    expect(mine[0]!.dueAt).toBe(new Date('2026-12-06T23:00:00Z').toISOString());
    // The coordinator sees the association's deadlines, by initials only for people not assigned to her.
    const association = await dashboard({ ...t.coordinator, now }, 'association');
    expect(association).toHaveLength(1);
    expect(association[0]).toMatchObject({ label: 'Q. F.', visible: false, key: 'start_renewal' });
    await expectCode(dashboard({ ...t.social, now }, 'association'), 'forbidden');
  });

  it('lets a coordinator break the glass with a reason; the admins see it', async () => {
    const t = await setup();
    const { id } = await openPerson(t.social, input());
    const search = await listPersons(t.coordinator, { pseudonym: PSEUDONYM });
    expect(search.people).toEqual([]);
    expect(search.hidden).toEqual([id]);
    await expectCode(breakGlass(t.coordinator, id, 'short'), 'invalid_input');
    await expectCode(breakGlass(t.peer, id, REASON), 'forbidden');
    await expectCode(breakGlass(t.other, id, REASON), 'forbidden');
    const now = new Date();
    await breakGlass({ ...t.coordinator, now }, id, REASON);
    expect((await readPerson(t.coordinator, id)).throughGlass).toBe(true);
    // The access ends after a few hours.
    await expectCode(readPerson({ ...t.coordinator, now: new Date(now.getTime() + 5 * 3_600_000) }, id), 'not_found');
    const glass = await listBrokenGlass(t.admin);
    expect(glass).toHaveLength(1);
    expect(glass[0]).toMatchObject({ personId: id, accountId: t.coordinator.who.accountId, reason: REASON, email: expect.stringMatching(/@example\.test$/) });
    await expectCode(listBrokenGlass(t.coordinator), 'forbidden');

    const entries = await t.handle.raw.selectFrom('audit_entry').selectAll().where('organization_id', '=', t.coordinator.who.organizationId).execute();
    expect(entries.filter((e) => e.action === 'person.break_glass')).toHaveLength(1);
    expect(entries.filter((e) => e.action === 'person.view').length).toBeGreaterThanOrEqual(1);
    expect((await verifyAudit(t.db)).ok).toBe(true);
    // Another organization's audit chain says nothing of this record.
    const elsewhere = await t.handle.raw.selectFrom('audit_entry').select('target_id').where('organization_id', '=', t.other.who.organizationId).execute();
    expect(elsewhere.map((e) => e.target_id)).not.toContain(id);
  });

  it('keeps no name, note or reason readable in the raw database', async () => {
    const t = await setup();
    const { id } = await openPerson(t.social, input());
    const procedure = await openProcedure(t.social, id, 'accommodation');
    await recordStep(t.social, procedure.id, { transition: 'request', at: '2026-11-20', fields: { request_to: '115' } }, NOTE);
    await breakGlass(t.coordinator, id, REASON);
    const secrets = [PSEUDONYM, REAL_NAME, NOTE, REASON, 'Never call after 20:00', 'Day centre'];
    let raw: string;
    if (dialect === 'sqlite') {
      await t.handle.close();
      raw = ['', '-wal'].map((suffix) => (fs.existsSync(t.handle.url + suffix) ? fs.readFileSync(t.handle.url + suffix).toString('latin1') : '')).join('');
    } else {
      // As a superuser: the app's own role would see nothing outside its tenant.
      const client = new pg.Client({ connectionString: t.handle.testDb.adminUrl });
      await client.connect();
      try {
        const dumps: string[] = [];
        for (const table of ['case_person', 'case_consent', 'case_procedure', 'case_step', 'case_deadline', 'case_access', 'case_assignment', 'audit_entry']) {
          const { rows } = await client.query(`SELECT * FROM ${table}`);
          dumps.push(JSON.stringify(rows));
        }
        raw = dumps.join('\n');
      } finally {
        await client.end();
      }
    }
    expect(raw.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(raw.includes(secret), secret).toBe(false);
  });
});
