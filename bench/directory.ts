/**
 * Directory benchmark: 100,000 generated services in a temporary SQLite database (and
 * PostgreSQL when TEST_DATABASE_URL is set), loaded in one transaction and followed by
 * the statistics refresh a real import runs, then the first search's reading of the
 * in-memory index (time, heap), then search and "open now" latency,
 * p50/p99 over 100 queries (after 5 warm-up) at varied moments, each including reading
 * the page of 20 records. Prints nothing: returns the rows.
 */
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { createTestDatabase } from '../tests/support/databases';
import { openDatabase, openOperatorDatabase, type Db, type Dialect } from '../src/lib/server/db/connect';
import type { Database } from '../src/lib/server/db/schema';
import { findServicesByIds, insertGeneratedServices, listNoticesInForce, refreshDirectoryStatistics } from '../src/lib/server/directory/repository';
import { searchServices, type SearchQuery } from '../src/lib/server/directory/search';
import { searchMemory } from '../src/lib/server/directory/search-memory';
import type { DirectoryService } from '../src/lib/server/directory/model';
import type { OpeningHours } from '../src/lib/directory/opening-hours';
import { categoryIds } from '../src/lib/directory/taxonomy';
import { fromParis } from '../src/lib/time/paris-time';

const SERVICES = 100_000;
const RUNS = 100;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NOUNS = ['Accueil', 'Hébergement', 'Permanence', 'Maison', 'Centre', 'Halte', 'Point', 'Espace', 'Bureau', 'Relais'];
const WHAT = ['de jour', "d'urgence", 'juridique', 'santé', 'des femmes', 'solidaire', 'asile', 'écoute', 'familles', 'jeunes'];
const PLACES = ['Belleville', 'Barbès', 'Nation', 'Bastille', 'Montreuil', 'Saint-Denis', 'Vincennes', 'Créteil', 'Nanterre', 'Bobigny'];

function hoursFor(r: () => number): OpeningHours | null {
  const x = r();
  const days = (list: number[], slots: Array<{ opens: string; closes: string }>) => Object.fromEntries(list.map((d) => [String(d), slots]));
  const ph = (['open', 'closed', 'unknown'] as const)[Math.floor(r() * 3)]!;
  let hours: OpeningHours;
  if (x < 0.05) return null;
  if (x < 0.1) hours = { alwaysOpen: true, weekly: {}, publicHolidays: 'open' };
  else if (x < 0.2) hours = { weekly: days([1, 2, 3, 4, 5, 6, 7], [{ opens: '20:00', closes: '08:00' }]), publicHolidays: ph };
  else if (x < 0.5) hours = { weekly: days([1, 2, 3, 4, 5], [{ opens: '09:00', closes: '12:30' }, { opens: '13:30', closes: '17:00' }]), publicHolidays: ph };
  else if (x < 0.9) {
    const open = 8 + Math.floor(r() * 4);
    hours = { weekly: days([1, 2, 3, 4, 5].filter(() => r() > 0.15), [{ opens: `0${open}:00`.slice(-5), closes: `${13 + Math.floor(r() * 7)}:00` }]), publicHolidays: ph };
  } else hours = { weekly: days([6, 7], [{ opens: '10:00', closes: '14:00' }]), publicHolidays: ph };
  if (r() < 0.02) hours.closures = [{ from: '2026-12-01T00:00', to: '2026-12-20T00:00', reason: 'travaux' }];
  if (r() < 0.02) hours.exceptions = [{ date: '2026-12-24', slots: [{ opens: '10:00', closes: '13:00' }] }];
  return hours;
}

