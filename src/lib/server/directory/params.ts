/**
 * Reads a directory search from a URL's query string, for the search page (a GET form)
 * and the JSON API. Invalid values are named in `invalid` (the page ignores them and
 * says so; the API answers 400 naming the field).
 */
import { parseIsoDateTime } from '../../time/paris-time';
import { isAudienceId, isCategoryId, isLanguageCode, type AudienceId, type CategoryId } from '../../directory/taxonomy';
import { findPlace, regions, type Place } from './places';
import { MAX_LIMIT, type OpenFilter, type SearchQuery } from './search';

export interface SearchForm {
  q: string;
  category: string;
  when: '' | OpenFilter;
  language: string;
  women: boolean;
  free: boolean;
  near: string;
  page: number;
}

export interface ParsedSearch {
  query: SearchQuery;
  form: SearchForm;
  place: Place | null;
  invalid: string[];
}

const list = (params: URLSearchParams, name: string): string[] =>
  params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

export const PAGE_SIZE = 20;
export const NEAR_RADIUS_KM = 8;

/** Parses both the page's names (when, women, page) and the API's (open_now, weekend, audience, open_at, limit, offset). */
export function parseSearchParams(params: URLSearchParams, now: Date): ParsedSearch {
  const invalid: string[] = [];
  const q = (params.get('q') ?? '').slice(0, 200);

  const categoryValues = list(params, 'category');
  const categories: CategoryId[] = [];
  for (const c of categoryValues) (isCategoryId(c) ? categories.push(c) : invalid.push('category'));

  const audiences: AudienceId[] = [];
  for (const a of list(params, 'audience')) (isAudienceId(a) ? audiences.push(a) : invalid.push('audience'));
  const women = params.get('women') === '1';
  if (women && !audiences.includes('women_only')) audiences.push('women_only');

  const language = params.get('language') ?? '';
  if (language && !isLanguageCode(language)) invalid.push('language');

  let at = now;
  const openAt = params.get('open_at');
  if (openAt) {
    const parsed = parseIsoDateTime(openAt);
    if (parsed) at = parsed;
    else invalid.push('open_at');
  }

  let when: '' | OpenFilter = '';
  const whenValue = params.get('when') ?? '';
  if (whenValue === 'now' || whenValue === 'tonight' || whenValue === 'weekend') when = whenValue;
  else if (whenValue) invalid.push('when');
  if (params.get('open_now') === '1') when = 'now';
  if (params.get('tonight') === '1') when = 'tonight';
  if (params.get('weekend') === '1') when = 'weekend';

  const free = params.get('free') === '1';

  const nearCode = params.get('near') ?? '';
  const place = nearCode ? (findPlace(nearCode) ?? null) : null;
  if (nearCode && !place) invalid.push('near');

  const region = params.get('region') ?? '';
  if (region && !regions.includes(region)) invalid.push('region');

  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const raw = params.get(name);
    if (raw === null || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      invalid.push(name);
      return fallback;
    }
    return n;
  };
  const page = integer('page', 1, 10_000, 1);
  const limit = integer('limit', 1, MAX_LIMIT, PAGE_SIZE);
  const offset = params.has('offset') ? integer('offset', 0, 1_000_000, 0) : (page - 1) * limit;

  const query: SearchQuery = {
    words: q,
    categories,
    audiences,
    ...(language && isLanguageCode(language) ? { language } : {}),
    free,
    ...(region && regions.includes(region) ? { region } : {}),
    ...(when ? { open: when } : {}),
    at,
    ...(place ? { near: { lat: place.lat, lon: place.lon, radiusKm: NEAR_RADIUS_KM } } : {}),
    limit,
    offset
  };
  return {
    query,
    form: { q, category: categories[0] ?? '', when, language: isLanguageCode(language) ? language : '', women, free, near: place?.code ?? '', page },
    place,
    invalid: [...new Set(invalid)]
  };
}
