import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { addReviewWork, PAYMENT_METHODS, payOverview, recordPayment, setHourlyRate } from '$lib/server/participation/pay.service';
import { integer, isFailure, participationAction, participationContext, readForm, refuse } from '$lib/server/participation/web';
import { parseEuros } from '$lib/participation/pay';
import { parisDateKey } from '$lib/time/paris-time';

export const _policy: StaffPolicy = 'participation.pay';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  return { overview: await payOverview(await participationContext(who)), methods: PAYMENT_METHODS, today: parisDateKey(new Date()) };
};

export const actions: Actions = {
  /** The association's hourly rate; entries already recorded keep theirs. */
  rate: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['rate'], 20);
    const cents = parseEuros(values.rate!);
    if (cents === null) return refuse('rate', values, [{ field: 'rate', key: 'participation.error.rate' }]);
    const done = await participationAction('rate', values, setHourlyRate(await participationContext(who), cents));
    if (isFailure(done)) return done;
    return { done: 'rate' };
  },
  /** Review work entered by hand: a day and minutes, at today's rate. */
  review: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account', 'worked_on', 'minutes'], 100);
    const done = await participationAction('review', values, addReviewWork(await participationContext(who), { accountId: values.account!, workedOn: values.worked_on!, minutes: integer(values.minutes!) }));
    if (isFailure(done)) return done;
    return { done: 'review' };
  },
  /** A payment made to a member. */
  payment: async (event) => {
    const who = await guard(event, _policy);
    const { values } = await readForm(event.request, ['account', 'amount', 'paid_on', 'method'], 100);
    const cents = parseEuros(values.amount!);
    if (cents === null || cents === 0) return refuse('payment', values, [{ field: 'amount', key: 'participation.error.amount' }]);
    const done = await participationAction('payment', values, recordPayment(await participationContext(who), { accountId: values.account!, amountCents: cents, paidOn: values.paid_on!, method: values.method! }));
    if (isFailure(done)) return done;
    return { done: 'payment' };
  }
};
