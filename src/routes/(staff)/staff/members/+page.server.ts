import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { appConfig } from '$lib/server/app-config';
import { configuredMailer } from '$lib/server/mail/mailer';
import { sendInvitationEmail } from '$lib/server/accounts/invitation.email';
import { translator } from '$lib/i18n/translate';
import { guard, SESSION_COOKIE, setSessionCookie } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { enrolAccount, enrolInPerson, inviteMember, issueSignInCode, listAccountsToEnrol, listMembers, markLeft, PROXY_MAX_MINUTES, startProxy } from '$lib/server/participation/member.service';
import { MEMBER_LANGUAGES } from '$lib/server/participation/context';
import { integer, isFailure, participationAction, participationContext, readForm, refuse } from '$lib/server/participation/web';
import { PROXY_RETURN_COOKIE } from '$lib/server/participation/proxy.web';

export const _policy: StaffPolicy = 'participation.facilitate';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  return { members: await listMembers(ctx), toEnrol: await listAccountsToEnrol(ctx), languages: MEMBER_LANGUAGES, proxyMax: PROXY_MAX_MINUTES };
};

export const actions: Actions = {
  /** Enrols in person a member without email or phone; gives a one-time sign-in code (shown once). */
  enrol: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['pseudonym', 'language'], 100);
    const ctx = await participationContext(who);
    const enrolled = await participationAction('enrol', values, enrolInPerson(ctx, { pseudonym: values.pseudonym!, language: values.language! }));
    if (isFailure(enrolled)) return enrolled;
    const code = await issueSignInCode(ctx, enrolled.accountId);
    return { code: { accountId: enrolled.accountId, pseudonym: values.pseudonym!.trim(), language: values.language!, code: code.code, expiresAt: code.expiresAt, address: `${appConfig().origin}/sign-in/code?lang=${values.language}` } };
  },
  /** A new one-time sign-in code for a member (the earlier one stops working). */
  code: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account'], 100);
    const ctx = await participationContext(who);
    const members = await listMembers(ctx);
    const member = members.find((m) => m.accountId === values.account);
    const code = await participationAction('code', values, issueSignInCode(ctx, values.account!));
    if (isFailure(code)) return code;
    return { code: { accountId: values.account!, pseudonym: member?.pseudonym ?? '', language: member?.language ?? 'fr', code: code.code, expiresAt: code.expiresAt, address: `${appConfig().origin}/sign-in/code?lang=${member?.language ?? 'fr'}` } };
  },
  /** Invites by email a member who has one (the ordinary invitation, role member). */
  invite: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['email'], 254);
    values.email = values.email!.trim();
    const ctx = await participationContext(who);
    const invitation = await participationAction('invite', values, inviteMember(ctx, values.email));
    if (isFailure(invitation)) return invitation;
    const link = `${appConfig().origin}/invite/${invitation.token}`;
    const mailer = configuredMailer(appConfig());
    const mail = mailer ? await sendInvitationEmail(mailer, translator(event.locals.locale), { to: values.email, role: 'member', link, expiresAt: invitation.expiresAt }) : null;
    return { invited: { email: values.email, link, expiresAt: invitation.expiresAt, mail } };
  },
  /** Gives a pseudonym and a language to a member account that accepted an invitation. */
  enrolAccount: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account', 'pseudonym', 'language'], 100);
    const done = await participationAction(`enrolAccount-${values.account}`, values, enrolAccount(await participationContext(who), { accountId: values.account!, pseudonym: values.pseudonym!, language: values.language! }));
    if (isFailure(done)) return done;
    return { done: 'enrolled' };
  },
  /** Marks a member as having left. */
  leave: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account'], 100);
    const done = await participationAction('leave', values, markLeft(await participationContext(who), values.account!));
    if (isFailure(done)) return done;
    return { done: 'left' };
  },
  /**
   * Acts on her behalf: a session of HER account, for at most an hour, with a stated reason.
   * The facilitator's own session is kept aside in a cookie and given back when she ends it.
   */
  proxy: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account', 'reason', 'minutes'], 500);
    if (!values.reason!.trim()) return refuse(`proxy-${values.account}`, values, [{ field: `reason-${values.account}`, key: 'participation.error.reason' }]);
    const proxy = await participationAction(`proxy-${values.account}`, values, startProxy(await participationContext(who), { memberId: values.account!, reason: values.reason!, minutes: integer(values.minutes!) }));
    if (isFailure(proxy)) {
      const problems = proxy.data.problems.map((p) => (p.field === 'form' ? p : { ...p, field: `${p.field}-${values.account}` }));
      return refuse(proxy.data.form, values, problems, proxy.status);
    }
    const own = event.cookies.get(SESSION_COOKIE);
    if (own) event.cookies.set(PROXY_RETURN_COOKIE, own, { path: '/', httpOnly: true, sameSite: 'strict', secure: appConfig().origin.startsWith('https:') });
    setSessionCookie(event.cookies, proxy.token);
    redirect(303, '/staff/participate');
  }
};
