import { describe, expect, it } from 'vitest';
import { redactPath } from './server';

describe('redactPath', () => {
  it('never logs an invitation token', () => {
    expect(redactPath('/invite/3tPBIrQUo9877YTrOmA_w-ShL-kFogkpVYEA4ExXGrs')).toBe('/invite/[token]');
    expect(redactPath('/invite/abc/x')).toBe('/invite/[token]/x');
    expect(redactPath('/fr/guide/invite/abc')).toBe('/fr/guide/invite/abc');
    expect(redactPath('/staff')).toBe('/staff');
  });
});
