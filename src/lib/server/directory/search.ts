/**
 * Directory search: words (full text, accent- and case-insensitive), categories,
 * audiences, language spoken, free of charge, region, near a place, and open now /
 * at a moment / tonight / this weekend.
 *
 * "Open" is answered in two parts so that 100,000 services stay fast:
 *   A. services with plain weekly hours in the window asked: the weekly-slot index
 *      answers exactly, in SQL, probed for each service the search reaches;
 *   B. services whose hours have an exception or closure around then, or whose
 *      public-holiday rule matters because the window touches a holiday, or every
 *      service when the window touches a daylight-saving change: their hours are
 *      read and checked by the opening-hours module itself, only for the services
 *      a page or the count reaches.
 * A search first reads up to COUNT_CAP (1001 = "more than 1,000", docs/api.md)
 * candidates, plus a margin, in the cheapest order: fewer, and they are every match
 * (exact total, the page ordered by the database among them); more, and the page is
 * walked in name order (a few rows per match) and the total counted to the cap (which
 * the candidates usually reach already, with no second count). Near a place:
 * the services in a box around it (location index) and the national ones, sorted by
 * distance, exact total. docs/performance.md has the figures at 100,000 services.
 * Nothing here logs the query.
 */
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import { isOpenAt, openThisWeekend, openTonight, type OpeningHours } from '../../directory/opening-hours';
import { addParisDays, fromParis, parisDateKey, parisOffsetMinutes, toParis, weekdayOfDateKey } from '../../time/paris-time';
import { isFrenchPublicHoliday } from '../../time/public-holidays';
import { distanceKm, searchWords } from '../../directory/search-text';
import type { AudienceId, CategoryId } from '../../directory/taxonomy';
import { dialectOfDb, matchesAllWords } from './full-text';

type Db = Kysely<Database>;

export type OpenFilter = 'now' | 'tonight' | 'weekend';

export interface SearchQuery {
  words?: string;
  categories?: CategoryId[];
  audiences?: AudienceId[];
  language?: string;
  free?: boolean;
  region?: string;
  /** open at `at` ('now'), tonight after `at`, this weekend from `at` */
  open?: OpenFilter;
  /** the moment the search is about; default now */
  at?: Date;
  near?: { lat: number; lon: number; radiusKm: number };
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  id: string;
  /** from `near`, when the place is public and has coordinates */
  distanceKm: number | null;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
}

export const MAX_LIMIT = 100;

/**
 * Totals are counted up to this many matches: a `total` of 1001 reads "more than
 * 1,000" (a page beyond that raises the cap to offset + limit + 1). Counting every
 * one of tens of thousands of matches was most of a search's time.
 */
export const COUNT_CAP = 1001;

/** Candidates read beyond the cap, so that a few whose hours do not pass still leave the cap reached. */
const CANDIDATE_MARGIN = 100;

interface Window {
  from: Date;
  to: Date;
  check: (hours: OpeningHours) => boolean;
}

function windowOf(open: OpenFilter, at: Date): Window | null {
  const day = parisDateKey(at);
  const atDay = (key: string, hour: number): Date => {
    const [year, month, d] = key.split('-').map(Number) as [number, number, number];
    return fromParis({ year, month, day: d, hour, minute: 0 });
  };
  if (open === 'now') return { from: at, to: new Date(at.getTime() + 60_000), check: (h) => isOpenAt(h, at) };
  if (open === 'tonight') {
    const evening = atDay(day, 20);
    const from = at > evening ? at : evening;
    const to = atDay(addParisDays(day, 1), 6);
    return from < to ? { from, to, check: (h) => openTonight(h, at) } : null;
  }
  const weekday = toParis(at).weekday;
  const from = weekday >= 6 ? at : atDay(addParisDays(day, 6 - weekday), 0);
  const to = atDay(addParisDays(day, 8 - weekday), 0);
  return { from, to, check: (h) => openThisWeekend(h, at) };
}

