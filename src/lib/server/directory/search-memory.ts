/**
 * The directory search's in-memory index: every public service (active or temporarily
 * closed) with what the search filters on — categories, audiences, languages, free of
 * charge, region, its public place, and its hours made compact (compact-hours.ts) — in
 * name order. A search reads it instead of asking the database to combine "open now" with
 * the other filters row by row: 100,000 services are filtered in a few milliseconds, and
 * totals are exact (docs/performance.md).
 *
 * The database stays the truth, for any number of processes: each write takes the next
 * directory revision (repository.ts, migration 20261130T1400), and each search first
 * reads the revision (one row). When it moved, the index reads the services written
 * since and the ids deleted since; the first search of a process reads every service
 * (the app starts that reading when it opens its database). Words stay with the
 * database's full-text index (full-text.ts). Nothing here is logged.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { compactHours, type CompactHours } from '../../directory/compact-hours';
import type { OpeningHours } from '../../directory/opening-hours';
import { audienceIds, categoryIds } from '../../directory/taxonomy';
import { dialectOfDb } from './full-text';

type Db = Kysely<Database>;

export interface IndexedService {
  id: string;
  /** what the full-text index gives for it (full-text.ts keysWithAllWords): SQLite's rowid, PostgreSQL's directory_service_fts.key; -1 none */
  key: number;
  name: string;
  /** bits in the order of `categoryIds` / `audienceIds` */
  categories: number;
  audiences: number;
  languages: readonly string[];
  free: boolean;
  region: string | null;
  national: boolean;
  /** the public place: null when none, without coordinates, or confidential */
  place: { lat: number; lon: number } | null;
  /** null: hours unknown (never open) */
  hours: SharedHours | null;
}

/** Hours as services share them: one object for every service with the same stored hours. */
export interface SharedHours {
  /** null when the stored hours cannot be read (never said open) */
  compact: CompactHours | null;
  /** the hours as stored, kept only when the opening-hours module must decide (compact-hours.ts) */
  module: OpeningHours | null;
}

const CATEGORY_BIT = new Map<string, number>(categoryIds.map((id, i) => [id, 1 << i]));
const AUDIENCE_BIT = new Map<string, number>(audienceIds.map((id, i) => [id, 1 << i]));

/** The bits of these categories (or audiences); 0 when none is known. */
export const categoryBits = (ids: readonly string[]): number => ids.reduce((bits, id) => bits | (CATEGORY_BIT.get(id) ?? 0), 0);
export const audienceBits = (ids: readonly string[]): number => ids.reduce((bits, id) => bits | (AUDIENCE_BIT.get(id) ?? 0), 0);

const SEARCHABLE = ['active', 'temporarily closed'];

/** Names in the order a French reader expects (accents with their letter, "2" before "10"), then ids. */
const collator = new Intl.Collator('fr', { numeric: true });
const byName = (a: IndexedService, b: IndexedService): number => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const FREE = 1;
export const NATIONAL = 2;

/**
 * The services in name order, and what a search filters on in flat arrays (position i =
 * services[i]): a search reads them in order without visiting each service's object.
 */
export interface SearchTable {
  services: readonly IndexedService[];
  categories: Int32Array;
  audiences: Int32Array;
  /** FREE | NATIONAL */
  flags: Uint8Array;
  /** index in `regionNames`; -1 none */
  regions: Int32Array;
  regionNames: readonly string[];
  /** index in `hours`; -1 hours unknown */
  hoursOf: Int32Array;
  hours: readonly SharedHours[];
  /** NaN: no public place */
  latitudes: Float64Array;
  longitudes: Float64Array;
  /** full-text key (IndexedService.key) → position; -1 none */
  positionOfKey: Int32Array;
}

function tableOf(services: IndexedService[]): SearchTable {
  const n = services.length;
  const table = {
    services,
    categories: new Int32Array(n),
    audiences: new Int32Array(n),
    flags: new Uint8Array(n),
    regions: new Int32Array(n),
    regionNames: [] as string[],
    hoursOf: new Int32Array(n),
    hours: [] as SharedHours[],
    latitudes: new Float64Array(n),
    longitudes: new Float64Array(n),
    positionOfKey: new Int32Array(services.reduce((max, s) => Math.max(max, s.key), -1) + 1).fill(-1)
  };
  const regionIndex = new Map<string, number>();
  const hoursIndex = new Map<SharedHours, number>();
  services.forEach((s, i) => {
    table.categories[i] = s.categories;
    table.audiences[i] = s.audiences;
    table.flags[i] = (s.free ? FREE : 0) | (s.national ? NATIONAL : 0);
    let region = -1;
    if (s.region !== null) {
      region = regionIndex.get(s.region) ?? table.regionNames.push(s.region) - 1;
      regionIndex.set(s.region, region);
    }
    table.regions[i] = region;
    let hours = -1;
    if (s.hours) {
      hours = hoursIndex.get(s.hours) ?? table.hours.push(s.hours) - 1;
      hoursIndex.set(s.hours, hours);
    }
    table.hoursOf[i] = hours;
    table.latitudes[i] = s.place ? s.place.lat : NaN;
    table.longitudes[i] = s.place ? s.place.lon : NaN;
    if (s.key >= 0) table.positionOfKey[s.key] = i;
  });
  return table;
}

