import type { RequestHandler } from './$types';
import { appConfig } from '$lib/server/app-config';
import { readMasterKey } from '$lib/server/crypto/master-key';
import { database } from '$lib/server/db';
import { readCalendarFeed } from '$lib/server/accompaniment/calendar.service';

const private_ = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex' } as const;

/**
 * GET /calendar/<organization id>.<secret>.ics — a helper's private calendar feed. Not a
 * signed-in route: the secret in the URL is the credential (calendar apps send no cookie),
 * so no cookie is read or set. Never cached; the access log writes `/calendar/[token]`
 * (http/server.ts). Unknown, revoked or malformed: 404, all alike.
 */
export const GET: RequestHandler = async ({ params }) => {
  const { db } = await database();
  const config = appConfig();
  const ics = await readCalendarFeed(db, readMasterKey(config.masterKeyFile), params.token, config.origin);
  if (ics === null) return new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...private_ } });
  return new Response(ics, {
    headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'inline; filename="relais.ics"', ...private_ }
  });
};
