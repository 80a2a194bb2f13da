import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { database } from '$lib/server/db/index';
import { findServiceById } from '$lib/server/directory/repository';
import { toHsdsService } from '$lib/server/directory/hsds';

/** GET /api/hsds/services/{id} — one service, full HSDS 3.0 (confidential locations redacted). */
export const GET: RequestHandler = async ({ params }) => {
  const { db } = await database();
  const service = await findServiceById(db, params.id);
  if (!service || service.status === 'inactive') {
    return json({ error: { code: 'not_found', message: 'no such service', field: 'id' } }, { status: 404 });
  }
  return json(toHsdsService(service), { headers: { 'cache-control': 'no-store' } });
};
