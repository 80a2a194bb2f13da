/**
 * Who may manage accounts. Policies are pure: they answer from the role alone; the service
 * calls them first and the tenant scoping of the repositories does the rest.
 * Default deny: an action not listed for a role is refused.
 */
import type { Role } from './roles';

export type AccountAction = 'account.invite' | 'account.disable' | 'account.change_role' | 'session.end_any' | 'audit.read';

const allowed: Record<Role, readonly AccountAction[]> = {
  admin: ['account.invite', 'account.disable', 'account.change_role', 'session.end_any', 'audit.read'],
  coordinator: [],
  social_worker: [],
  peer_helper: [],
  lawyer: [],
  member: [],
  observer: []
};

export function canManageAccounts(role: Role, action: AccountAction): boolean {
  return allowed[role]?.includes(action) ?? false;
}

/** Only an admin may invite another admin; the check above already limits inviting to admins. */
export function canInviteRole(inviter: Role, invited: Role): boolean {
  return canManageAccounts(inviter, 'account.invite') && (invited !== 'admin' || inviter === 'admin');
}