export class SearchMemory {
  private services = new Map<string, IndexedService>();
  private packed: SearchTable | null = null;
  /** the name order before the last reading, until the next table is made */
  private staleOrder: readonly IndexedService[] | null = null;
  private revision = -1;
  private reading: Promise<void> | null = null;
  private shared = new Shared();

  /** The public services in name order, with their flat arrays, as of the revision last read. */
  table(): SearchTable {
    this.packed ??= tableOf(this.inNameOrder());
    return this.packed;
  }

  /**
   * The services in name order. After a change, the previous order is kept: the services
   * read again are taken out and put back in place (one merge), rather than sorting
   * 100,000 names again after each edit.
   */
  private inNameOrder(): IndexedService[] {
    const previous = this.packed?.services ?? this.staleOrder;
    this.staleOrder = null;
    const current = [...this.services.values()];
    if (!previous) return current.sort(byName);
    const kept = previous.filter((s) => this.services.get(s.id) === s);
    const keptSet = new Set(kept);
    const added = current.filter((s) => !keptSet.has(s)).sort(byName);
    const merged: IndexedService[] = [];
    let a = 0;
    let b = 0;
    while (a < kept.length || b < added.length) {
      if (b >= added.length || (a < kept.length && byName(kept[a]!, added[b]!) <= 0)) merged.push(kept[a++]!);
      else merged.push(added[b++]!);
    }
    return merged;
  }

  get size(): number {
    return this.services.size;
  }

  /** Brings the index up to the database's revision (one small read when nothing changed). */
  async refresh(db: Db): Promise<void> {
    const current = await currentRevision(db);
    // A database that went back (emptied, then restored from a backup) is read whole again.
    if (current < this.revision && !this.reading) this.revision = -1;
    // One reading at a time: a search that arrives meanwhile waits for it, then reads
    // again if that reading began before the revision it saw.
    while (this.revision < current) {
      this.reading ??= this.readSince(db).finally(() => {
        this.reading = null;
      });
      await this.reading;
    }
  }

