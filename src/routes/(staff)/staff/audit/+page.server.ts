import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { browseAudit } from '$lib/server/audit/audit.service';
import { auditQueryString, parseAuditQuery } from '$lib/server/audit/audit-query';
import { listAccounts } from '$lib/server/accounts/sign-in.service';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { guard, masterKey } from '$lib/server/accounts/web';

export const _policy: StaffPolicy = 'audit.read';

/**
 * The organization's audit log for its admins, newest first, filtered by person, record and
 * days; with whether the chain is intact. The entries hold ids and actions only; the page
 * shows an account's email beside its id for the admin's convenience.
 */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  const query = parseAuditQuery(event.url.searchParams);
  const accounts = await listAccounts(db, masterKey(), who.organizationId);
  const page = query.problems.length > 0 ? null : await browseAudit(db, { organizationId: who.organizationId, ...query.filter });
  return {
    values: query.values,
    problems: query.problems,
    accounts: accounts.map((a) => ({ id: a.id, email: a.email })),
    page,
    newerLink: query.filter.beforeSeq !== undefined ? auditQueryString(query.values) || '?' : null,
    olderLink: page?.nextBeforeSeq != null ? auditQueryString(query.values, page.nextBeforeSeq) : null
  };
};
