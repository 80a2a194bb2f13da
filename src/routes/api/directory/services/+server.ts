import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { database } from '$lib/server/db/index';
import { parseSearchParams } from '$lib/server/directory/params';
import { searchServices } from '$lib/server/directory/search';
import { findServicesByIds, listNoticesInForce } from '$lib/server/directory/repository';
import { apiService } from '$lib/server/directory/view';
import { translator } from '$lib/i18n/translate';
import { formatIsoParis } from '$lib/time/paris-time';

/**
 * GET /api/directory/services?q=&category=&open_at=&open_now=1&weekend=1&tonight=1&language=&audience=&free=1&near=&region=&limit=&offset=
 * Public, read-only; texts in the language of Accept-Language (or ?lang=).
 */
export const GET: RequestHandler = async ({ url, locals }) => {
  const parsed = parseSearchParams(url.searchParams, new Date());
  const lang = url.searchParams.get('lang');
  const locale = lang === 'fr' || lang === 'en' || lang === 'pcm' ? lang : locals.locale;
  if (parsed.invalid.length > 0) {
    const field = parsed.invalid[0]!;
    return json(
      { error: { code: 'invalid_input', message: translator(locale)('directory.error.invalid_parameter', { field }), field } },
      { status: 400, headers: { 'cache-control': 'no-store' } }
    );
  }
  const { db } = await database();
  const at = parsed.query.at ?? new Date();
  const result = await searchServices(db, parsed.query);
  const services = await findServicesByIds(db, result.hits.map((h) => h.id));
  const notices = await listNoticesInForce(db, services.map((s) => s.id), at);
  const distance = new Map(result.hits.map((h) => [h.id, h.distanceKm]));
  return json(
    {
      at: formatIsoParis(at),
      total: result.total,
      services: services.map((s) => apiService(s, locale, at, notices.get(s.id) ?? [], distance.get(s.id) ?? null))
    },
    { headers: { 'cache-control': 'no-store' } }
  );
};
