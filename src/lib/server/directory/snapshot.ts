/**
 * The offline snapshot: every public service of a region plus the national lines, in
 * a compact JSON the phone keeps and searches (src/lib/directory/offline-search.ts).
 * Public fields only; a confidential place has no address and no coordinates.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { findServicesByIds } from './repository';
import { searchTextOf } from './repository';
import type { OfflineService, OfflineSnapshot } from '../../directory/offline-search';

export async function buildSnapshot(db: Kysely<Database>, region: string, now: Date): Promise<OfflineSnapshot> {
  const rows = await db
    .selectFrom('directory_service')
    .select('id')
    .where('status', 'in', ['active', 'temporarily closed'])
    .where((eb) => eb.or([eb('region', '=', region), eb('is_national', '=', 1)]))
    .orderBy('name')
    .execute();
  const services = await findServicesByIds(db, rows.map((r) => r.id));
  const latest = services.reduce((max, s) => (s.updatedAt > max ? s.updatedAt : max), '');
  return {
    format: 1,
    region,
    generatedAt: now.toISOString(),
    dataUpdatedAt: latest || null,
    services: services.map((s): OfflineService => {
      const loc = s.location && !s.location.confidential ? s.location : null;
      return {
        id: s.id,
        names: Object.fromEntries(Object.entries(s.texts).map(([l, t]) => [l, t.name])),
        sourceLocale: s.sourceLocale,
        categories: s.categories,
        audiences: s.audiences,
        languages: s.languages,
        free: s.free,
        hours: s.hours,
        phones: s.phones.map((p) => ({ number: p.number, display: p.display, kind: p.kind })),
        national: s.national,
        sample: s.sample,
        city: s.location?.city ?? null,
        lat: loc?.latitude ?? null,
        lon: loc?.longitude ?? null,
        text: searchTextOf(s),
        lastVerifiedAt: s.lastVerifiedAt
      };
    })
  };
}
