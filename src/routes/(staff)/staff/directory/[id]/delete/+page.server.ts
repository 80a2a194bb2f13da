import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { rethrowAsHttp } from '$lib/server/http/domain-error';
import { findServiceToEdit, removeService } from '$lib/server/directory/editing.service';

export const _policy: StaffPolicy = 'directory.edit';

/** Asks again before deleting, and says what will happen. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  const { service } = await findServiceToEdit(db, who, event.params.id).catch(rethrowAsHttp);
  return { id: service.id, name: service.texts[service.sourceLocale]?.name ?? service.id };
};

export const actions: Actions = {
  default: async (event) => {
    const who = await guard(event, _policy);
    const { db } = await database();
    await removeService(db, who, event.params.id).catch(rethrowAsHttp);
    redirect(303, '/staff/directory?deleted=1');
  }
};