/** The window as Paris weekday minute ranges [a, b). */
function weeklyRanges(window: Window): Array<{ weekday: number; from: number; to: number }> {
  const ranges: Array<{ weekday: number; from: number; to: number }> = [];
  const first = parisDateKey(window.from);
  const last = parisDateKey(new Date(window.to.getTime() - 1));
  const start = toParis(window.from);
  const end = toParis(window.to);
  for (let day = first; day <= last; day = addParisDays(day, 1)) {
    const a = day === first ? start.hour * 60 + start.minute : 0;
    const b = day === parisDateKey(window.to) ? end.hour * 60 + end.minute : 1440;
    if (b > a) ranges.push({ weekday: weekdayOfDateKey(day), from: a, to: b });
  }
  return ranges;
}

function fromParisKey(key: string): Date {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  return fromParis({ year, month, day, hour: 0, minute: 0 });
}

/** The days whose slots can reach the window: the day before it starts to the day it ends. */
function daysTouching(window: Window): string[] {
  const days: string[] = [];
  const last = parisDateKey(window.to);
  for (let day = addParisDays(parisDateKey(window.from), -1); day <= last; day = addParisDays(day, 1)) days.push(day);
  return days;
}

function touchesDaylightSavingChange(days: string[]): boolean {
  return days.some((day) => parisOffsetMinutes(fromParisKey(day)) !== parisOffsetMinutes(fromParisKey(addParisDays(day, 1))));
}

