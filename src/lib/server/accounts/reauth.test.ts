import { describe, expect, it } from 'vitest';
import { confirmUrl, isRecentlyAuthenticated, safeNext } from './reauth';

const now = new Date('2026-11-30T10:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

describe('isRecentlyAuthenticated', () => {
  it('counts a sign-in or confirmation of less than five minutes ago, not one of five or more', () => {
    expect(isRecentlyAuthenticated(ago(0), 5, now)).toBe(true);
    expect(isRecentlyAuthenticated(ago(4.9), 5, now)).toBe(true);
    expect(isRecentlyAuthenticated(ago(5), 5, now)).toBe(false);
    expect(isRecentlyAuthenticated(ago(60), 5, now)).toBe(false);
  });
  it('the caller may ask for less', () => {
    expect(isRecentlyAuthenticated(ago(2), 1, now)).toBe(false);
  });
  it('never, garbage or a time in the future do not count', () => {
    expect(isRecentlyAuthenticated(null, 5, now)).toBe(false);
    expect(isRecentlyAuthenticated(undefined, 5, now)).toBe(false);
    expect(isRecentlyAuthenticated('yesterday', 5, now)).toBe(false);
    expect(isRecentlyAuthenticated(ago(-10), 5, now)).toBe(false);
  });
});

describe('safeNext', () => {
  it('keeps a path of the staff area, with its query', () => {
    expect(safeNext('/staff')).toBe('/staff');
    expect(safeNext('/staff/audit?actor=abc&from=2026-11-01')).toBe('/staff/audit?actor=abc&from=2026-11-01');
  });
  it('sends anything else to /staff: other sites, protocol-relative, backslashes, dot segments, other areas', () => {
    for (const bad of ['https://evil.example/staff', '//evil.example', '/staff//evil', '/staff\\evil', '/staff/../fr', '/staff/%2e%2e/x', '/stafff', '/fr/guide', '', null, undefined, '/staff/' + 'a'.repeat(600), 'javascript:alert(1)']) {
      expect(safeNext(bad as string)).toBe('/staff');
    }
  });
  it('confirmUrl encodes where to go back', () => {
    expect(confirmUrl('/staff/audit?actor=x')).toBe('/staff/confirm?next=%2Fstaff%2Faudit%3Factor%3Dx');
    expect(confirmUrl('https://evil.example')).toBe('/staff/confirm?next=%2Fstaff');
  });
});
