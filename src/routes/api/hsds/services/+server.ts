import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { database } from '$lib/server/db/index';
import { listHsdsServices } from '$lib/server/directory/hsds-api';

/** GET /api/hsds/services?page=&per_page=&search=&modified_after=&taxonomy_term_id= — HSDS 3.0 paged list. */
export const GET: RequestHandler = async ({ url }) => {
  const { db } = await database();
  const result = await listHsdsServices(db, url.searchParams);
  return json(result.body, { status: result.status, headers: { 'cache-control': 'no-store' } });
};
