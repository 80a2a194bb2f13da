import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { exportPerson, personSummary } from '$lib/server/accompaniment/rights.service';
import { attachmentHeader } from '$lib/server/accompaniment/document-type';
import { caseContext, caseLoad } from '$lib/server/accompaniment/web';
import { confirmOrFail } from '$lib/server/accompaniment/rights.web';

export const _policy: StaffPolicy = 'cases.export';

/**
 * Her export as a JSON file (the export page's second button posts here): she proves again
 * who she is, the export is audited, the file is an attachment never cached. If the proof
 * fails: back to the export page, which says why.
 */
export const POST: RequestHandler = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await caseContext(who);
  const person = await caseLoad(personSummary(ctx, event.params.id, 'case.export'));
  const failed = await confirmOrFail(who, await event.request.formData().catch(() => new FormData()));
  if (failed) redirect(303, `/staff/people/${encodeURIComponent(person.id)}/export?problem=${failed.status === 429 ? 'wait' : 'confirm'}`);
  const data = await caseLoad(exportPerson(ctx, person.id));
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': attachmentHeader(`relais-export-${data.exportedAt.slice(0, 10)}.json`),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store'
    }
  });
};
