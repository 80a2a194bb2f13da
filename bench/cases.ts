/**
 * Case tracker benchmark (issue 6, "Lists and search"): 10,000 then 100,000 generated
 * people (`relais demo generate`'s generator: real keys, real encryption, procedures
 * played through the machine) in a temporary SQLite database, and PostgreSQL too when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set (as the app's role, under row-level
 * security). Measures, through the service functions the pages call, the dashboard and
 * the list's first and middle pages with each filter, p50/p99 over RUNS runs (after 5
 * warm-up runs), and the cost of decrypting a page of 50 pseudonyms. Prints nothing:
 * returns the rows.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, openTestDatabase } from '../tests/support/databases';
import type { Dialect } from '../src/lib/server/db/connect';
import type { Database } from '../src/lib/server/db/schema';
import { inTenant } from '../src/lib/server/db/tenant';
import { dataKeyOf } from '../src/lib/server/accounts/organization.service';
import type { SignedIn } from '../src/lib/server/accounts/sign-in.service';
import { dashboard, listPersons, personKeyOf, type CaseContext, type PersonListQuery } from '../src/lib/server/accompaniment/person.service';
import { decryptField, dataKeyWrapper, fieldCipher } from '../src/lib/server/crypto/envelope';
import { generateDemoCases, generatedPseudonym, type GenerateSummary } from '../src/lib/server/demo/generate-cases';

const SIZES = [10_000, 100_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const PAGE_SIZE = 25;

export interface Row {
  [key: string]: string | number;
  name: string;
  p50_ms: number;
  p99_ms: number | string;
  max_ms: number | string;
  cpu_p50_ms: number | string;
  cpu_p99_ms: number | string;
  rows: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Wall time (what a user waits) and this process's CPU time (the same work on an idle machine, for SQLite). */
async function measure(name: string, run: (i: number) => Promise<number>, runs = RUNS): Promise<Row> {
  for (let i = 0; i < 5; i++) await run(runs + i);
  const times: number[] = [];
  const cpus: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    rows = await run(i);
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  process.stderr.write(`  ${name}: p50 ${round(percentile(times, 50))} ms, p99 ${round(percentile(times, 99))} ms\n`);
  return { name, p50_ms: round(percentile(times, 50)), p99_ms: round(percentile(times, 99)), max_ms: round(times.at(-1)!), cpu_p50_ms: round(percentile(cpus, 50)), cpu_p99_ms: round(percentile(cpus, 99)), rows };
}

async function helperLoad(db: Kysely<Database>, organizationId: string, accountId: string): Promise<number> {
  const row = await inTenant(db, organizationId, (trx) =>
    trx.selectFrom('case_assignment').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', organizationId).where('account_id', '=', accountId).executeTakeFirstOrThrow()
  );
  return Number(row.n);
}

/** Decrypting pseudonyms only (the rows already read): per page of 50, the way the list does it and with the bulk helpers. */
async function decryptionCost(db: Kysely<Database>, masterKey: Buffer, organizationId: string): Promise<{ perPage: number; perPageBulk: number }> {
  const orgKey = await dataKeyOf(db, masterKey, organizationId);
  const rows = await inTenant(db, organizationId, (trx) =>
    trx.selectFrom('case_person').select(['id', 'wrapped_key', 'pseudonym_encrypted']).where('organization_id', '=', organizationId).limit(50 * 40).execute()
  );
  const pages = Math.floor(rows.length / 50);
  const time = (decrypt: (page: typeof rows) => void) => {
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let p = 0; p < pages; p++) {
        const start = performance.now();
        decrypt(rows.slice(p * 50, p * 50 + 50));
        times.push(performance.now() - start);
      }
    }
    times.sort((a, b) => a - b);
    return round2(percentile(times, 50));
  };
  const round2 = (n: number) => Math.round(n * 1000) / 1000;
  const perPage = time((page) => {
    for (const r of page) decryptField(personKeyOf(orgKey, r), r.pseudonym_encrypted!, { table: 'case_person', column: 'pseudonym', rowId: r.id });
  });
  const perPageBulk = time((page) => {
    const wrapper = dataKeyWrapper(orgKey);
    for (const r of page) fieldCipher(wrapper.unwrap(r.wrapped_key!, `person:${r.id}`)).decrypt(r.pseudonym_encrypted!, { table: 'case_person', column: 'pseudonym', rowId: r.id });
  });
  return { perPage, perPageBulk };
}

