import type { LayoutServerLoad } from './$types';
import { database } from '$lib/server/db';
import { accountEmail } from '$lib/server/accounts/sign-in.service';
import { guard, masterKey } from '$lib/server/accounts/web';
import { allows, type StaffPolicy } from '$lib/server/accounts/staff.policy';

export const _policy: StaffPolicy = 'signed_in';

export const load: LayoutServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  return {
    me: { email: (await accountEmail(db, masterKey(), who)) ?? '', role: who.role, accountId: who.accountId, sessionId: who.sessionId },
    nav: { cases: allows(who.role, 'cases'), directory: allows(who.role, 'directory.edit'), audit: allows(who.role, 'audit.read'), retention: allows(who.role, 'cases.retention'), facilitate: allows(who.role, 'participation.facilitate'), takePart: allows(who.role, 'participation.take_part') }
  };
};
