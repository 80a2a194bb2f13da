import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { DomainError } from '$lib/errors';
import { database } from '$lib/server/db';
import { changeAccountRole, disableAccount, inviteAccount, isEmail } from '$lib/server/accounts/account.service';
import { sendInvitationEmail, type InvitationMailOutcome } from '$lib/server/accounts/invitation.email';
import { isRole } from '$lib/server/accounts/roles';
import { configuredMailer } from '$lib/server/mail/mailer';
import { listPasskeys, removePasskey } from '$lib/server/accounts/passkey.service';
import { endSession, listAccounts, listLiveSessions, listLiveSessionsByAccount } from '$lib/server/accounts/sign-in.service';
import { ROLES } from '$lib/server/accounts/roles';
import { allows, type StaffPolicy } from '$lib/server/accounts/staff.policy';
import { guard, masterKey, relyingParty, requireRecentAuth, sessionLimits } from '$lib/server/accounts/web';
import { listBrokenGlass } from '$lib/server/accompaniment/person.service';
import { calendarFeedOf, createCalendarFeed, revokeCalendarFeed } from '$lib/server/accompaniment/calendar.service';
import { appConfig } from '$lib/server/app-config';
import { translator } from '$lib/i18n/translate';

export const _policy: StaffPolicy = 'signed_in';

// Plain functions returning a promise: the policy test treats every asynchronous function here as a handler.
function fields<K extends string>(request: Request, names: readonly K[]): Promise<Record<K, string>> {
  const read = (form: FormData) =>
    Object.fromEntries(names.map((name) => {
      const value = form.get(name);
      return [name, typeof value === 'string' ? value.slice(0, 100) : ''];
    })) as Record<K, string>;
  return request.formData().then(read).catch(() => read(new FormData()));
}

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  const sessions = await listLiveSessions(db, who, sessionLimits());
  const passkeys = await listPasskeys(db, masterKey(), who);
  const accounts = allows(who.role, 'accounts.manage') ? await listAccounts(db, masterKey(), who.organizationId) : null;
  const sessionsByAccount = allows(who.role, 'sessions.end_any') ? Object.fromEntries(await listLiveSessionsByAccount(db, who.organizationId, sessionLimits())) : null;
  // Records opened by breaking the glass are shown to the admins, with their reasons.
  const brokenGlass = who.role === 'admin' ? await listBrokenGlass({ db, masterKey: masterKey(), who }) : null;
  // Helpers: their private calendar feed, and whether reminder emails are on.
  const calendar = allows(who.role, 'cases') ? { feed: await calendarFeedOf({ db, masterKey: masterKey(), who }), emails: Boolean(appConfig().smtpUrl) } : null;
  return {
    sessions,
    passkeys,
    passkeysAvailable: relyingParty() !== null,
    accounts,
    sessionsByAccount,
    brokenGlass,
    calendar,
    roles: ROLES,
    canChangeRole: allows(who.role, 'accounts.change_role'),
    directory: allows(who.role, 'directory.edit')
  };
};

export const actions: Actions = {
  /** Ends one of her own sessions (another account's session is "not found"). */
  endSession: async (event) => {
    const who = await guard(event, _policy);
    const { db } = await database();
    const { session } = await fields(event.request, ['session']);
    const ended = await endSession(db, { organizationId: who.organizationId, accountId: who.accountId, sessionId: session, actorId: who.accountId });
    if (!ended) return fail(400, { problem: 'not_found' });
    return { done: 'session_ended' };
  },
  /** An admin ends a session of anyone in her organization; that browser is signed out at its next request. */
  endAnySession: async (event) => {
    const who = await guard(event, 'sessions.end_any');
    const { db } = await database();
    const { account, session } = await fields(event.request, ['account', 'session']);
    const ended = await endSession(db, { organizationId: who.organizationId, accountId: account, sessionId: session, actorId: who.accountId });
    if (!ended) return fail(400, { problem: 'not_found' });
    return { done: 'session_ended' };
  },
  /** An admin disables an account of her organization; its sessions end at once. Asks who she is first. */
  disable: async (event) => {
    const who = await guard(event, 'accounts.manage');
    requireRecentAuth(event, who);
    const { db } = await database();
    const { account } = await fields(event.request, ['account']);
    if (account === who.accountId) return fail(400, { problem: 'self' });
    try {
      await disableAccount(db, { organizationId: who.organizationId, accountId: account, actor: { id: who.accountId } });
    } catch {
      return fail(400, { problem: 'not_found' });
    }
    return { done: 'disabled' };
  },
  /**
   * An admin invites someone by email address and role. The one-time link is shown to her
   * this once, and sent to the address when SMTP is configured (a failed mail says so).
   */
  invite: async (event) => {
    const who = await guard(event, 'accounts.manage');
    const { db } = await database();
    const { email, role } = await fields(event.request, ['email', 'role']);
    const values = { email: email.trim(), role };
    if (!isEmail(values.email)) return fail(400, { problem: 'invite_email', field: 'invite-email', values });
    if (!isRole(role)) return fail(400, { problem: 'role', field: 'invite-role', values });
    let invitation: Awaited<ReturnType<typeof inviteAccount>>;
    try {
      invitation = await inviteAccount(db, masterKey(), { organizationId: who.organizationId, email: values.email, role, actor: { id: who.accountId } });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'conflict') return fail(400, { problem: 'invite_exists', field: 'invite-email', values });
      throw e;
    }
    const link = `${appConfig().origin}/invite/${invitation.token}`;
    const mailer = configuredMailer(appConfig());
    const mail: InvitationMailOutcome | null = mailer
      ? await sendInvitationEmail(mailer, translator(event.locals.locale), { to: values.email, role, link, expiresAt: invitation.expiresAt })
      : null;
    return { invited: { email: values.email, link, expiresAt: invitation.expiresAt, mail } };
  },
  /** An admin changes the role of another account (audited). Asks who she is first. */
  changeRole: async (event) => {
    const who = await guard(event, 'accounts.change_role');
    requireRecentAuth(event, who);
    const { db } = await database();
    const { account, role } = await fields(event.request, ['account', 'role']);
    try {
      await changeAccountRole(db, { organizationId: who.organizationId, accountId: account, role, actor: { id: who.accountId } });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'invalid_input') return fail(400, { problem: 'role' });
      if (e instanceof DomainError && e.code === 'forbidden') return fail(400, { problem: 'self' });
      if (e instanceof DomainError && e.code === 'not_found') return fail(400, { problem: 'not_found' });
      throw e;
    }
    return { done: 'role_changed' };
  },
  /** Removes one of her passkeys (never her last way in). Asks who she is first. */
  removePasskey: async (event) => {
    const who = await guard(event, _policy);
    requireRecentAuth(event, who);
    const { db } = await database();
    const { passkey } = await fields(event.request, ['passkey']);
    try {
      await removePasskey(db, { organizationId: who.organizationId, accountId: who.accountId, passkeyId: passkey });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'conflict') return fail(400, { problem: 'last_passkey' });
      if (e instanceof DomainError && e.code === 'not_found') return fail(400, { problem: 'not_found' });
      throw e;
    }
    return { done: 'passkey_removed' };
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