/** Searches the public directory; returns the total and one page of ids. */
export async function searchServices(db: Db, query: SearchQuery): Promise<SearchResult> {
  const at = query.at ?? new Date();
  const limit = Math.min(Math.max(query.limit ?? 20, 1), MAX_LIMIT);
  const offset = Math.max(query.offset ?? 0, 0);

  const filters: Array<Expression<SqlBool>> = [sql<SqlBool>`s.status in ('active', 'temporarily closed')`];
  const words = searchWords(query.words ?? '');
  if (words.length > 0) filters.push(matchesAllWords(db, words));
  const tagIn = (kind: string, values: string[]) =>
    sql<SqlBool>`s.id in (select service_id from directory_service_tag where kind = ${kind} and value in (${sql.join(values)}))`;
  if (query.categories?.length) filters.push(tagIn('category', query.categories));
  for (const audience of query.audiences ?? []) filters.push(tagIn('audience', [audience]));
  if (query.language) filters.push(tagIn('language', [query.language]));
  if (query.free) filters.push(sql<SqlBool>`s.free = 1`);
  if (query.region) filters.push(sql<SqlBool>`(s.region = ${query.region} or s.is_national = 1)`);

  const window = query.open ? windowOf(query.open, at) : null;
  if (query.open && !window) return { total: 0, hits: [] };
  // Rows matching `toCheck` are candidates whose hours the opening-hours module decides.
  let toCheck: Expression<SqlBool> | null = null;
  if (window) {
    const days = daysTouching(window);
    const firstDay = days[0]!;
    const holiday = days.some(isFrenchPublicHoliday);
    if (touchesDaylightSavingChange(days)) {
      // Twice a year: every service is checked by the opening-hours module.
      toCheck = sql<SqlBool>`s.hours_json is not null`;
      filters.push(toCheck);
    } else {
      // NULL-safe both ways: a service without exceptions or without hours is regular.
      const irregular = holiday
        ? sql<SqlBool>`(s.hours_irregular_until >= ${firstDay} or (s.holiday_policy is not null and s.holiday_policy <> 'open'))`
        : sql<SqlBool>`s.hours_irregular_until >= ${firstDay}`;
      const regularOnly = holiday
        ? sql<SqlBool>`((s.hours_irregular_until is null or s.hours_irregular_until < ${firstDay}) and (s.holiday_policy is null or s.holiday_policy = 'open'))`
        : sql<SqlBool>`(s.hours_irregular_until is null or s.hours_irregular_until < ${firstDay})`;
      const ranges = weeklyRanges(window);
      const slotMatch = sql.join(
        ranges.map((r) => sql`(w.weekday = ${r.weekday} and w.opens < ${r.to} and w.closes > ${r.from})`),
        sql` or `
      );
      // Correlated, so that it is probed (service_id, weekday, … index) only for the rows
      // the other filters and the name order reach, never built for all 100,000;
      // `offset 0` keeps PostgreSQL from turning it into a hash of every slot open then
      // (tens of thousands of rows hashed for a page of 20).
      const probeOnly = dialectOfDb(db) === 'postgres' ? sql` offset 0` : sql``;
      const regular = sql<SqlBool>`(${regularOnly} and exists (select 1 from directory_weekly_slot w where w.service_id = s.id and (${slotMatch})${probeOnly}))`;
      toCheck = irregular;
      filters.push(sql<SqlBool>`(${regular} or ${irregular})`);
    }
  }

  const where = sql<SqlBool>`${sql.join(filters, sql` and `)}`;
  const checkFlag = toCheck ? sql<number>`case when ${toCheck} then 1 else 0 end` : sql<number>`0`;
  // Services whose hours must be checked in code have them read by id, a few at a time.
  const passing = async <R extends { id: string; must_check: number | string }>(rows: R[]): Promise<R[]> => {
    const ids = rows.filter((r) => Number(r.must_check) === 1).map((r) => r.id);
    if (ids.length === 0 || !window) return rows;
    const hours = new Map<string, string | null>();
    for (let i = 0; i < ids.length; i += 500) {
      const found = await db.selectFrom('directory_service').select(['id', 'hours_json']).where('id', 'in', ids.slice(i, i + 500)).execute();
      for (const r of found) hours.set(r.id, r.hours_json);
    }
    return rows.filter((r) => Number(r.must_check) !== 1 || passes(hours.get(r.id) ?? null, window));
  };

  if (query.near) return searchNear(db, query.near, { where, toCheck, checkFlag, window, passing, offset, limit });

  const want = offset + limit;
  const cap = Math.max(COUNT_CAP, want + 1);
  // First up to `cap` candidates (and a margin) in whatever order is cheapest (the
  // planner drives from the most selective filter): those whose weekly hours answer in
  // SQL, then, if fewer than the cap, those whose hours are checked in code. Fewer than
  // that in all: they are every match — the page is put in name order by the database
  // (its collation) among those ids, and the total is exact, with no walk and no count.
  // (A deep page raises the cap: past a few thousand, the walk below does it.)
  const reach = cap + CANDIDATE_MARGIN;
  const candidatesWhere = (flag: 0 | 1) =>
    db.selectFrom('directory_service as s').select(['s.id', checkFlag.as('must_check')]).where(toCheck ? sql<SqlBool>`${where} and ${checkFlag} = ${flag}` : where).limit(reach).execute();
  // Those whose weekly hours answer in SQL first: the cap reached, the total is the cap.
  const regular = await candidatesWhere(0);
  let capReached = regular.length >= cap;
  if (!capReached) {
    // Every regular match is seen; then those whose hours are checked in code.
    const irregular = toCheck ? await candidatesWhere(1) : [];
    if (irregular.length < reach && regular.length + irregular.length <= 5000) {
      const ids = [...regular, ...(await passing(irregular))].map((r) => r.id);
      const total = Math.min(ids.length, cap);
      if (offset >= ids.length) return { total, hits: [] };
      const page = await db.selectFrom('directory_service').select('id').where('id', 'in', ids).orderBy('name').orderBy('id').offset(offset).limit(limit).execute();
      return { total, hits: page.map((r) => ({ id: r.id, distanceKm: null })) };
    }
    capReached = regular.length + (await passing(irregular)).length >= cap;
  }

  // At least `cap` candidates: matches are dense, so walking the name index stops
  // after a few rows per match (SQLite is told to, not to sort every match); then the
  // count, in whatever order is cheapest, stopped at its cap.
  const byName = dialectOfDb(db) === 'sqlite' ? sql`directory_service as s indexed by directory_service_name_idx` : sql`directory_service as s`;
  const accepted: string[] = [];
  let after: { name: string; id: string } | null = null;
  let batch = want;
  for (;;) {
    const from: { name: string; id: string } | null = after;
    const condition = from ? sql<SqlBool>`${where} and (s.name > ${from.name} or (s.name = ${from.name} and s.id > ${from.id}))` : where;
    const rows: Array<{ id: string; name: string; must_check: number | string }> = (
      await sql<{ id: string; name: string; must_check: number | string }>`select s.id, s.name, ${checkFlag} as must_check from ${byName}
        where ${condition} order by s.name, s.id limit ${batch}`.execute(db)
    ).rows;
    accepted.push(...(await passing(rows)).map((r) => r.id));
    if (accepted.length >= want || rows.length < batch) break;
    const last: { id: string; name: string } = rows[rows.length - 1]!;
    after = { name: last.name, id: last.id };
    batch = Math.min(batch * 2, 4000);
  }
  const hits = accepted.slice(offset, want).map((id) => ({ id, distanceKm: null }));
  // Fewer than a page: every match has been seen.
  if (accepted.length < want) return { total: accepted.length, hits };

  // The candidates already hold `cap` matches: that is the total, nothing to count.
  if (capReached) return { total: cap, hits };
  const regularWhere = toCheck ? sql<SqlBool>`${where} and ${checkFlag} = 0` : where;
  const counted = await sql<{ n: number | string }>`select count(*) as n from (select 1 as one from directory_service s where ${regularWhere} limit ${cap}) as t`.execute(db);
  let total = Number(counted.rows[0]?.n ?? 0);
  // Those whose hours are checked in code: by id, a batch at a time, until the cap.
  let lastId: string | null = null;
  while (toCheck && window && total < cap) {
    const fromId: string | null = lastId;
    const rows: Array<{ id: string; hours_json: string | null }> = await db
      .selectFrom('directory_service as s')
      .select(['s.id', 's.hours_json'])
      .where(fromId === null ? sql<SqlBool>`${where} and ${checkFlag} = 1` : sql<SqlBool>`${where} and ${checkFlag} = 1 and s.id > ${fromId}`)
      .orderBy('s.id')
      .limit(1000)
      .execute();
    for (const r of rows) if (passes(r.hours_json, window)) total++;
    if (rows.length < 1000) break;
    lastId = rows[rows.length - 1]!.id;
  }
  return { total: Math.min(total, cap), hits };
}

