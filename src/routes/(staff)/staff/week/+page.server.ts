import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { weekOf } from '$lib/server/accompaniment/appointment.service';
import { caseContext, caseLoad } from '$lib/server/accompaniment/web';
import { addIsoWeeks, formatIsoWeek, parisIsoWeek, parseIsoWeek } from '$lib/time/iso-week';
import { parisDateKey } from '$lib/time/paris-time';

export const _policy: StaffPolicy = 'cases';

/**
 * Her week (`?week=YYYY-Www`, this week by default, Paris time): the appointments and the
 * deadlines of the people she may see, Monday to Sunday. A week that cannot be read shows
 * this week, and says so.
 */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const now = new Date();
  const asked = (event.url.searchParams.get('week') ?? '').slice(0, 20);
  const current = parisIsoWeek(now);
  const parsed = asked === '' ? current : parseIsoWeek(asked);
  const week = parsed ?? current;
  const view = await caseLoad(weekOf(await caseContext(who), week));
  return {
    view,
    unreadable: parsed === null,
    current: formatIsoWeek(current),
    previous: formatIsoWeek(addIsoWeeks(week, -1)),
    next: formatIsoWeek(addIsoWeeks(week, 1)),
    weekNumber: week.week,
    today: parisDateKey(now),
    me: who.accountId
  };
};
