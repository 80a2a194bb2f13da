/**
 * The policies signed-in routes declare (`export const _policy = …` — SvelteKit allows only `_`-prefixed extra exports — in every server file
 * under `src/routes/(staff)`, checked by `guard` and by staff-routes.policy.test.ts).
 * Pure; default deny.
 */
import { canManageAccounts } from './account.policy';
import { canDoCase } from '../accompaniment/person.policy';
import type { Role } from './roles';

export const STAFF_POLICIES = ['signed_in', 'accounts.manage', 'cases', 'cases.create'] as const;
export type StaffPolicy = (typeof STAFF_POLICIES)[number];

export function allows(role: Role, policy: StaffPolicy): boolean {
  switch (policy) {
    case 'signed_in':
      return true;
    case 'accounts.manage':
      return canManageAccounts(role, 'account.disable');
    case 'cases':
      return canDoCase(role, 'case.read');
    case 'cases.create':
      return canDoCase(role, 'case.create');
    default:
      return false;
  }
}
