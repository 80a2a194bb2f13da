import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { database } from '$lib/server/db/index';
import { buildSnapshot } from '$lib/server/directory/snapshot';
import { regions } from '$lib/server/directory/places';
import { translator } from '$lib/i18n/translate';

/**
 * GET /api/directory/snapshot?region=idf — the compact public directory of a region
 * plus the national lines, for the offline search (cached by the service worker).
 */
export const GET: RequestHandler = async ({ url, locals }) => {
  const region = url.searchParams.get('region') ?? 'idf';
  if (!regions.includes(region)) {
    return json(
      { error: { code: 'invalid_input', message: translator(locals.locale)('directory.error.invalid_parameter', { field: 'region' }), field: 'region' } },
      { status: 400 }
    );
  }
  const { db } = await database();
  const snapshot = await buildSnapshot(db, region, new Date());
  return json(snapshot, { headers: { 'cache-control': 'no-cache' } });
};
