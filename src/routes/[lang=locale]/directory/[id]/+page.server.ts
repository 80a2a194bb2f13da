import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db/index';
import { findServiceById, listNoticesInForce } from '$lib/server/directory/repository';
import { textsFor } from '$lib/server/directory/model';
import { summarize, weekAhead, weeklyGroups } from '$lib/server/directory/view';

export const load: PageServerLoad = async ({ params, locals }) => {
  const now = new Date();
  const { db } = await database();
  const service = await findServiceById(db, params.id);
  if (!service || service.status === 'inactive' || service.status === 'defunct') error(404, { code: 'not_found', message: 'not_found' });
  const notices = await listNoticesInForce(db, [service.id], now);
  const texts = textsFor(service, locals.locale);
  const summary = summarize(service, locals.locale, now, notices.get(service.id) ?? []);
  return {
    now,
    summary,
    texts,
    organization: service.organization.name,
    url: service.url ?? null,
    email: service.email ?? null,
    wheelchair: service.wheelchair,
    week: service.hours ? weekAhead(service.hours, now) : null,
    holidays: service.hours ? service.hours.publicHolidays : null,
    alternative: service.hoursAlternative
      ? { source: service.hoursAlternative.source, groups: weeklyGroups(service.hoursAlternative.hours) }
      : null
  };
};
