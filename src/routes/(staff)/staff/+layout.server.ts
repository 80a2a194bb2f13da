import type { LayoutServerLoad } from './$types';
import { database } from '$lib/server/db';
import { accountEmail } from '$lib/server/accounts/sign-in.service';
import { guard, masterKey } from '$lib/server/accounts/web';
import { allows, type StaffPolicy } from '$lib/server/accounts/staff.policy';
import { findMember } from '$lib/server/participation/member.repository';
import { isLocale } from '$lib/i18n/locales';

export const _policy: StaffPolicy = 'signed_in';

export const load: LayoutServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  // A member's pages, menu included, speak the language chosen when she was enrolled.
  if (who.role === 'member') {
    const member = await findMember(db, who.organizationId, who.accountId);
    if (member && isLocale(member.language)) event.locals.locale = member.language;
  }
  return {
    locale: event.locals.locale,
    me: { email: (await accountEmail(db, masterKey(), who)) ?? '', role: who.role, accountId: who.accountId, sessionId: who.sessionId },
    nav: { cases: allows(who.role, 'cases'), directory: allows(who.role, 'directory.edit'), audit: allows(who.role, 'audit.read'), retention: allows(who.role, 'cases.retention'), facilitate: allows(who.role, 'participation.facilitate'), takePart: allows(who.role, 'participation.take_part') }
  };
};
