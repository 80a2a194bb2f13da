import type { RequestHandler } from './$types';
import { database } from '$lib/server/db';
import { endSession } from '$lib/server/accounts/sign-in.service';
import { clearSessionCookie, guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';

export const _policy: StaffPolicy = 'signed_in';

/** Ends this session, removes the cookie and asks the browser to forget this site's data. */
export const POST: RequestHandler = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  await endSession(db, { organizationId: who.organizationId, accountId: who.accountId, sessionId: who.sessionId, actorId: who.accountId, action: 'session.sign_out' });
  clearSessionCookie(event.cookies);
  return new Response(null, {
    status: 303,
    headers: { location: '/sign-in', 'clear-site-data': '"cache", "cookies", "storage"', 'cache-control': 'no-store' }
  });
};
