import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { listServicesToEdit } from '$lib/server/directory/editing.service';

export const _policy: StaffPolicy = 'directory.edit';

/** The services by name, page by page; `stale=1` keeps those to verify again. A GET form. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  const params = event.url.searchParams;
  const query = (params.get('q') ?? '').slice(0, 200);
  const stale = params.get('stale') === '1';
  const page = Math.min(10_000, Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  const list = await listServicesToEdit(db, who, { query, stale, page });
  return { query, stale, deleted: params.get('deleted') === '1', ...list };
};
