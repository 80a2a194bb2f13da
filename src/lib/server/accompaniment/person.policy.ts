/**
 * Who may do what with the people an association accompanies (issue 6). Pure; default deny.
 * The role says what kind of thing she may do; which records she may do it on is decided
 * by the data layer: the people assigned to her, or a record she opened by breaking the
 * glass (coordinators only, with a written reason, audited and shown to the admins).
 * Admins manage accounts and read the audit log; they do not read case records.
 */
import type { Role } from '../accounts/roles';

export type CaseAction =
  | 'case.read'
  | 'case.write'
  | 'case.create'
  | 'case.assign'
  | 'case.break_glass'
  | 'case.association_dashboard'
  | 'case.export'
  | 'case.erase'
  | 'case.close'
  | 'case.retention';

const allowed: Record<Role, readonly CaseAction[]> = {
  admin: [],
  coordinator: ['case.read', 'case.write', 'case.create', 'case.assign', 'case.break_glass', 'case.association_dashboard', 'case.export', 'case.erase', 'case.close', 'case.retention'],
  social_worker: ['case.read', 'case.write', 'case.create', 'case.assign', 'case.export', 'case.close'],
  peer_helper: ['case.read', 'case.write'],
  lawyer: ['case.read', 'case.write'],
  member: [],
  observer: []
};

export function canDoCase(role: Role, action: CaseAction): boolean {
  return allowed[role]?.includes(action) ?? false;
}

/** Roles that can be assigned to a person (the helper list offers only these). */
export const HELPER_ROLES: readonly Role[] = ['coordinator', 'social_worker', 'peer_helper', 'lawyer'];

/** How long a broken glass stays open. */
export const BREAK_GLASS_HOURS = 4;
