import type { RequestHandler } from './$types';
import { guard, requireRecentAuth } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { translator } from '$lib/i18n/translate';
import { payExport } from '$lib/server/participation/pay.service';
import { participationContext } from '$lib/server/participation/web';
import { parisDateKey } from '$lib/time/paris-time';

export const _policy: StaffPolicy = 'participation.pay';

/** The bookkeeping CSV (UTF-8 with BOM, `;`, decimal comma): one line per entry and payment, a total per member. */
export const GET: RequestHandler = async (event) => {
  const who = await guard(event, _policy);
  requireRecentAuth(event, who);
  const t = translator(event.locals.locale);
  const csv = await payExport(await participationContext(who), {
    total: t('participation.pay.csv.total'),
    payment: t('participation.pay.csv.payment'),
    kinds: { attendance: t('participation.pay.kind.attendance'), training: t('participation.pay.kind.training'), review: t('participation.pay.kind.review') },
    header: ['pseudonym', 'line', 'date', 'what', 'hours', 'rate', 'owed', 'paid', 'balance'].map((c) => t(`participation.pay.csv.${c}`))
  });
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="relais-pay-${parisDateKey(new Date())}.csv"`,
      'cache-control': 'no-store'
    }
  });
};
