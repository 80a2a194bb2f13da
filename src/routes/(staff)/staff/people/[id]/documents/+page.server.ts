import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { checkUploadTarget, deleteDocument, listDocuments, uploadDocument } from '$lib/server/accompaniment/document.service';
import { MAX_DOCUMENT_BYTES } from '$lib/server/accompaniment/document-type';
import { caseAction, caseContext, caseLoad, isFailure } from '$lib/server/accompaniment/web';
import { documentAction, readUpload, uploadFailure } from '$lib/server/accompaniment/rights.web';

export const _policy: StaffPolicy = 'cases';

const DONE = ['uploaded', 'removed'] as const;

/** Her documents (the view is audited as a view of her record) and the upload form. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const documents = await caseLoad(listDocuments(await caseContext(who), event.params.id));
  const done = DONE.find((d) => d === event.url.searchParams.get('done')) ?? null;
  return { ...documents, personId: event.params.id, maxMegabytes: MAX_DOCUMENT_BYTES / (1024 * 1024), done };
};

const back = (id: string, done: (typeof DONE)[number]) => `/staff/people/${encodeURIComponent(id)}/documents?done=${done}`;

export const actions: Actions = {
  // A multipart form (works without JavaScript). Her record is checked before the file is
  // read; a refused file (type from its bytes, size) stores nothing and says why.
  upload: async (event) => {
    const who = await guard(event, _policy);
    const ctx = await caseContext(who);
    const target = await caseAction({}, checkUploadTarget(ctx, event.params.id));
    if (isFailure(target)) return target;
    const upload = await readUpload(event.request);
    if (!upload.ok) return uploadFailure(upload.status, upload.reason);
    const result = await documentAction(uploadDocument(ctx, event.params.id, upload));
    if (isFailure(result)) return result;
    redirect(303, back(event.params.id, 'uploaded'));
  },
  remove: async (event) => {
    const who = await guard(event, _policy);
    const form = await event.request.formData().catch(() => new FormData());
    const document = String(form.get('document') ?? '').slice(0, 60);
    const result = await caseAction({}, deleteDocument(await caseContext(who), event.params.id, document));
    if (isFailure(result)) return result;
    redirect(303, back(event.params.id, 'removed'));
  }
};
