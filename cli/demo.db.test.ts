import { describe, expect, it } from 'vitest';
import { capture, cliSandbox } from '../tests/support/cli';
import { openTestDatabase, testDialects, type TestDatabase } from '../tests/support/databases';
import { ensureMasterKey, readMasterKey } from '../src/lib/server/crypto/master-key';
import { createOrganization } from '../src/lib/server/accounts/organization.service';
import { listPersons, readPerson, dashboard, type CaseContext } from '../src/lib/server/accompaniment/person.service';
import { generatedPseudonym } from '../src/lib/server/demo/generate-cases';
import { verifyAuditChain } from '../src/lib/server/audit/audit';
import type { Role } from '../src/lib/server/accounts/roles';
import { main } from './main';

describe.each(testDialects())('relais demo generate on %s', (dialect) => {
  let testDb: TestDatabase;
  let dir: string;
  cliSandbox(
    dialect,
    (db, d) => {
      testDb = db;
      dir = d;
    }
  );
  async function run(...argv: string[]) {
    const io = capture();
    const code = await main(argv, io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  }

  it('creates an organization, helpers and 50 sealed people; the pseudonyms are nowhere in the raw rows; the app reads them', async () => {
    const result = await run('demo', 'generate', '--persons', '50', '--json');
    expect(result.err).not.toMatch(/at .*\.ts:\d+/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({ organizationCreated: true, persons: 50 });
    expect(summary.open + summary.closed).toBe(50);
    expect(summary.helpers.length).toBe(5);
    expect(result.err).toContain('generated 50/50 people');

    const handle = await openTestDatabase(testDb, { migrate: false });
    try {
      const raw = handle.raw;
      const org = summary.organizationId as string;
      const count = async (table: 'case_person' | 'case_assignment' | 'case_consent' | 'case_procedure' | 'case_step' | 'case_deadline') =>
        Number((await raw.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', org).executeTakeFirstOrThrow()).n);
      expect(await count('case_person')).toBe(50);
      expect(await count('case_consent')).toBe(50);
      expect(await count('case_assignment')).toBeGreaterThanOrEqual(50);
      expect(await count('case_procedure')).toBe(summary.procedures);
      expect(await count('case_step')).toBe(summary.steps);
      const openDeadlines = Number(
        (await raw.selectFrom('case_deadline').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', org).where('closed_at', 'is', null).executeTakeFirstOrThrow()).n
      );
      expect(openDeadlines).toBe(summary.openDeadlines);
      expect(summary.overdue + summary.due48h + summary.dueWeek).toBeLessThanOrEqual(summary.openDeadlines);

      // The raw rows: ciphertexts and blind indexes only.
      const people = await raw.selectFrom('case_person').selectAll().where('organization_id', '=', org).execute();
      const dump = JSON.stringify(people);
      for (let i = 0; i < 50; i++) expect(dump).not.toContain(generatedPseudonym(i).split(' ')[0] + ' ' + generatedPseudonym(i).split(' ')[1] + ' ' + i);
      expect(dump).not.toContain('Nom généré');
      expect(dump).not.toContain('(gen.)');
      for (const p of people) {
        expect(p.pseudonym_encrypted).toMatch(/^f1\./);
        expect(p.pseudonym_index).toMatch(/^b1\./);
        expect(p.wrapped_key).toMatch(/^k1\./);
      }
      expect(new Set(people.map((p) => p.wrapped_key)).size).toBe(50);

      // The app reads what was generated: a helper finds her people by pseudonym and opens them.
      const masterKey = readMasterKey(process.env.RELAIS_MASTER_KEY_FILE!);
      const helper = summary.helpers.find((h: { role: Role }) => h.role === 'social_worker');
      const ctx: CaseContext = { db: handle.db, masterKey, who: { sessionId: 's', organizationId: org, accountId: helper.accountId, role: helper.role } };
      const mine = await listPersons(ctx, {});
      expect(mine.people.length).toBeGreaterThan(0);
      const first = mine.people[0]!;
      expect(first.pseudonym).toMatch(/ \(gen\.\)$/);
      expect((await listPersons(ctx, { pseudonym: first.pseudonym })).people.map((p) => p.id)).toEqual([first.id]);
      expect((await readPerson(ctx, first.id)).pseudonym).toBe(first.pseudonym);
      expect(Array.isArray(await dashboard(ctx, 'mine'))).toBe(true);
      expect((await verifyAuditChain(handle.db, org)).problem).toBeNull();
      const audit = await raw.selectFrom('audit_entry').select('action').where('chain', '=', org).where('action', '=', 'demo.generate').execute();
      expect(audit.length).toBe(1);
    } finally {
      await handle.close();
    }
  }, 120_000);

  it('adds to an existing organization (--org), numbering on from the people there', async () => {
    const first = JSON.parse((await run('demo', 'generate', '--persons', '3', '--json')).out);
    const again = await run('demo', 'generate', '--persons', '4', '--org', first.organizationId, '--json');
    expect(again.code).toBe(0);
    const second = JSON.parse(again.out);
    expect(second).toMatchObject({ organizationId: first.organizationId, organizationCreated: false, persons: 4 });
    const byId = (list: Array<{ accountId: string }>) => [...list].sort((a, b) => a.accountId.localeCompare(b.accountId));
    expect(byId(second.helpers)).toEqual(byId(first.helpers));
    const handle = await openTestDatabase(testDb, { migrate: false });
    try {
      const n = await handle.raw.selectFrom('case_person').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', first.organizationId).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(7);
    } finally {
      await handle.close();
    }
  }, 60_000);

  it('refuses bad input with exit code 2, a message and no stack trace; writes nothing', async () => {
    for (const [argv, message] of [
      [['--persons', '0'], /positive whole number/],
      [['--persons', '-5'], /positive whole number|--persons/],
      [['--persons', 'ten'], /positive whole number/],
      [['--persons', '2.5'], /positive whole number/],
      [['--persons', '1000001'], /at most 1,000,000/],
      [[], /--persons is required/],
      [['--persons', '5', '--org', 'no such org!'], /--org must be an organization id/],
      [['--persons', '5', '--org', '00000000-0000-4000-8000-000000000000'], /no such organization/],
      [['--persons', '5', '--colour', 'red'], /Unknown option|unknown/i]
    ] as Array<[string[], RegExp]>) {
      const result = await run('demo', 'generate', ...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err, argv.join(' ')).toMatch(message);
      expect(result.err).not.toMatch(/\n\s+at /);
      expect(result.out).toBe('');
    }
    ensureMasterKey(process.env.RELAIS_MASTER_KEY_FILE!);
    const handle = await openTestDatabase(testDb);
    try {
      expect(await handle.raw.selectFrom('case_person').select('id').execute()).toEqual([]);
      // An organization that exists is accepted (the unknown one above was refused before writing).
      const org = await createOrganization(handle.db, readMasterKey(process.env.RELAIS_MASTER_KEY_FILE!), { name: 'Real association', actor: { id: 'cli' } });
      expect((await run('demo', 'generate', '--persons', '2', '--org', org.id)).code).toBe(0);
    } finally {
      await handle.close();
    }
  }, 60_000);
  it('demo participation: loads the replayed consultation (its id in the JSON, listed by consultation list); a bad or unknown --org is a usage error', async () => {
    const result = await run('demo', 'participation', '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({ organizationCreated: true, members: 10, workshops: 2, themes: 4 });
    const listed = await run('consultation', 'list', '--org', summary.organizationId, '--json');
    expect(listed.code).toBe(0);
    expect(JSON.stringify(JSON.parse(listed.out))).toContain(summary.consultationId);
    expect((await run('demo', 'participation', '--org', 'not an id')).code).toBe(2);
    const unknown = await run('demo', 'participation', '--org', 'a1b2c3d4-0000-4000-8000-000000000000');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no such organization/);
  });
});
