import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, openTestDatabase, testDialects, type TestDatabase } from '../../../../tests/support/databases';
import type { Db } from '../db/connect';
import { fromParis } from '../../time/paris-time';
import { loadDirectoryDemo } from './demo';
import { searchServices } from './search';
import { findPlace } from './places';

const paris = (year: number, month: number, day: number, hour: number, minute = 0) => fromParis({ year, month, day, hour, minute });
// Friday 4 December 2026, 23:00 in Paris; Saturday 5 December 10:00; Friday 25 December (Christmas) 10:00
const fridayNight = paris(2026, 12, 4, 23);
const saturdayMorning = paris(2026, 12, 5, 10);

describe.each(testDialects())('directory search on %s', (dialect) => {
  let testDb: TestDatabase;
  let handle: Db;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = await openTestDatabase(testDb);
    await loadDirectoryDemo(handle.db, paris(2026, 11, 29, 12));
  });
  afterAll(async () => {
    await handle?.close();
    await testDb?.drop();
  });
  const ids = async (query: Parameters<typeof searchServices>[1]) => (await searchServices(handle.db, query)).hits.map((h) => h.id);

  it('finds "Hébergement d\'urgence" when she types "hebergement", whatever the case and accents', async () => {
    for (const words of ['hebergement', 'HÉBERGEMENT', 'Hebergement urgence']) {
      expect(await ids({ words, limit: 50 }), words).toContain('fr-115');
    }
  });

  it('finds by words in the reader\'s language and by category words', async () => {
    expect(await ids({ words: 'shelter', limit: 50 })).toContain('fr-115');
    expect(await ids({ words: 'lawyer', limit: 50 })).toContain('sample-paris-saturday-lawyers');
  });

  it('finds the lawyers open on Saturday morning, asked on Friday night for "this weekend"', async () => {
    const found = await ids({ categories: ['legal-aid'], open: 'weekend', at: fridayNight, limit: 50 });
    expect(found).toContain('sample-paris-saturday-lawyers');
    expect(found).not.toContain('sample-paris-legal-weekday');
  });

  it('answers "open now" at 23:00 on a Friday: the night shelter and the 24/7 lines, not the day centre', async () => {
    const found = await ids({ open: 'now', at: fridayNight, limit: 100 });
    expect(found).toContain('sample-paris-night-shelter');
    expect(found).toContain('fr-115');
    expect(found).toContain('sample-paris-confidential-shelter');
    expect(found).not.toContain('sample-paris-day-centre');
    expect(found).not.toContain('fr-116006');
    const morning = await ids({ open: 'now', at: saturdayMorning, limit: 100 });
    expect(morning).toContain('sample-paris-saturday-lawyers');
    expect(morning).not.toContain('sample-paris-night-shelter');
  });

  it('keeps a temporary closure and a public holiday out of "open now"', async () => {
    // the evening support is closed for works from 28 Nov to 20 Dec 2026
    expect(await ids({ open: 'now', at: paris(2026, 12, 1, 19), limit: 100 })).not.toContain('sample-paris-listening');
    const christmas = await ids({ open: 'now', at: paris(2026, 12, 25, 10), limit: 100 });
    expect(christmas).not.toContain('sample-paris-sexual-health');
    expect(christmas).toContain('sample-paris-showers'); // holiday slots 08:00–12:00
    expect(christmas).not.toContain('fr-116006'); // holidays unknown: never said open
  });

  it('filters by language, women only and free, and counts the total', async () => {
    const result = await searchServices(handle.db, { language: 'pcm', audiences: ['women_only'], free: true, limit: 2 });
    expect(result.total).toBeGreaterThan(2);
    expect(result.hits).toHaveLength(2);
  });

  it('sorts by distance from a chosen arrondissement and never places a confidential address', async () => {
    const place = findPlace('75110')!;
    const result = await searchServices(handle.db, { near: { lat: place.lat, lon: place.lon, radiusKm: 5 }, limit: 100 });
    const located = result.hits.filter((h) => h.distanceKm !== null);
    expect(located[0]!.id).toBe('sample-paris-day-centre');
    expect(located.map((h) => h.distanceKm)).toEqual([...located.map((h) => h.distanceKm)].sort((a, b) => a! - b!));
    expect(result.hits.find((h) => h.id === 'sample-paris-confidential-shelter')).toBeUndefined();
  });
});
