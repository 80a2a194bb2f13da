import { describe, expect, it } from 'vitest';
import { ROLES } from '../accounts/roles';
import { canDoCase, HELPER_ROLES } from './person.policy';

describe('canDoCase', () => {
  it('lets only case roles read records, and nobody else', () => {
    expect(ROLES.filter((r) => canDoCase(r, 'case.read'))).toEqual(['coordinator', 'social_worker', 'peer_helper', 'lawyer']);
  });
  it('lets only coordinators break the glass or see the association dashboard', () => {
    expect(ROLES.filter((r) => canDoCase(r, 'case.break_glass'))).toEqual(['coordinator']);
    expect(ROLES.filter((r) => canDoCase(r, 'case.association_dashboard'))).toEqual(['coordinator']);
  });
  it('does not let an admin, a member or an observer read a record', () => {
    for (const role of ['admin', 'member', 'observer'] as const) expect(canDoCase(role, 'case.read')).toBe(false);
  });
  it('lets coordinators and social workers open a record and assign helpers, not peer helpers or lawyers', () => {
    expect(ROLES.filter((r) => canDoCase(r, 'case.create'))).toEqual(['coordinator', 'social_worker']);
    expect(ROLES.filter((r) => canDoCase(r, 'case.assign'))).toEqual(['coordinator', 'social_worker']);
  });
  it('lets coordinators and social workers export and close a record; only coordinators erase it or see what will be purged', () => {
    expect(ROLES.filter((r) => canDoCase(r, 'case.export'))).toEqual(['coordinator', 'social_worker']);
    expect(ROLES.filter((r) => canDoCase(r, 'case.close'))).toEqual(['coordinator', 'social_worker']);
    expect(ROLES.filter((r) => canDoCase(r, 'case.erase'))).toEqual(['coordinator']);
    expect(ROLES.filter((r) => canDoCase(r, 'case.retention'))).toEqual(['coordinator']);
  });
  it('assigns only roles that can read records', () => {
    for (const role of HELPER_ROLES) expect(canDoCase(role, 'case.read')).toBe(true);
  });
});
