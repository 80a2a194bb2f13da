import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from './same-origin';

const app = 'https://relais.example.org';
const h = (init: Record<string, string>) => new Headers(init);

describe('isCrossSiteWrite', () => {
  it('lets reading requests through whatever their origin', () => {
    expect(isCrossSiteWrite('GET', h({ origin: 'https://evil.example' }), app)).toBe(false);
  });
  it('accepts a post from our own origin', () => {
    expect(isCrossSiteWrite('POST', h({ origin: app }), app)).toBe(false);
  });
  it('refuses a post from another origin, even if it claims same-origin', () => {
    expect(isCrossSiteWrite('POST', h({ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }), app)).toBe(true);
  });
  it('accepts Origin: null (our no-referrer policy) when the browser says same-origin', () => {
    expect(isCrossSiteWrite('POST', h({ origin: 'null', 'sec-fetch-site': 'same-origin' }), app)).toBe(false);
  });
  it('refuses Origin: null from another site or without Sec-Fetch-Site', () => {
    expect(isCrossSiteWrite('POST', h({ origin: 'null', 'sec-fetch-site': 'cross-site' }), app)).toBe(true);
    expect(isCrossSiteWrite('POST', h({ origin: 'null' }), app)).toBe(true);
    expect(isCrossSiteWrite('DELETE', h({}), app)).toBe(true);
  });
});
