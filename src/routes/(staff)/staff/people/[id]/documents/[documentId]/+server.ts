import type { RequestHandler } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { readDocument } from '$lib/server/accompaniment/document.service';
import { attachmentHeader } from '$lib/server/accompaniment/document-type';
import { caseContext, caseLoad } from '$lib/server/accompaniment/web';

export const _policy: StaffPolicy = 'cases';

/**
 * Downloads one of her documents (audited): only for someone who may see her record, as an
 * attachment that the browser neither displays nor sniffs, never cached.
 */
export const GET: RequestHandler = async (event) => {
  const who = await guard(event, _policy);
  const file = await caseLoad(readDocument(await caseContext(who), event.params.id, event.params.documentId));
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'content-type': file.mediaType,
      'content-length': String(file.bytes.length),
      'content-disposition': attachmentHeader(file.name),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; sandbox"
    }
  });
};
