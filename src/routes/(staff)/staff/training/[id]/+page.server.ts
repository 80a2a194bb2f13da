import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { moduleDetail, recordCompletion, removeCompletion } from '$lib/server/participation/training.service';
import { listMembers } from '$lib/server/participation/member.service';
import { isFailure, loadError, participationAction, participationContext, readForm } from '$lib/server/participation/web';

export const _policy: StaffPolicy = 'participation.facilitate';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  const module = await moduleDetail(ctx, event.params.id).catch(loadError);
  const members = (await listMembers(ctx)).filter((m) => !m.leftAt || module.completedBy.includes(m.accountId));
  return { module, members: members.map((m) => ({ accountId: m.accountId, pseudonym: m.pseudonym, done: module.completedBy.includes(m.accountId) })) };
};

export const actions: Actions = {
  /** A facilitator records that a member completed the module (it adds to what she is owed). */
  complete: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account'], 100);
    const done = await participationAction('complete', values, recordCompletion(await participationContext(who), { moduleId: event.params.id, accountId: values.account! }));
    if (isFailure(done)) return done;
    return { done: 'completed' };
  },
  /** Takes a completion back (a mistake), and its pay. */
  uncomplete: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account'], 100);
    const done = await participationAction('uncomplete', values, removeCompletion(await participationContext(who), { moduleId: event.params.id, accountId: values.account! }));
    if (isFailure(done)) return done;
    return { done: 'uncompleted' };
  }
};
