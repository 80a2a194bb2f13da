/**
 * The policies signed-in routes declare (`export const _policy = …` — SvelteKit allows only `_`-prefixed extra exports — in every server file
 * under `src/routes/(staff)`, checked by `guard` and by staff-routes.policy.test.ts).
 * Pure; default deny.
 */
import { canManageAccounts } from './account.policy';
import { canDoCase } from '../accompaniment/person.policy';
import { canReadAudit } from './audit.policy';
import type { Role } from './roles';

/**
 * Who keeps the help directory up to date: the people who call services and send women
 * there. Lawyers, members and observers read the public directory like everyone else.
 */
const DIRECTORY_EDITORS: readonly Role[] = ['admin', 'coordinator', 'social_worker', 'peer_helper'];

/**
 * Participation (issue 7): coordinators and admins facilitate (consultations, workshops,
 * themes, the submission) and keep the pay ledger; members take part. Nobody's role lets
 * her see who wrote a contribution: that link is not in the server's data at all.
 */
const FACILITATORS: readonly Role[] = ['admin', 'coordinator'];

export const STAFF_POLICIES = ['signed_in', 'accounts.manage', 'cases', 'cases.create', 'accounts.change_role', 'sessions.end_any', 'audit.read', 'directory.edit', 'cases.export', 'cases.erase', 'cases.retention', 'participation.facilitate', 'participation.take_part', 'participation.pay'] as const;
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
    case 'accounts.change_role':
      return canManageAccounts(role, 'account.change_role');
    case 'sessions.end_any':
      return canManageAccounts(role, 'session.end_any');
    case 'audit.read':
      return canReadAudit(role) && canManageAccounts(role, 'audit.read');
    case 'directory.edit':
      return DIRECTORY_EDITORS.includes(role);
    case 'cases.export':
      return canDoCase(role, 'case.export');
    case 'cases.erase':
      return canDoCase(role, 'case.erase');
    case 'cases.retention':
      return canDoCase(role, 'case.retention');
    case 'participation.facilitate':
    case 'participation.pay':
      return FACILITATORS.includes(role);
    case 'participation.take_part':
      return role === 'member';
    default:
      return false;
  }
}
