import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, axeViolationsWithoutScripts, foreignRequests, launchBrowser, newVisit } from './support/browser';
import { everyPublicPage } from './support/public-pages';

const baseUrl = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function checkPage(url: string, locale: string, javaScript: boolean) {
  // The service worker (tested in the offline journeys) would cache a whole language
  // behind every visit here: it is left out to keep this sweep fast.
  const visit = await newVisit(browser, { javaScript, phone: true, serviceWorkers: false });
  try {
    const response = await visit.page.goto(baseUrl + url, { waitUntil: 'load' });
    expect(response?.status(), url).toBe(200);
    expect(await visit.page.getAttribute('html', 'lang')).toBe(locale);
    expect(await visit.page.getAttribute('html', 'dir')).toMatch(/^(ltr|rtl)$/);
    expect(await visit.context.cookies()).toEqual([]);
    expect(response?.headers()['set-cookie']).toBeUndefined();
    expect(foreignRequests(visit.requests, baseUrl)).toEqual([]);
    expect(visit.problems).toEqual([]);
    // The quick exit is visible on a phone without scrolling and is the first thing a
    // keyboard reaches.
    const box = await visit.page.locator('#quick-exit').boundingBox();
    expect(box, 'quick exit present').not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(640);
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await visit.page.keyboard.press('Tab');
    expect(await visit.page.locator('#quick-exit:focus').count()).toBe(1);
    const violations = javaScript ? await axeViolations(visit.page) : await axeViolationsWithoutScripts(browser, baseUrl + url);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  } finally {
    await visit.context.close();
  }
}

// Pages are independent: they are visited a few at a time (maxConcurrency in vite.config.ts).
describe.concurrent('every public page in every language, JavaScript off then on', () => {
  it.each(everyPublicPage())('$url: no axe violation, no cookie, nothing from another host, a quick exit', async ({ url, locale }) => {
    await checkPage(url, locale, false);
    await checkPage(url, locale, true);
  });
});

describe('the language of the first visit', () => {
  it('sends / to the language the browser prefers, without a cookie', async () => {
    for (const [header, expected] of [
      ['en-GB,en;q=0.9', '/en'],
      ['pcm,en;q=0.5', '/pcm'],
      ['de-DE', '/fr'],
      ['', '/fr']
    ] as const) {
      const response = await fetch(baseUrl + '/', { redirect: 'manual', headers: header ? { 'accept-language': header } : {} });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(expected);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/Accept-Language/i);
    }
  });

  it('lists every language in its own name on every page', async () => {
    const html = await (await fetch(baseUrl + '/en')).text();
    for (const name of ['Français', 'English', 'Naijá (Pidgin)']) expect(html).toContain(name);
  });
});

describe('security headers', () => {
  it('sends a strict CSP and the privacy headers on pages and static files', async () => {
    for (const path of ['/fr', '/quick-exit.js', '/favicon.svg']) {
      const response = await fetch(baseUrl + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('permissions-policy'), path).toMatch(/camera=\(\)/);
    }
    const csp = (await fetch(baseUrl + '/fr')).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });
});

describe('cross-site form posts', () => {
  const form = 'date=2026-11-27&time=23%3A10&custody=retention';
  const post = (headers: Record<string, string>) =>
    fetch(baseUrl + '/en/deadlines/oqtf', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
      body: form
    });
  it('refuses a form posted from another site, in her language', async () => {
    const response = await post({ origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/another website/);
  });
  it('accepts our own form, whose Origin is null under no-referrer', async () => {
    const response = await post({ origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(response.status).toBe(200);
  });
});

