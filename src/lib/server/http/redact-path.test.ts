import { describe, expect, it } from 'vitest';
import { redactPath } from './server';

describe('redactPath', () => {
  it('never logs an invitation token', () => {
    expect(redactPath('/invite/3tPBIrQUo9877YTrOmA_w-ShL-kFogkpVYEA4ExXGrs')).toBe('/invite/[token]');
    expect(redactPath('/invite/abc/x')).toBe('/invite/[token]/x');
    expect(redactPath('/fr/guide/invite/abc')).toBe('/fr/guide/invite/abc');
    expect(redactPath('/staff')).toBe('/staff');
  });

  it('never logs a calendar feed secret', () => {
    const token = '0f8fad5b-d9cb-469f-a165-70867728950e.3tPBIrQUo9877YTrOmA_w-ShL-kFogkpVYEA4ExXGrs';
    expect(redactPath(`/calendar/${token}.ics`)).toBe('/calendar/[token]');
    expect(redactPath(`/calendar/${token}.ics/`)).toBe('/calendar/[token]/');
    expect(redactPath('/fr/calendar/abc')).toBe('/fr/calendar/abc');
  });

  it('never logs which contribution a member listens to', () => {
    expect(redactPath('/staff/participate/c1/audio/0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('/staff/participate/[id]/audio/[contribution]');
    expect(redactPath('/staff/participate/c1')).toBe('/staff/participate/c1');
  });
});
