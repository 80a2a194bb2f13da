import type { PageServerLoad } from './$types';
import { deadlineRules } from '$lib/deadlines/rules';
import { emergencyNumbersLastChecked } from '$lib/emergency-numbers';
import { parisDateKey } from '$lib/time/paris-time';
import { appConfig } from '$lib/server/app-config';

/** The card's figures come from the legal rules in force today, never from its text. */
export const load: PageServerLoad = () => {
  const today = parisDateKey(new Date());
  const inForce = (custody: string) =>
    deadlineRules.find(
      (r) =>
        r.procedure === 'oqtf' &&
        (r.applies_to.custody ?? []).includes(custody as never) &&
        !r.applies_to.departure_period &&
        r.in_force_from <= today &&
        (r.in_force_to === null || r.in_force_to >= today)
    );
  const retention = inForce('retention');
  const assigned = inForce('assigned');
  const free = inForce('free');
  const lastChecked = [retention, assigned, free].map((r) => r?.last_checked ?? '').sort()[0] ?? emergencyNumbersLastChecked;
  return {
    site: new URL(appConfig().origin).host,
    figures: {
      retentionHours: retention?.counting.amount ?? null,
      assignedDays: assigned ? assigned.counting.amount / 24 : null,
      freeMonths: free?.counting.amount ?? null
    },
    lastChecked: lastChecked < emergencyNumbersLastChecked ? lastChecked : emergencyNumbersLastChecked
  };
};