  /**
   * Reads what was written after the revision this index has (everything, the first time),
   * two thousand services at a time so that the process goes on answering meanwhile (SQLite
   * reads block it). No transaction: the revision is read first, so everything up to it is
   * in what follows; a write landing during the reading is read again next time (it has a
   * later revision), and reading a service twice changes nothing.
   */
  private async readSince(db: Db): Promise<void> {
    const since = this.revision < 0 ? null : this.revision;
    const revision = await currentRevision(db);
    const services = since === null ? new Map<string, IndexedService>() : this.services;
    const shared = since === null ? new Shared() : this.shared;
    if (since !== null) {
      const removed = await db.selectFrom('directory_service_removed').select('service_id').where('revision', '>', since).execute();
      for (const r of removed) services.delete(r.service_id);
    }
    const postgres = dialectOfDb(db) === 'postgres';
    for (let after = '', more = true; more; ) {
      const rows = (
        await sql<ServiceRow>`select s.id, ${postgres ? sql`null` : sql`s.rowid`} as key, s.name, s.status, s.free, s.region, s.is_national, s.hours_json
          from directory_service s where s.id > ${after} ${since === null ? sql`` : sql`and s.revision > ${since}`} order by s.id limit ${READ_BATCH}`.execute(db)
      ).rows;
      more = rows.length === READ_BATCH;
      if (rows.length === 0) break;
      // Their tags, places and (PostgreSQL) full-text keys: by the range of ids read when
      // reading everything (an index range each), by id when reading a few changes.
      const first = after;
      const last = rows[rows.length - 1]!.id;
      const ofThese = (column: string) =>
        since === null ? sql`${sql.ref(column)} > ${first} and ${sql.ref(column)} <= ${last}` : sql`${sql.ref(column)} in (${sql.join(rows.map((r) => r.id))})`;
      after = last;
      const tags = (await sql<TagRow>`select service_id, kind, value from directory_service_tag where ${ofThese('service_id')}`.execute(db)).rows;
      const places = (await sql<PlaceRow>`select service_id, latitude, longitude, confidential from directory_location where ${ofThese('service_id')}`.execute(db)).rows;
      const keys = postgres ? (await sql<{ service_id: string; key: number }>`select service_id, key from directory_service_fts where ${ofThese('service_id')}`.execute(db)).rows : [];
      const tagsOf = new Map<string, TagRow[]>();
      for (const tag of tags) {
        const list = tagsOf.get(tag.service_id);
        if (list) list.push(tag);
        else tagsOf.set(tag.service_id, [tag]);
      }
      const placeOf = new Map(places.map((p) => [p.service_id, p]));
      const keyOf = new Map(keys.map((k) => [k.service_id, k.key]));
      for (const row of rows) {
        if (!SEARCHABLE.includes(row.status)) services.delete(row.id);
        else services.set(row.id, indexed({ ...row, key: postgres ? (keyOf.get(row.id) ?? null) : row.key }, tagsOf.get(row.id) ?? [], placeOf.get(row.id) ?? null, shared));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Everything read again: sorted anew. A few changes: merged into the order there was.
    this.staleOrder = since === null ? null : (this.packed?.services ?? this.staleOrder);
    this.services = services;
    this.shared = shared;
    this.packed = null;
    this.revision = revision;
  }
}

/** Services read at a time. */
const READ_BATCH = 2000;

interface ServiceRow {
  id: string;
  key: number | string | null;
  name: string;
  status: string;
  free: number | null;
  region: string | null;
  is_national: number;
  hours_json: string | null;
}

interface PlaceRow {
  service_id: string;
  latitude: number | null;
  longitude: number | null;
  confidential: number;
}

interface TagRow {
  service_id: string;
  kind: string;
  value: string;
}

/**
 * Services share hours (09:00–17:00 on weekdays, 24/7…) and language lists: each distinct
 * one is held once, by its stored text. Less memory, and a search asks each distinct
 * hours once (search.ts).
 */
class Shared {
  private hours = new Map<string, SharedHours>();
  private languages = new Map<string, readonly string[]>();

  hoursOf(json: string): SharedHours {
    let found = this.hours.get(json);
    if (!found) {
      const hours = JSON.parse(json) as OpeningHours;
      let compact: CompactHours | null = null;
      try {
        compact = compactHours(hours);
      } catch {
        // Saved hours are validated; a row written by hand that is not stays "hours
        // unknown" (never said open) rather than failing every search.
      }
      found = { compact, module: compact?.needsModuleOnClockChange ? hours : null };
      this.hours.set(json, found);
    }
    return found;
  }

  languagesOf(list: string[]): readonly string[] {
    const key = list.sort().join(' ');
    let found = this.languages.get(key);
    if (!found) this.languages.set(key, (found = Object.freeze(list)));
    return found;
  }
}

function indexed(row: ServiceRow, tags: TagRow[], place: PlaceRow | null, shared: Shared): IndexedService {
  const hours = row.hours_json === null ? null : shared.hoursOf(row.hours_json);
  const lat = place?.latitude == null ? null : Number(place.latitude);
  const lon = place?.longitude == null ? null : Number(place.longitude);
  return {
    id: row.id,
    key: row.key === null ? -1 : Number(row.key),
    name: row.name,
    categories: categoryBits(tags.filter((t) => t.kind === 'category').map((t) => t.value)),
    audiences: audienceBits(tags.filter((t) => t.kind === 'audience').map((t) => t.value)),
    languages: shared.languagesOf(tags.filter((t) => t.kind === 'language').map((t) => t.value)),
    free: Number(row.free) === 1,
    region: row.region,
    national: Number(row.is_national) === 1,
    place: lat !== null && lon !== null && Number(place?.confidential ?? 0) !== 1 ? { lat, lon } : null,
    hours
  };
}

/** The revision of the last directory write; 0 before any. */
async function currentRevision(db: Db): Promise<number> {
  const row = await db.selectFrom('directory_revision').select('revision').where('id', '=', 1).executeTakeFirst();
  return row ? Number(row.revision) : 0;
}

// One index per database handle (a process has one; tests open many).
const memories = new WeakMap<Db, SearchMemory>();

/** The index of this database, brought up to date. */
export async function searchMemory(db: Db): Promise<SearchMemory> {
  let memory = memories.get(db);
  if (!memory) {
    memory = new SearchMemory();
    memories.set(db, memory);
  }
  await memory.refresh(db);
  return memory;
}