export function generateServices(count: number): DirectoryService[] {
  const r = rng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const name = `${pick(NOUNS)} ${pick(WHAT)} ${pick(PLACES)} ${i}`;
    const categories = [...new Set([pick(categoryIds), ...(r() < 0.4 ? [pick(categoryIds)] : [])])];
    return {
      id: `bench-${i}`,
      organization: { id: `bench-org-${i % 5000}`, name: `Association ${i % 5000}` },
      status: 'active',
      sourceLocale: 'fr',
      texts: {
        fr: { name, description: `Service généré pour la mesure de performance. ${pick(WHAT)} ${pick(PLACES)}.` },
        ...(r() < 0.3 ? { en: { name: `Generated service ${i}`, description: 'Generated for the benchmark.' } } : {})
      },
      categories,
      audiences: r() < 0.3 ? ['women_only'] : [],
      languages: ['fr', ...(r() < 0.5 ? ['en'] : [])],
      free: r() < 0.8,
      wheelchair: null,
      phones: [{ number: '0100000000', display: '01 00 00 00 00', kind: 'voice' }],
      hours: hoursFor(r),
      hoursAlternative: null,
      location: { id: `bench-loc-${i}`, city: pick(PLACES), latitude: 48.7 + r() * 0.3, longitude: 2.2 + r() * 0.3, confidential: r() < 0.03, ...(r() < 0.03 ? { frontDoorPhone: '0100000001' } : {}) },
      region: 'idf',
      national: false,
      sample: true,
      lastVerifiedAt: null,
      lastVerifiedBy: null
    } as DirectoryService;
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(run: (i: number) => Promise<{ total: number }>): Promise<{ p50_ms: number; p99_ms: number; median_total: number }> {
  for (let i = 0; i < 5; i++) await run(RUNS + i); // warm-up, on other inputs than the measured ones
  const times: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const result = await run(i);
    times.push(performance.now() - start);
    totals.push(result.total);
  }
  times.sort((a, b) => a - b);
  totals.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50_ms: round(percentile(times, 50)), p99_ms: round(percentile(times, 99)), median_total: percentile(totals, 50) };
}

// Moments spread over an ordinary week of December 2026 (no holiday, no clock change).
const moments = Array.from({ length: 24 }, (_, i) => fromParis({ year: 2026, month: 12, day: 7 + (i % 6), hour: (i * 7) % 24, minute: (i * 13) % 60 }));
const WORDS = ['hebergement', 'accueil femmes', 'permanence juridique', 'sante', 'ecoute', 'asile belleville'];

/** Places to search near (Paris 10e, Montreuil-like east, Saint-Denis-like north): inside the generated area. */
const NEAR = [
  { lat: 48.876, lon: 2.3604, radiusKm: 8 },
  { lat: 48.8638, lon: 2.4485, radiusKm: 8 },
  { lat: 48.9362, lon: 2.3574, radiusKm: 8 }
];
const TYPICAL_WORDS = ['hébergement', 'avocat'];

/**
 * A temporary database with `services` loaded the way an import leaves it: migrated and
 * loaded by the owner (PostgreSQL: the owner role; the app role reads, under row-level
 * security like the app), statistics refreshed.
 */
export async function prepareBenchDatabase(dialect: Dialect, services: DirectoryService[]): Promise<{ db: Kysely<Database>; loadSeconds: number; close: () => Promise<void> }> {
  const target = await createTestDatabase(dialect);
  const urls = { databaseUrl: target.url, ...(target.ownerUrl ? { ownerDatabaseUrl: target.ownerUrl } : {}) };
  const owner = await openOperatorDatabase(urls, { poolSize: 2 });
  let app: Db | null = null;
  try {
    const started = performance.now();
    await owner.db.transaction().execute(async (trx) => {
      for (let i = 0; i < services.length; i += 5000) await insertGeneratedServices(trx, services.slice(i, i + 5000));
    });
    await refreshDirectoryStatistics(owner.db);
    const loadSeconds = Math.round((performance.now() - started) / 100) / 10;
    app = target.ownerUrl ? openDatabase(target.url) : owner;
    const appDb = app;
    return {
      db: appDb.db,
      loadSeconds,
      async close() {
        if (appDb !== owner) await appDb.close();
        await owner.close();
        await target.drop();
      }
    };
  } catch (error) {
    if (app && app !== owner) await app.close();
    await owner.close();
    await target.drop();
    throw error;
  }
}

