/**
 * Directory search: words (full text, accent- and case-insensitive), categories,
 * audiences, language spoken, free of charge, region, near a place, and open now /
 * at a moment / tonight / this weekend.
 *
 * Words go to the database's full-text index (full-text.ts); every other filter is
 * answered from the in-memory index of the public services (search-memory.ts), brought
 * up to the database's revision first. Hours are asked of their compact form
 * (compact-hours.ts), which answers what the opening-hours module answers; on a window
 * touching a clock change, the few hours it cannot read then are asked of the module.
 * Totals are exact. docs/performance.md has the figures at 100,000 services.
 * Nothing here logs the query.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { isOpenAt, openThisWeekend, openTonight, tonightWindow, weekendWindow, type OpeningHours } from '../../directory/opening-hours';
import { openInWindow, wallWindow, type WallWindow } from '../../directory/compact-hours';
import { distanceKm, searchWords } from '../../directory/search-text';
import type { AudienceId, CategoryId } from '../../directory/taxonomy';
import { keysWithAllWords } from './full-text';
import { FREE, NATIONAL, audienceBits, categoryBits, searchMemory, type SharedHours } from './search-memory';

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

interface Window {
  /** the window as compact hours read it */
  wall: WallWindow;
  /** the opening-hours module's own answer, for the hours compact-hours cannot read on a clock change */
  check: (hours: OpeningHours) => boolean;
}

function windowOf(open: OpenFilter, at: Date): Window {
  if (open === 'now') return { wall: wallWindow(at, at, true), check: (h) => isOpenAt(h, at) };
  if (open === 'tonight') {
    const { from, to } = tonightWindow(at);
    return { wall: wallWindow(from, to), check: (h) => openTonight(h, at) };
  }
  const { from, to } = weekendWindow(at);
  return { wall: wallWindow(from, to), check: (h) => openThisWeekend(h, at) };
}

/**
 * Whether each distinct hours of the table is certainly open at some moment of the
 * window: asked once per hours, not once per service. 1 open, 0 not, -1 not asked yet.
 */
function openAnswers(hours: readonly SharedHours[], window: Window): (h: number) => boolean {
  const answers = new Int8Array(hours.length).fill(-1);
  return (h) => {
    if (answers[h] === -1) {
      const { compact, module } = hours[h]!;
      answers[h] = !compact ? 0 : (window.wall.clockChange && module ? window.check(module) : openInWindow(compact, window.wall)) ? 1 : 0;
    }
    return answers[h] === 1;
  };
}

/** Searches the public directory; returns the exact total and one page of ids. */
export async function searchServices(db: Db, query: SearchQuery): Promise<SearchResult> {
  const at = query.at ?? new Date();
  const limit = Math.min(Math.max(query.limit ?? 20, 1), MAX_LIMIT);
  const offset = Math.max(query.offset ?? 0, 0);
  const window = query.open ? windowOf(query.open, at) : null;
  const categories = query.categories?.length ? categoryBits(query.categories) : 0;
  const audiences = query.audiences?.length ? audienceBits(query.audiences) : 0;
  if ((query.categories?.length && !categories) || (query.audiences?.length && !audiences)) return { total: 0, hits: [] };

  const words = searchWords(query.words ?? '');
  const withWords = words.length > 0 ? await keysWithAllWords(db, words) : null;
  if (withWords?.length === 0) return { total: 0, hits: [] };
  const table = (await searchMemory(db)).table();

  // The positions to look at: those the words found (in name order), or every one.
  let positions: Int32Array | null = null;
  if (withWords) {
    positions = new Int32Array(withWords.length);
    let n = 0;
    for (const key of withWords) {
      const i = key < table.positionOfKey.length ? table.positionOfKey[key]! : -1;
      if (i >= 0) positions[n++] = i;
    }
    positions = positions.subarray(0, n).sort();
  }
  const count = positions ? positions.length : table.services.length;
  const { language, free, near } = query;
  const region = query.region === undefined ? -2 : table.regionNames.indexOf(query.region);
  const open = window ? openAnswers(table.hours, window) : null;
  const { categories: cats, audiences: auds, flags, regions, hoursOf, latitudes, longitudes } = table;

  const matching = new Int32Array(count);
  let found = 0;
  for (let k = 0; k < count; k++) {
    const i = positions ? positions[k]! : k;
    if (categories && (cats[i]! & categories) === 0) continue;
    if (audiences && (auds[i]! & audiences) !== audiences) continue;
    if (free && (flags[i]! & FREE) === 0) continue;
    if (region !== -2 && (region === -1 || regions[i] !== region) && (flags[i]! & NATIONAL) === 0) continue;
    if (open && (hoursOf[i]! < 0 || !open(hoursOf[i]!))) continue;
    if (language && !table.services[i]!.languages.includes(language)) continue;
    matching[found++] = i;
  }

  if (!near) {
    return { total: found, hits: [...matching.subarray(Math.min(offset, found), Math.min(offset + limit, found))].map((i) => ({ id: table.services[i]!.id, distanceKm: null })) };
  }

  // Near a place: the services whose public place is within the radius, nearest first,
  // then the national ones without a public place (after them, in name order). Only the
  // nearest `offset + limit` are kept in order (all are counted): tens of thousands in
  // the circle are not sorted for a page of 20.
  const want = offset + limit;
  // A page far down the list: every one in the circle, sorted once (stable: name order kept).
  const deep = want > 1000;
  const nearest: Array<{ i: number; distance: number }> = [];
  let located = 0;
  const elsewhere: number[] = [];
  for (const i of matching.subarray(0, found)) {
    if (Number.isNaN(latitudes[i]!)) {
      if (flags[i]! & NATIONAL) elsewhere.push(i);
      continue;
    }
    const distance = distanceKm(near, { lat: latitudes[i]!, lon: longitudes[i]! });
    if (distance > near.radiusKm) continue;
    located++;
    if (deep) {
      nearest.push({ i, distance });
      continue;
    }
    if (nearest.length === want && distance >= nearest[want - 1]!.distance) continue;
    // after every one as near: equal distances keep the name order
    let low = 0;
    let high = nearest.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (nearest[middle]!.distance <= distance) low = middle + 1;
      else high = middle;
    }
    nearest.splice(low, 0, { i, distance });
    if (nearest.length > want) nearest.pop();
  }
  if (deep) nearest.sort((a, b) => a.distance - b.distance);
  const page = [
    ...nearest.slice(0, want).map(({ i, distance }) => ({ id: table.services[i]!.id, distanceKm: distance })),
    ...elsewhere.slice(0, Math.max(0, want - located)).map((i) => ({ id: table.services[i]!.id, distanceKm: null }))
  ];
  return { total: located + elsewhere.length, hits: page.slice(offset, want) };
}
