/**
 * Re-authentication (issue 5): before an export, an erasure or a role change she proves
 * again who she is, if she has not in the last few minutes. Pure rules; the web side is
 * `requireRecentAuth` in web.ts, the use cases in reauth.service.ts and passkey.service.ts.
 */

/** Minutes a sign-in or a confirmation counts as recent, unless the caller asks for less. */
export const RECENT_AUTH_MINUTES = 5;

/** True if she proved who she is less than `maxAgeMinutes` ago (a time in the future does not count). */
export function isRecentlyAuthenticated(authenticatedAt: string | null | undefined, maxAgeMinutes: number, now: Date): boolean {
  if (!authenticatedAt) return false;
  const at = Date.parse(authenticatedAt);
  if (!Number.isFinite(at) || at > now.getTime() + 60_000) return false;
  return now.getTime() - at < maxAgeMinutes * 60_000;
}

/**
 * Where the confirmation page sends her back: a path inside the staff area only (no other
 * site, no `//host`, no backslash trick); anything else gives `/staff`.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 500) return '/staff';
  if (!/^\/staff(\/[A-Za-z0-9._~%/-]*)?(\?[A-Za-z0-9._~%&=+-]*)?$/.test(next)) return '/staff';
  if (next.includes('//') || next.includes('/..') || /%2f|%5c|%2e/i.test(next)) return '/staff';
  return next;
}

/** The confirmation page's address, with where to go back to. */
export function confirmUrl(next: string): string {
  return `/staff/confirm?next=${encodeURIComponent(safeNext(next))}`;
}
