import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { participationContext, participationLoad } from '$lib/server/participation/deliberation.web';
import { auditExport, buildSubmission, statementsCsv, submissionDocx, votesCsv } from '$lib/server/participation/submission';

export const _policy: StaffPolicy = 'participation.facilitate';

/**
 * The exports: `?file=docx` (the document), `?file=statements` (Pol.is comments.csv),
 * `?file=votes` (Pol.is votes.csv). When the disclosure check has flags, `reviewed=on` must
 * say the facilitator reviewed them; otherwise she is sent back to the page, which says so.
 */
export const GET: RequestHandler = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  const id = event.params.id;
  const submission = await participationLoad(buildSubmission(ctx.db, ctx.masterKey, who.organizationId, id));
  const file = event.url.searchParams.get('file') ?? 'docx';
  if (submission.disclosure.length > 0 && event.url.searchParams.get('reviewed') !== 'on') redirect(303, `/staff/consultations/${id}/submission?refused=review#export`);
  await auditExport(ctx, id);
  const headers = (type: string, name: string) => ({ 'content-type': type, 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });
  if (file === 'statements') return new Response(await statementsCsv(ctx.db, who.organizationId, id), { headers: headers('text/csv; charset=utf-8', 'comments.csv') });
  if (file === 'votes') return new Response(await votesCsv(ctx.db, who.organizationId, id), { headers: headers('text/csv; charset=utf-8', 'votes.csv') });
  const docx = await submissionDocx(submission);
  return new Response(new Uint8Array(docx), { headers: headers('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'submission.docx') });
};
