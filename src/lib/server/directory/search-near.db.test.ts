/**
 * "Near a commune" gives what checking every place one by one gives: the services whose
 * public place is within the radius (nearest first, then by name) and the national ones,
 * with "open now" and a category, on an ordinary day and on the night of a clock change
 * (when the hours that cannot be read compactly then are asked of the opening-hours module)
 * — on 3,000 generated services, a page at the start and one further on, pages past the
 * 1,000th in a circle that holds them all, and the exact total.
 */
import { describe, expect, it } from 'vitest';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { generateServices } from '../../../../bench/directory';
import { fromParis } from '../../time/paris-time';
import { isOpenAt } from '../../directory/opening-hours';
import { distanceKm } from '../../directory/search-text';
import { insertGeneratedServices } from './repository';
import { searchServices, type SearchQuery } from './search';
import type { DirectoryService } from './model';

const services = generateServices(3000);
const here = { lat: 48.85, lon: 2.35, radiusKm: 5 };
// Every generated place (a box of about 33 × 22 km): pages far down the list.
const everywhere = { lat: 48.85, lon: 2.35, radiusKm: 40 };

/** Places as the database keeps them (PostgreSQL's `real` is single precision): id → place. */
let stored = new Map<string, { lat: number; lon: number }>();

function expected(query: SearchQuery, circle = here): string[] {
  const at = query.at ?? new Date();
  return services
    .filter((s) => s.location && !s.location.confidential && stored.has(s.id))
    .map((s) => ({ s, d: distanceKm(circle, stored.get(s.id)!) }))
    .filter(({ d }) => d <= circle.radiusKm)
    .filter(({ s }) => !query.open || (s.hours !== null && isOpenAt(s.hours, at)))
    .filter(({ s }) => !query.categories || s.categories.some((c) => query.categories!.includes(c)))
    .sort((a, b) => a.d - b.d || (name(a.s) < name(b.s) ? -1 : name(a.s) > name(b.s) ? 1 : 0) || (a.s.id < b.s.id ? -1 : 1))
    .map(({ s }) => s.id);
}
const name = (s: DirectoryService) => s.texts.fr!.name;

describe.each(testDialects())('search near a commune on %s', (dialect) => {
  const open = freshDatabases(dialect);

  it('gives the page and the total that checking every place gives', { timeout: 120_000 }, async () => {
    const { db } = await open();
    await insertGeneratedServices(db, services);
    const places = await db.selectFrom('directory_location').select(['service_id', 'latitude', 'longitude']).where('latitude', 'is not', null).execute();
    stored = new Map(places.map((p) => [p.service_id, { lat: Number(p.latitude), lon: Number(p.longitude) }]));
    const tuesdayMorning = fromParis({ year: 2026, month: 12, day: 8, hour: 10, minute: 30 });
    const tuesdayNight = fromParis({ year: 2026, month: 12, day: 8, hour: 23, minute: 0 });
    // Sunday 25 October 2026, 01:30 in Paris: the night the clocks go back.
    const clockChange = fromParis({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 });
    const queries: SearchQuery[] = [
      { at: tuesdayMorning },
      { open: 'now', at: tuesdayMorning },
      { open: 'now', at: tuesdayNight },
      { open: 'now', at: clockChange },
      { open: 'now', categories: ['legal-aid'], at: tuesdayMorning }
    ];
    for (const query of queries) {
      const all = expected(query);
      expect(all.length, JSON.stringify(query)).toBeGreaterThan(0);
      for (const offset of [0, 40]) {
        const result = await searchServices(db, { ...query, near: here, limit: 20, offset });
        expect(result.hits.map((h) => h.id), `${JSON.stringify(query)} from ${offset}`).toEqual(all.slice(offset, offset + 20));
        expect(result.total).toBe(all.length);
        for (const hit of result.hits) expect(hit.distanceKm).toBeLessThanOrEqual(here.radiusKm);
      }
    }
    // Far down the list (past 1,000), where every place in the circle is sorted at once.
    for (const query of [queries[0]!, queries[1]!]) {
      const all = expected(query, everywhere);
      expect(all.length).toBeGreaterThan(1100);
      for (const offset of [980, 1060]) {
        const result = await searchServices(db, { ...query, near: everywhere, limit: 30, offset });
        expect(result.hits.map((h) => h.id), `${JSON.stringify(query)} from ${offset}`).toEqual(all.slice(offset, offset + 30));
        expect(result.total).toBe(all.length);
      }
    }
  });
});
