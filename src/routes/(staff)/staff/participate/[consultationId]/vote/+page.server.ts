import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { formOf, isFailure, participationAction, participationContext, participationLoad } from '$lib/server/participation/deliberation.web';
import { ballotScreen, castStatementVote, proposeStatement } from '$lib/server/participation/statements.service';
import { findMember } from '$lib/server/participation/member.repository';

export const _policy: StaffPolicy = 'participation.take_part';

/** One statement per screen: `?n=3` is the third; without it, the first she has not voted on. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const n = Number(event.url.searchParams.get('n'));
  return {
    consultationId: event.params.consultationId,
    screen: await participationLoad(ballotScreen(await participationContext(who), event.params.consultationId, Number.isInteger(n) && n > 0 ? n : undefined)),
    thanks: event.url.searchParams.get('voted') === '1'
  };
};

export const actions: Actions = {
  // Her vote, then the next statement she has not voted on (or this one again, thanked).
  vote: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const ctx = await participationContext(who);
    const id = event.params.consultationId;
    const result = await participationAction(form.values, castStatementVote(ctx, id, form.get('statement'), form.get('vote')), 'vote');
    if (isFailure(result)) return result;
    const screen = await participationLoad(ballotScreen(ctx, id, Number(form.get('position')) || undefined));
    redirect(303, screen.next ? `/staff/participate/${id}/vote?n=${screen.next}` : `/staff/participate/${id}/vote?n=${screen.current?.position ?? 1}&voted=1`);
  },
  // A statement she proposes: recorded as "proposed by a member", never by which one.
  propose: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    const ctx = await participationContext(who);
    const member = await findMember(ctx.db, who.organizationId, who.accountId);
    const result = await participationAction(form.values, proposeStatement(ctx, event.params.consultationId, { text: form.get('text'), language: member?.language }, 'member'), 'propose');
    return typeof result === 'string' ? { proposed: true } : result;
  }
};
