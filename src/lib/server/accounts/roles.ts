/** The roles of people who sign in (issue 5). One word per role, in code, URLs and messages. */
export const ROLES = ['admin', 'coordinator', 'social_worker', 'peer_helper', 'lawyer', 'member', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
