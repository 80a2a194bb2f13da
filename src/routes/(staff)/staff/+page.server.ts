import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { disableAccount } from '$lib/server/accounts/account.service';
import { endSession, listAccounts, listLiveSessions } from '$lib/server/accounts/sign-in.service';
import { allows, type StaffPolicy } from '$lib/server/accounts/staff.policy';
import { guard, masterKey, sessionLimits } from '$lib/server/accounts/web';
import { listBrokenGlass } from '$lib/server/accompaniment/person.service';
import { calendarFeedOf, createCalendarFeed, revokeCalendarFeed } from '$lib/server/accompaniment/calendar.service';
import { appConfig } from '$lib/server/app-config';

export const _policy: StaffPolicy = 'signed_in';

// A plain function returning a promise: the policy test treats every asynchronous function here as a handler.
function field(request: Request, name: string): Promise<string> {
  return request
    .formData()
    .then((form) => {
      const value = form.get(name);
      return typeof value === 'string' ? value.slice(0, 100) : '';
    })
    .catch(() => '');
}

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  const sessions = await listLiveSessions(db, who, sessionLimits());
  const admin = allows(who.role, 'accounts.manage');
  const accounts = admin ? await listAccounts(db, masterKey(), who.organizationId) : null;
  // Records opened by breaking the glass are shown to the admins, with their reasons.
  const brokenGlass = who.role === 'admin' ? await listBrokenGlass({ db, masterKey: masterKey(), who }) : null;
  // Helpers: their private calendar feed, and whether reminder emails are on.
  const calendar = allows(who.role, 'cases') ? { feed: await calendarFeedOf({ db, masterKey: masterKey(), who }), emails: Boolean(appConfig().smtpUrl) } : null;
  return { sessions, accounts, brokenGlass, calendar };
};

export const actions: Actions = {
  /** Ends one of her own sessions (another account's session is "not found"). */
  endSession: async (event) => {
    const who = await guard(event, _policy);
    const { db } = await database();
    const sessionId = await field(event.request, 'session');
    const ended = await endSession(db, { organizationId: who.organizationId, accountId: who.accountId, sessionId, actorId: who.accountId });
    if (!ended) return fail(400, { problem: 'not_found' });
    return { ended: true };
  },
  /** An admin disables an account of her organization; its sessions end at once. */
  disable: async (event) => {
    const who = await guard(event, 'accounts.manage');
    const { db } = await database();
    const accountId = await field(event.request, 'account');
    if (accountId === who.accountId) return fail(400, { problem: 'self' });
    try {
      await disableAccount(db, { organizationId: who.organizationId, accountId, actor: { id: who.accountId } });
    } catch {
      return fail(400, { problem: 'not_found' });
    }
    return { disabled: true };
  },
  /** A helper creates (or replaces) her calendar feed; its URL is shown this once. */
  createFeed: async (event) => {
    const who = await guard(event, 'cases');
    const { db } = await database();
    const { url } = await createCalendarFeed({ db, masterKey: masterKey(), who }, appConfig().origin, event.locals.locale);
    return { feedUrl: url };
  },
  /** A helper revokes her calendar feed: its URL answers 404 from now on. */
  revokeFeed: async (event) => {
    const who = await guard(event, 'cases');
    const { db } = await database();
    const revoked = await revokeCalendarFeed({ db, masterKey: masterKey(), who });
    return revoked ? { feedRevoked: true } : fail(400, { problem: 'no_feed' });
  }
};
