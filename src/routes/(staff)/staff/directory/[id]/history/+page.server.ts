import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { guard, masterKey } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { rethrowAsHttp } from '$lib/server/http/domain-error';
import { serviceHistory } from '$lib/server/directory/editing.service';

export const _policy: StaffPolicy = 'directory.edit';

/** Every version (who, when, what changed) and every "full tonight" notice; deleted services too. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  const history = await serviceHistory(db, who, event.params.id, masterKey()).catch(rethrowAsHttp);
  return { id: event.params.id, history };
};
