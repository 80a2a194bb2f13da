import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { rethrowAsHttp } from '$lib/server/http/domain-error';
import { recordOf } from '$lib/server/directory/repository';
import { closeTemporarily, editService, findServiceToEdit, postFullTonight, verifyServiceToday } from '$lib/server/directory/editing.service';
import { formChoices, formOfService, previewHours, readClosureForm, readServiceForm } from '$lib/server/directory/service-form';

export const _policy: StaffPolicy = 'directory.edit';

const DONE = ['created', 'updated', 'unchanged', 'verified', 'full', 'closed'] as const;

// A plain function returning a promise: the policy test treats every asynchronous function here as a handler.
function formData(request: Request): Promise<FormData> {
  return request.formData().catch(() => new FormData());
}

function back(id: string, done: (typeof DONE)[number]): never {
  redirect(303, `/staff/directory/${encodeURIComponent(id)}?done=${done}`);
}

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  const { service, notices, closures } = await findServiceToEdit(db, who, event.params.id).catch(rethrowAsHttp);
  const done = event.url.searchParams.get('done');
  const record = recordOf(service);
  return {
    service: {
      id: service.id,
      name: service.texts[service.sourceLocale]?.name ?? service.id,
      status: service.status,
      version: service.version,
      updatedAt: service.updatedAt,
      lastVerifiedAt: service.lastVerifiedAt,
      lastVerifiedBy: service.lastVerifiedBy,
      sample: service.sample
    },
    notices: notices.map((n) => ({ expiresAt: n.expiresAt })),
    closures,
    done: (DONE as readonly string[]).includes(done ?? '') ? done : null,
    form: formOfService(record, service.version),
    preview: service.hours,
    choices: formChoices(record)
  };
};

export const actions: Actions = {
  /** Saves the form; a stale form (someone saved meanwhile) keeps her values and says what changed. */
  save: async (event) => {
    const who = await guard(event, _policy);
    const { db } = await database();
    const id = event.params.id;
    const form = readServiceForm(await formData(event.request));
    const answer = await editService(db, who, id, form).catch(rethrowAsHttp);
    if (answer.ok) back(id, answer.outcome);
    const current = await findServiceToEdit(db, who, id).catch(rethrowAsHttp);
    // After a conflict her next save goes over the version she has now been told about.
    const kept = answer.conflict ? { ...form, values: { ...form.values, version: String(answer.conflict.version) } } : form;
    return fail(answer.conflict ? 409 : 400, {
      action: 'save' as const,
      form: kept,
      problems: answer.problems,
      conflict: answer.conflict,
      preview: previewHours(form, current.service.hours)
    });
  },
  /** "Verified today". */
  verify: async (event) => {
    const who = await guard(event, _policy);
    const { db } = await database();
    await verifyServiceToday(db, who, event.params.id).catch(rethrowAsHttp);
    back(event.params.id, 'verified');
  },
  /** "Full tonight", until 09:00 tomorrow. */
  full: async (event) => {
    const who = await guard(event, _policy);
    const { db } = await database();
    await postFullTonight(db, who, event.params.id).catch(rethrowAsHttp);
    back(event.params.id, 'full');
  },
  /** A temporary closure between two dates. */
  closure: async (event) => {
    const who = await guard(event, _policy);
    const { db } = await database();
    const closure = readClosureForm(await formData(event.request));
    const answer = await closeTemporarily(db, who, event.params.id, closure).catch(rethrowAsHttp);
    if (!answer.ok) return fail(400, { action: 'closure' as const, closure, problems: answer.problems });
    back(event.params.id, 'closed');
  }
};