interface NearPlan {
  where: Expression<SqlBool>;
  toCheck: Expression<SqlBool> | null;
  checkFlag: RawBuilder<number>;
  window: Window | null;
  passing: <R extends { id: string; must_check: number | string }>(rows: R[]) => Promise<R[]>;
  offset: number;
  limit: number;
}

/**
 * Near a commune: the services whose public place is within the radius, nearest first, and
 * the national ones (no place, or a place anywhere: after the located ones). The database
 * orders the places by an equirectangular distance (exact to a few metres at 10 km) and
 * returns only a page; the total is counted up to the cap, like every other search. Only
 * the services whose hours must be checked in code (exceptions, a clock change) are read
 * whole, by id.
 */
async function searchNear(db: Db, near: { lat: number; lon: number; radiusKm: number }, plan: NearPlan): Promise<SearchResult> {
  const { where, toCheck, checkFlag, passing, offset, limit } = plan;
  const kmPerDegLat = 111.195;
  const kmPerDegLon = kmPerDegLat * Math.cos((near.lat * Math.PI) / 180);
  const dLat = near.radiusKm / kmPerDegLat;
  const dLon = near.radiusKm / kmPerDegLon;
  const squared = sql<number>`((l.latitude - ${near.lat}) * ${kmPerDegLat}) * ((l.latitude - ${near.lat}) * ${kmPerDegLat}) + ((l.longitude - ${near.lon}) * ${kmPerDegLon}) * ((l.longitude - ${near.lon}) * ${kmPerDegLon})`;
  // Public places in the box (the covering location index drives), then in the circle.
  const inCircle = sql<SqlBool>`l.confidential = 0 and l.latitude between ${near.lat - dLat} and ${near.lat + dLat}
    and l.longitude between ${near.lon - dLon} and ${near.lon + dLon} and ${squared} <= ${near.radiusKm * near.radiusKm} and s.is_national = 0 and ${where}`;
  const want = offset + limit;
  const cap = Math.max(COUNT_CAP, want + 1);
  type Row = { id: string; name: string; latitude: number | null; longitude: number | null; confidential?: number | null; must_check: number | string };
  const located = async (flag: 0 | 1 | null, max: number): Promise<Row[]> =>
    (await db
      .selectFrom('directory_location as l')
      .innerJoin('directory_service as s', 's.id', 'l.service_id')
      .select(['s.id', 's.name', 'l.latitude', 'l.longitude', checkFlag.as('must_check')])
      .where(flag === null || !toCheck ? inCircle : sql<SqlBool>`${inCircle} and ${checkFlag} = ${flag}`)
      .orderBy(squared)
      .orderBy('s.name')
      .orderBy('s.id')
      .limit(max)
      .execute()) as Row[];
  // Those whose hours answer in SQL: a page in distance order, and their count up to the cap.
  const regular: Row[] = await located(toCheck ? 0 : null, want + 10);
  const regularCount = Number(
    (
      await sql<{ n: number | string }>`select count(*) as n from (select distinct s.id from directory_location l inner join directory_service s on s.id = l.service_id
        where ${toCheck ? sql<SqlBool>`${inCircle} and ${checkFlag} = 0` : inCircle} limit ${cap}) as t`.execute(db)
    ).rows[0]?.n ?? 0
  );
  // Those checked in code (few, but on the night of a clock change: every one in the circle).
  const irregular: Row[] = toCheck ? await passing(await located(1, 100_000)) : [];
  // National services, wherever they are: a handful.
  const national: Row[] = await passing(
    (await db
      .selectFrom('directory_service as s')
      .leftJoin('directory_location as l', 'l.service_id', 's.id')
      .select(['s.id', 's.name', 'l.latitude', 'l.longitude', 'l.confidential', checkFlag.as('must_check')])
      .where(sql<SqlBool>`s.is_national = 1 and ${where}`)
      .execute()) as Row[]
  );
  const byId = new Map<string, { id: string; name: string; distanceKm: number | null }>();
  for (const r of [...regular, ...irregular, ...national]) {
    const placed = r.latitude !== null && r.longitude !== null && Number(r.confidential ?? 0) !== 1;
    const distance = placed ? distanceKm(near, { lat: Number(r.latitude), lon: Number(r.longitude) }) : null;
    const seen = byId.get(r.id);
    if (!seen || (distance ?? Infinity) < (seen.distanceKm ?? Infinity)) byId.set(r.id, { id: r.id, name: r.name, distanceKm: distance });
  }
  // The database's distance and the great-circle one differ by metres: the circle is the database's.
  const nationalIds = new Set(national.map((r) => r.id));
  const hits = [...byId.values()]
    .filter((h) => !nationalIds.has(h.id) || h.distanceKm === null || h.distanceKm <= near.radiusKm)
    .sort((a, b) => (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : 1));
  const total = Math.min(cap, regularCount + new Set(irregular.map((r) => r.id)).size + hits.filter((h) => nationalIds.has(h.id)).length);
  return { total, hits: hits.slice(offset, want).map(({ id, distanceKm: d }) => ({ id, distanceKm: d })) };
}

/** Hours checked in code: no hours is never open. */
function passes(hoursJson: string | null, window: Window): boolean {
  return hoursJson !== null && window.check(JSON.parse(hoursJson) as OpeningHours);
}
