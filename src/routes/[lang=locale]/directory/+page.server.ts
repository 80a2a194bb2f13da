import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db/index';
import { parseSearchParams } from '$lib/server/directory/params';
import { searchServices } from '$lib/server/directory/search';
import { findServicesByIds, listNoticesInForce } from '$lib/server/directory/repository';
import { summarize } from '$lib/server/directory/view';
import { places } from '$lib/server/directory/places';
import { listTopics } from '$lib/server/guide/content';

// A GET form: the search is in the URL, nothing is stored or logged.
export const load: PageServerLoad = async ({ url, locals }) => {
  const now = new Date();
  const { db } = await database();
  const parsed = parseSearchParams(url.searchParams, now);
  const { query, form } = parsed;
  // "Now" unless the link asks about another moment (open_at, e.g. "this Friday night").
  const at = query.at ?? now;
  const result = await searchServices(db, query);
  const services = await findServicesByIds(db, result.hits.map((h) => h.id));
  const notices = await listNoticesInForce(db, services.map((s) => s.id), at);
  const distance = new Map(result.hits.map((h) => [h.id, h.distanceKm]));
  const topics = form.category
    ? listTopics(locals.locale)
        .filter((topic) => topic.directoryCategories.includes(form.category))
        .map((topic) => ({ id: topic.id, title: topic.title }))
    : [];
  return {
    form,
    invalid: parsed.invalid,
    now: at,
    total: result.total,
    pageSize: query.limit ?? 20,
    results: services.map((s) => summarize(s, locals.locale, at, notices.get(s.id) ?? [], distance.get(s.id) ?? null)),
    places: places.map((p) => ({ code: p.code, name: p.name })),
    topics
  };
};