/** The measured queries, each as the search page runs it: the search, then its page of records and notices. */
export async function directoryQueries(db: Kysely<Database>, dialect: Dialect, note: string, include: (name: string) => boolean = () => true) {
  const page = async (query: SearchQuery) => {
    const at = query.at ?? new Date();
    const result = await searchServices(db, query);
    const services = await findServicesByIds(db, result.hits.map((h) => h.id));
    await listNoticesInForce(db, services.map((s) => s.id), at);
    return result;
  };
  const cat = (i: number) => [categoryIds[i % categoryIds.length]!];
  const at = (i: number) => moments[i % moments.length]!;
  const near = (i: number) => NEAR[i % NEAR.length]!;
  const word = (i: number) => TYPICAL_WORDS[i % TYPICAL_WORDS.length]!;
  const cases: Array<[string, (i: number) => SearchQuery]> = [
    ['a word ("hébergement" / "avocat")', (i) => ({ words: word(i), at: at(i) })],
    ['search by words (mixed, 1–2 words)', (i) => ({ words: WORDS[i % WORDS.length]!, at: at(i) })],
    ['category', (i) => ({ categories: cat(i), at: at(i) })],
    ['open now, no other filter', (i) => ({ open: 'now', at: at(i) })],
    ['category + open now', (i) => ({ categories: cat(i), open: 'now', at: at(i) })],
    ['category + open this weekend', (i) => ({ categories: cat(i), open: 'weekend', at: at(i) })],
    ['a word + open now', (i) => ({ words: word(i), open: 'now', at: at(i) })],
    ['words + category + open now', (i) => ({ words: WORDS[i % WORDS.length]!, categories: cat(i), open: 'now', at: at(i) })],
    ['a word + region', (i) => ({ words: word(i), region: 'idf', at: at(i) })],
    ['near a commune (8 km)', (i) => ({ near: near(i), at: at(i) })],
    ['category + open now + near a commune', (i) => ({ categories: cat(i), open: 'now', near: near(i), at: at(i) })],
    ['a word + open this weekend + near a commune', (i) => ({ words: word(i), open: 'weekend', near: near(i), at: at(i) })]
  ];
  const rows: Array<{ name: string; p50_ms: number; p99_ms: number; median_total: number; note: string }> = [];
  for (const [name, query] of cases) if (include(name)) rows.push({ name: `directory ${dialect}: ${name}`, ...(await measure((i) => page(query(i)))), note });
  return rows;
}

/** The first search of a process reads every public service into the index: its time and the heap it holds. */
async function indexReading(db: Kysely<Database>, dialect: Dialect) {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const memory = await searchMemory(db);
  const ms = Math.round((performance.now() - start) * 100) / 100;
  global.gc?.();
  const heapMb = Math.round((process.memoryUsage().heapUsed - before) / 1e5) / 10;
  return { name: `directory ${dialect}: first search reads the index`, p50_ms: ms, p99_ms: ms, median_total: memory.size, note: `once per process; heap +${heapMb} MB${global.gc ? '' : ' (without --expose-gc: approximate)'}` };
}

async function benchOn(dialect: Dialect, services: DirectoryService[]) {
  const prepared = await prepareBenchDatabase(dialect, services);
  try {
    const note = `${services.length} services, ${dialect}, loaded in ${prepared.loadSeconds} s; ${RUNS} runs; first page of 20 with its records and notices; exact totals`;
    const first = await indexReading(prepared.db, dialect);
    return [first, ...(await directoryQueries(prepared.db, dialect, note))];
  } finally {
    await prepared.close();
  }
}

export async function benchDirectory(): Promise<Array<{ name: string; p50_ms: number; p99_ms: number; median_total: number; note?: string }>> {
  const services = generateServices(SERVICES);
  const rows = await benchOn('sqlite', services);
  if (process.env.TEST_DATABASE_URL) rows.push(...(await benchOn('postgres', services)));
  return rows;
}
