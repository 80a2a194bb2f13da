/** Who may read the audit log: admins only, and only their organization's chain. */
import type { Role } from './roles';

export function canReadAudit(role: Role): boolean {
  return role === 'admin';
}
