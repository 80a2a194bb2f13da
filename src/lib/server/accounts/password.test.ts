import { describe, expect, it } from 'vitest';
import { commonPasswordCount, hashPassword, passwordProblem, verifyPassword } from './password';

describe('password rules', () => {
  it('ships a list of a few hundred common passwords', () => {
    expect(commonPasswordCount()).toBeGreaterThan(300);
  });
  it('wants at least 12 characters, counted as characters', () => {
    expect(passwordProblem('short-pass1')).toBe('too_short');
    expect(passwordProblem('éééééééééééé'.slice(0, 11))).toBe('too_short');
    expect(passwordProblem('rivière calme sous la pluie')).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toBe('too_long');
  });
  it('refuses common passwords, whatever the case, and trivial repetitions', () => {
    expect(passwordProblem('123456789012')).toBe('too_common');
    expect(passwordProblem('MotDePasse123')).toBe('too_common');
    expect(passwordProblem('qwertyuiop123')).toBe('too_common');
    expect(passwordProblem('aaaaaaaaaaaaaaa')).toBe('too_common');
    expect(passwordProblem('abcabcabcabc')).toBe('too_common');
    expect(passwordProblem('Password123!')).toBe('too_common');
  });
});

describe('argon2id', () => {
  it('hashes with argon2id and verifies; a wrong password or a broken hash is a refusal', async () => {
    const hashed = await hashPassword('rivière calme sous la pluie');
    expect(hashed.startsWith('$argon2id$')).toBe(true);
    expect(hashed).toContain('m=19456,t=2,p=1');
    expect(await verifyPassword(hashed, 'rivière calme sous la pluie')).toBe(true);
    expect(await verifyPassword(hashed, 'rivière calme sous la pluiE')).toBe(false);
    expect(await verifyPassword('not a hash', 'whatever')).toBe(false);
  });
});
