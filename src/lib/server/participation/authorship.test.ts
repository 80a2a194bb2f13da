import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorCookieName, authorTag, ensureAuthorKey, isAuthor, openAuthorKey, readAuthorKey, sealAuthorKey, voterTag } from './authorship';

const master = randomBytes(32);

function jar() {
  const values = new Map<string, string>();
  const options = new Map<string, unknown>();
  return {
    values,
    options,
    get: (name: string) => values.get(name),
    set: (name: string, value: string, opts: unknown) => {
      values.set(name, value);
      options.set(name, opts);
    }
  };
}

describe('author keys', () => {
  it('are made once per browser and account, and read back from the cookie', () => {
    const cookies = jar();
    const first = ensureAuthorKey(cookies, master, 'acc-1', { secure: true });
    const again = ensureAuthorKey(cookies, master, 'acc-1', { secure: true });
    expect(again.equals(first)).toBe(true);
    expect(cookies.values.size).toBe(1);
    expect(cookies.options.get(authorCookieName(master, 'acc-1'))).toMatchObject({ httpOnly: true, sameSite: 'strict', secure: true, path: '/' });
    expect(readAuthorKey(cookies, master, 'acc-1')?.equals(first)).toBe(true);
  });

  it('give each member on a shared tablet her own cookie, which names no account', () => {
    const cookies = jar();
    const a = ensureAuthorKey(cookies, master, 'acc-a', { secure: false });
    const b = ensureAuthorKey(cookies, master, 'acc-b', { secure: false });
    expect(a.equals(b)).toBe(false);
    expect(cookies.values.size).toBe(2);
    for (const name of cookies.values.keys()) expect(name).not.toMatch(/acc-/);
  });

  it('open nothing for another account, another instance, or an altered cookie', () => {
    const key = randomBytes(32);
    const sealed = sealAuthorKey(master, 'acc-1', key);
    expect(openAuthorKey(master, 'acc-1', sealed)?.equals(key)).toBe(true);
    expect(openAuthorKey(master, 'acc-2', sealed)).toBeNull();
    expect(openAuthorKey(randomBytes(32), 'acc-1', sealed)).toBeNull();
    expect(openAuthorKey(master, 'acc-1', sealed.slice(0, -2) + 'AA')).toBeNull();
    expect(openAuthorKey(master, 'acc-1', 'not a cookie')).toBeNull();
    expect(openAuthorKey(master, 'acc-1', undefined)).toBeNull();
  });
});

describe('author tags', () => {
  it('match only her key and that contribution', () => {
    const mine = randomBytes(32);
    const hers = randomBytes(32);
    const tag = authorTag(mine, 'c-1');
    expect(isAuthor(mine, 'c-1', tag)).toBe(true);
    expect(isAuthor(hers, 'c-1', tag)).toBe(false);
    expect(isAuthor(mine, 'c-2', tag)).toBe(false);
    expect(isAuthor(mine, 'c-1', null)).toBe(false);
    // Two of her tags share nothing visible.
    expect(authorTag(mine, 'c-2').slice(0, 8)).not.toBe(tag.slice(0, 8));
  });
});

describe('voter tags', () => {
  it('are one per member and consultation, different across consultations and instances', () => {
    const t = voterTag(master, 'org', 'cons-1', 'acc-1');
    expect(voterTag(master, 'org', 'cons-1', 'acc-1')).toBe(t);
    expect(voterTag(master, 'org', 'cons-2', 'acc-1')).not.toBe(t);
    expect(voterTag(master, 'org', 'cons-1', 'acc-2')).not.toBe(t);
    expect(voterTag(randomBytes(32), 'org', 'cons-1', 'acc-1')).not.toBe(t);
  });
});
