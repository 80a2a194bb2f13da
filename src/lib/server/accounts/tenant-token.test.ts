import { describe, expect, it } from 'vitest';
import { newTenantToken, parseTenantToken } from './tenant-token';

const ORG = '0b6c2c1e-6a55-4f5e-9d8a-2a3b4c5d6e7f';

describe('tenant tokens (session cookies, invitation links)', () => {
  it('name the organization, then a 32-byte secret, and read back', () => {
    const { token, secret } = newTenantToken(ORG);
    expect(token).toBe(`${ORG}.${secret}`);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseTenantToken(token)).toEqual({ organizationId: ORG, secret });
    expect(newTenantToken(ORG).secret).not.toBe(secret);
  });

  it('refuse anything else without throwing', () => {
    const secret = 'A'.repeat(43);
    for (const bad of [undefined, null, 42, '', secret, `${ORG}${secret}`, `${ORG}.`, `.${secret}`, `${ORG}.${secret}x`, `${ORG}.${'A'.repeat(42)}`,
      `${ORG.toUpperCase()}.${secret}`, `instance.${secret}`, `${ORG}.${secret.slice(1)}=`, `x'; drop table session; --.${secret}`, `${ORG}.${secret}`.repeat(2)]) {
      expect(parseTenantToken(bad), String(bad)).toBeNull();
    }
    expect(() => newTenantToken('instance')).toThrow();
  });
});
