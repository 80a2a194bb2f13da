/**
 * The policies signed-in routes declare (`export const _policy = …` — SvelteKit allows only `_`-prefixed extra exports — in every server file
 * under `src/routes/(staff)`, checked by `guard` and by staff-routes.policy.test.ts).
 * Pure; default deny.
 */
import { canManageAccounts } from './account.policy';
import type { Role } from './roles';

export const STAFF_POLICIES = ['signed_in', 'accounts.manage'] as const;
export type StaffPolicy = (typeof STAFF_POLICIES)[number];

export function allows(role: Role, policy: StaffPolicy): boolean {
  switch (policy) {
    case 'signed_in':
      return true;
    case 'accounts.manage':
      return canManageAccounts(role, 'account.disable');
    default:
      return false;
  }
}
