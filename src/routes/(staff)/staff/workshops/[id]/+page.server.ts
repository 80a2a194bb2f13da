import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { cancelWorkshop, markPresent, removeAttendance, renewAttendanceCode, saveMinutes, workshopDetail } from '$lib/server/participation/workshop.service';
import { isFailure, loadError, participationAction, participationContext, readForm } from '$lib/server/participation/web';

export const _policy: StaffPolicy = 'participation.facilitate';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  return { workshop: await workshopDetail(await participationContext(who), event.params.id).catch(loadError) };
};

export const actions: Actions = {
  /** A new door code (the old one stops working), shown this once. */
  code: async (event) => {
    const who = await guard(event, _policy);
    const code = await participationAction('code', {}, renewAttendanceCode(await participationContext(who), event.params.id));
    if (isFailure(code)) return code;
    return { code };
  },
  /** Ticks a member present (method: facilitator). */
  present: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account'], 100);
    const done = await participationAction('present', values, markPresent(await participationContext(who), { workshopId: event.params.id, accountId: values.account! }));
    if (isFailure(done)) return done;
    return { done: 'present' };
  },
  /** Takes an attendance back (and the pay it made). */
  absent: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account'], 100);
    const done = await participationAction('absent', values, removeAttendance(await participationContext(who), { workshopId: event.params.id, accountId: values.account! }));
    if (isFailure(done)) return done;
    return { done: 'absent' };
  },
  /** Saves the minutes (encrypted). */
  minutes: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['minutes'], 60_000);
    const done = await participationAction('minutes', values, saveMinutes(await participationContext(who), { workshopId: event.params.id, minutes: values.minutes! }));
    if (isFailure(done)) return done;
    return { done: 'minutes' };
  },
  /** Cancels the workshop (refused while someone is marked present). */
  cancel: async (event) => {
    const who = await guard(event, _policy);
    const done = await participationAction('cancel', {}, cancelWorkshop(await participationContext(who), event.params.id));
    if (isFailure(done)) return done;
    return { done: 'cancelled' };
  }
};