async function benchSize(dialect: Dialect, persons: number): Promise<Row[]> {
  const testDb = await createTestDatabase(dialect);
  const handle = await openTestDatabase(testDb);
  try {
    const masterKey = randomBytes(32);
    const now = new Date();
    process.stderr.write(`cases ${dialect}: generating ${persons} people…\n`);
    const summary: GenerateSummary = await generateDemoCases(handle.db, masterKey, { persons, now });
    // What autovacuum does soon after a bulk load.
    if (dialect === 'postgres') await sql`analyze`.execute(handle.owner.withoutPlugins());
    const who = (role: string): SignedIn => {
      const h = summary.helpers.find((x) => x.role === role)!;
      return { sessionId: 'bench', organizationId: summary.organizationId, accountId: h.accountId, role: h.role };
    };
    const social: CaseContext = { db: handle.db, masterKey, who: who('social_worker'), now };
    const coordinator: CaseContext = { db: handle.db, masterKey, who: who('coordinator'), now };
    const other = summary.helpers.find((h) => h.accountId !== social.who.accountId && h.role === 'peer_helper')!.accountId;
    const load = await helperLoad(handle.db, summary.organizationId, social.who.accountId);
    const middle = Math.max(1, Math.floor(load / PAGE_SIZE / 2));
    const label = (what: string) => `${dialect} ${persons / 1000}k: ${what}`;
    const list = (ctx: CaseContext, query: PersonListQuery) => async () => (await listPersons(ctx, query)).people.length;
    const rows: Row[] = [];
    rows.push(await measure(label('dashboard, mine (social worker)'), async () => (await dashboard(social, 'mine')).length));
    rows.push(await measure(label('dashboard, association (coordinator)'), async () => (await dashboard(coordinator, 'association')).length));
    // A middle page is reached by "next" links: its cursor comes from the page before it.
    const cursorAt = async (query: PersonListQuery, page: number) => (await listPersons(social, { ...query, page: Math.max(1, page - 1) })).next ?? undefined;
    const middleOf = async (what: string, query: PersonListQuery, share: number) => {
      const page = Math.max(2, Math.floor((load * share) / PAGE_SIZE / 2));
      const after = await cursorAt(query, page);
      return measure(label(`${what}, middle page (${page}, next-link cursor)`), list(social, { ...query, after }));
    };
    rows.push(await measure(label('list, first page'), list(social, {})));
    rows.push(await middleOf('list', {}, 1));
    // Slow by design (it reads and skips every row before the page): fewer runs.
    rows.push(await measure(label(`list, middle page by offset (page=${middle}), for comparison, 20 runs`), list(social, { page: middle }), 20));
    rows.push(await measure(label('list, status open, first page'), list(social, { status: 'open' })));
    rows.push(await middleOf('list, status closed', { status: 'closed' }, 0.15));
    rows.push(await measure(label('list, with a colleague (helper filter)'), list(social, { helperId: other })));
    rows.push(await measure(label('list, procedure accommodation'), list(social, { kind: 'accommodation' })));
    rows.push(await middleOf('list, procedure accommodation', { kind: 'accommodation' }, 0.25));
    rows.push(await measure(label('list, procedure removal order + overdue'), list(social, { kind: 'removal_order', overdue: true })));
    rows.push(await measure(label('list, overdue, first page'), list(social, { overdue: true })));
    rows.push(await middleOf('list, overdue', { overdue: true }, 0.3));
    rows.push(await measure(label('search by pseudonym (blind index), coordinator'), async (i) => (await listPersons(coordinator, { pseudonym: generatedPseudonym((i * 7919) % persons) })).people.length));
    const cost = await decryptionCost(handle.db, masterKey, summary.organizationId);
    for (const r of rows) r.note = `${summary.seconds} s to generate; her ${load} people`;
    rows.push({ name: label('decrypting a page of 50 pseudonyms (one at a time)'), p50_ms: cost.perPage, p99_ms: '–', max_ms: '–', cpu_p50_ms: '–', cpu_p99_ms: '–', rows: 50, note: 'p50 over 120 pages; key unwrap + field decrypt' });
    rows.push({ name: label('decrypting a page of 50 pseudonyms (as the list does: bulk)'), p50_ms: cost.perPageBulk, p99_ms: '–', max_ms: '–', cpu_p50_ms: '–', cpu_p99_ms: '–', rows: 50, note: 'derivations done once per page' });
    return rows;
  } finally {
    await handle.close();
    await testDb.drop();
  }
}

export async function benchCases(): Promise<Row[]> {
  const rows: Row[] = [];
  // BENCH_CASES_SIZES=10000 and BENCH_CASES_DIALECTS=postgres narrow a run.
  const only = process.env.BENCH_CASES_SIZES ? process.env.BENCH_CASES_SIZES.split(',').map(Number) : SIZES;
  const dialects = (process.env.BENCH_CASES_DIALECTS ?? 'sqlite,postgres').split(',');
  if (dialects.includes('sqlite')) for (const size of only) rows.push(...(await benchSize('sqlite', size)));
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (pgUrl && dialects.includes('postgres')) {
    process.env.TEST_DATABASE_URL = pgUrl;
    for (const size of only) rows.push(...(await benchSize('postgres', size)));
  }
  return rows;
}
