/**
 * Directory benchmark: 100,000 generated services in a temporary SQLite database (and
 * PostgreSQL when TEST_DATABASE_URL is set), loaded in one transaction and followed by
 * the statistics refresh a real import runs, then search and "open now" latency,
 * p50/p99 over 100 queries (after 5 warm-up) at varied moments, each including reading
 * the page of 20 records. Prints nothing: returns the rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../tests/support/databases';
import { migrateToLatest, openDatabase, type Dialect } from '../src/lib/server/db/connect';
import { insertGeneratedServices, refreshDirectoryStatistics } from '../src/lib/server/directory/repository';
import { searchServices, type SearchQuery } from '../src/lib/server/directory/search';
import { findServicesByIds } from '../src/lib/server/directory/repository';
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

async function benchOn(dialect: Dialect, services: DirectoryService[]) {
  const target = dialect === 'sqlite'
    ? (() => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-bench-'));
        return { url: path.join(dir, 'bench.db'), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
      })()
    : await createTestDatabase('postgres');
  const handle = openDatabase(target.url);
  try {
    await migrateToLatest(handle.db);
    const started = performance.now();
    await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < services.length; i += 5000) await insertGeneratedServices(trx, services.slice(i, i + 5000));
    });
    await refreshDirectoryStatistics(handle.db);
    const loadSeconds = Math.round((performance.now() - started) / 100) / 10;
    const db = handle.db;
    const page = async (query: SearchQuery) => {
      const result = await searchServices(db, query);
      await findServicesByIds(db, result.hits.map((h) => h.id));
      return result;
    };
    const note = `${services.length} services, ${dialect}, loaded in ${loadSeconds} s; ${RUNS} runs; includes reading the page of 20 records; totals capped at 1001`;
    return [
      { name: `directory ${dialect}: search by words (typical)`, ...(await measure((i) => page({ words: WORDS[i % WORDS.length]!, at: moments[i % moments.length]! }))), note },
      { name: `directory ${dialect}: words + category + open now`, ...(await measure((i) => page({ words: WORDS[i % WORDS.length]!, categories: [categoryIds[i % categoryIds.length]!], open: 'now', at: moments[i % moments.length]! }))), note },
      { name: `directory ${dialect}: category + open now`, ...(await measure((i) => page({ categories: [categoryIds[i % categoryIds.length]!], open: 'now', at: moments[i % moments.length]! }))), note },
      { name: `directory ${dialect}: open now, no other filter (100k)`, ...(await measure((i) => page({ open: 'now', at: moments[i % moments.length]! }))), note },
      { name: `directory ${dialect}: category + open this weekend`, ...(await measure((i) => page({ categories: [categoryIds[i % categoryIds.length]!], open: 'weekend', at: moments[i % moments.length]! }))), note }
    ];
  } finally {
    await handle.close();
    await target.drop();
  }
}

export async function benchDirectory(): Promise<Array<{ name: string; p50_ms: number; p99_ms: number; median_total: number; note?: string }>> {
  const services = generateServices(SERVICES);
  const rows = await benchOn('sqlite', services);
  if (process.env.TEST_DATABASE_URL) rows.push(...(await benchOn('postgres', services)));
  return rows;
}
