import { describe, expect, it } from 'vitest';
import { ROLES } from './roles';
import { canInviteRole, canManageAccounts } from './account.policy';
import { canReadAudit } from './audit.policy';

describe('account policy', () => {
  it('lets only an admin invite, disable, change roles, end sessions and read the audit log', () => {
    for (const role of ROLES) {
      for (const action of ['account.invite', 'account.disable', 'account.change_role', 'session.end_any', 'audit.read'] as const) {
        expect(canManageAccounts(role, action), `${role} ${action}`).toBe(role === 'admin');
      }
      expect(canReadAudit(role)).toBe(role === 'admin');
    }
  });
  it('refuses an unknown role (default deny)', () => {
    expect(canManageAccounts('root' as never, 'account.invite')).toBe(false);
  });
  it('lets an admin invite any role', () => {
    for (const role of ROLES) expect(canInviteRole('admin', role)).toBe(true);
    expect(canInviteRole('coordinator', 'member')).toBe(false);
  });
});
