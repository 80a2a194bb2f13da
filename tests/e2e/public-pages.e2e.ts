import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, foreignRequests, launchBrowser, newVisit, scriptlessPage, type Visit } from './support/browser';
import { everyPublicPage } from './support/public-pages';

const baseUrl = inject('baseUrl');
let browser: Browser;
// One phone per way of browsing, reused page after page (as she would): JavaScript off,
// JavaScript on, and a script-less page where axe checks what JavaScript-off shows. The
// service worker (tested in the offline journeys) is left out to keep this sweep fast.
let off: Visit;
let on: Visit;
let scriptless: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  off = await newVisit(browser, { javaScript: false, phone: true, serviceWorkers: false });
  on = await newVisit(browser, { javaScript: true, phone: true, serviceWorkers: false });
  scriptless = await scriptlessPage(browser);
});
afterAll(async () => {
  await browser?.close();
});

async function checkPage(visit: Visit, url: string, locale: string) {
  visit.requests.length = 0;
  visit.problems.length = 0;
  await visit.context.clearCookies();
  const javaScript = visit === on;
  await visit.page.setViewportSize({ width: 360, height: 640 });
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
  if (javaScript) {
    const violations = await axeViolations(visit.page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    // 400 % zoom of a 1280-pixel screen is a 320-pixel-wide page: nothing may scroll sideways.
    await visit.page.setViewportSize({ width: 320, height: 480 });
    const overflow = await visit.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'horizontal scroll at 320 px').toBeLessThanOrEqual(0);
  } else {
    await scriptless.goto(baseUrl + url, { waitUntil: 'load' });
    const violations = await axeViolations(scriptless);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  }
}

describe('every public page in every language', () => {
  it.each(everyPublicPage())('$url, JavaScript off then on: no axe violation, no cookie, nothing from another host, a quick exit', async ({ url, locale }) => {
    await checkPage(off, url, locale);
    await checkPage(on, url, locale);
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

