import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, generateTotpSecret, hotp, otpauthUri, totpCode, verifyTotp } from './totp';

const seed20 = Buffer.from('12345678901234567890');
const seed32 = Buffer.from('12345678901234567890123456789012');
const seed64 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234');

describe('HOTP (RFC 4226, appendix D)', () => {
  it('gives the ten test values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(seed20, counter)).toBe(code));
  });
});

describe('TOTP (RFC 6238, appendix B), 8 digits', () => {
  const vectors: Array<[number, string, string, string]> = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826']
  ];
  it.each(vectors)('at %i s', (time, sha1, sha256, sha512) => {
    const step = Math.floor(time / 30);
    expect(hotp(seed20, step, 8, 'sha1')).toBe(sha1);
    expect(hotp(seed32, step, 8, 'sha256')).toBe(sha256);
    expect(hotp(seed64, step, 8, 'sha512')).toBe(sha512);
  });
  it('6-digit SHA-1 codes from a base32 secret are the last six digits', () => {
    const secret = base32Encode(seed20);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(totpCode(secret, new Date(59_000))).toBe('287082');
    expect(totpCode(secret, new Date(1111111109_000))).toBe('081804');
  });
});

describe('verifyTotp', () => {
  const secret = base32Encode(seed20);
  const at = new Date(1111111109_000);
  it('accepts the current step and one step of drift each way, not two', () => {
    expect(verifyTotp(secret, totpCode(secret, at), at)).toBe(Math.floor(1111111109 / 30));
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), at)).not.toBeNull();
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() + 30_000)), at)).not.toBeNull();
    expect(verifyTotp(secret, totpCode(secret, new Date(at.getTime() - 90_000)), at)).toBeNull();
  });
  it('refuses malformed codes and secrets without throwing', () => {
    expect(verifyTotp(secret, '12345', at)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', at)).toBeNull();
    expect(verifyTotp('not base32!', '123456', at)).toBeNull();
    expect(verifyTotp(secret, `${totpCode(secret, at).slice(0, 3)} ${totpCode(secret, at).slice(3)}`, at)).not.toBeNull();
  });
});

describe('base32 and the URI', () => {
  it('round-trips and reads grouped, lower-case input', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret.toLowerCase().replace(/(.{4})/g, '$1 '))?.length).toBe(20);
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
  });
  it('builds an otpauth URI with the RFC parameters', () => {
    expect(otpauthUri('ABC', 'a@b.org')).toBe('otpauth://totp/Relais%3Aa%40b.org?secret=ABC&issuer=Relais&algorithm=SHA1&digits=6&period=30');
  });
});
