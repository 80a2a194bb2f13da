import { describe, expect, it } from 'vitest';
import { accessLogFields, redactPath } from './server';

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

describe('accessLogFields', () => {
  it('logs an ordinary request with its method, path, status and time', () => {
    expect(accessLogFields('GET', '/staff/people?q=x', 200, 12.5)).toEqual({ method: 'GET', path: '/staff/people', status: 200, ms: 12.5 });
  });

  it('logs a member page of participation without method, status, time or ids (a POST at an instant would line up with her session)', () => {
    for (const url of ['/staff/participate/0f8fad5b-d9cb-469f-a165-70867728950e?/write', '/staff/participate/c1/vote', '/staff/participate/c1/__data.json', '/staff/participate', '/staff/participate/check-in']) {
      for (const [method, status] of [['POST', 303], ['GET', 200], ['POST', 400]] as const) {
        expect(accessLogFields(method, url, status, 40)).toEqual({ path: '/staff/participate/…' });
      }
    }
    expect(accessLogFields('POST', '/staff/participate/c1', 500, 3)).toEqual({ path: '/staff/participate/…', status: 500 });
    expect(accessLogFields('GET', '/staff/participants', 200, 1)).toEqual({ method: 'GET', path: '/staff/participants', status: 200, ms: 1 });
  });
});
