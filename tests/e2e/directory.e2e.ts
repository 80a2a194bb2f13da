import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { foreignRequests, newVisit, useBrowser } from './support/browser';
import { addParisDays, formatIsoParis, fromParis, parisDateKey, toParis } from '../../src/lib/time/paris-time';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** The coming Friday (or today if Friday), 23:00 in Paris. */
function nextFridayNight(): string {
  const now = new Date();
  const weekday = toParis(now).weekday;
  const day = addParisDays(parisDateKey(now), (5 - weekday + 7) % 7);
  const [year, month, d] = day.split('-').map(Number) as [number, number, number];
  return formatIsoParis(fromParis({ year, month, day: d, hour: 23, minute: 0 }));
}

describe('directory journeys', () => {
  it('without JavaScript: from the guide page on the order to leave France to a lawyer open on Saturday', async () => {
    const visit = await newVisit(browser(), { javaScript: false, phone: true });
    try {
      const { page } = visit;
      await page.goto(`${baseUrl}/en/guide/order-to-leave`);
      await page.locator('a[href="/en/directory?category=legal-aid"]').first().click();
      await page.waitForURL(/\/en\/directory\?category=legal-aid/);
      // ...and back: the directory links to the rights pages of that category.
      expect(await page.locator('a[href="/en/guide/order-to-leave"]').count()).toBeGreaterThan(0);
      await page.getByLabel('Open this weekend').check();
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/when=weekend/);
      expect(page.url()).toContain('category=legal-aid');
      // The same search as asked on a Friday night at 23:00, whatever day the test runs.
      const friday = new URL(page.url());
      friday.searchParams.set('open_at', nextFridayNight());
      await page.goto(friday.toString());
      const card = page.locator('li.result', { hasText: "Saturday-morning lawyers' desk" });
      await expect.poll(() => card.count()).toBe(1);
      expect(await card.locator('.status').innerText()).toMatch(/Closed — opens Saturday at 09:00/);
      expect(await page.locator('li.result', { hasText: 'Immigration law advice desk' }).count()).toBe(0);
      await card.getByRole('link').first().click();
      await page.waitForURL(/\/en\/directory\/sample-paris-saturday-lawyers/);
      expect(await page.locator('a[href^="tel:"]').first().getAttribute('href')).toBe('tel:0100000000');
      expect(await page.locator('body').innerText()).toMatch(/Demonstration data/);
      expect(await visit.context.cookies()).toEqual([]);
      expect(foreignRequests(visit.requests, baseUrl)).toEqual([]);
    } finally {
      await visit.context.close();
    }
  });

  it('with JavaScript: the directory is searchable in airplane mode, with the date of its copy', async () => {
    const visit = await newVisit(browser(), { javaScript: true, phone: true });
    try {
      const { page, context } = visit;
      await page.goto(`${baseUrl}/en/directory/offline`, { waitUntil: 'networkidle' });
      await page.locator('#snapshot-date').waitFor();
      expect(await page.locator('#snapshot-date').innerText()).toMatch(/Copy from .*20\d\d/);
      await context.setOffline(true);
      await page.getByLabel('What are you looking for?').fill('hebergement');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.locator('#offline-results').waitFor();
      expect(await page.locator('li.result', { hasText: '115' }).count()).toBeGreaterThan(0);
      await page.getByLabel('What are you looking for?').fill('lawyer');
      await page.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => page.locator('li.result', { hasText: "Saturday-morning lawyers' desk" }).count()).toBe(1);
      // A confidential address is not in the copy kept on the phone.
      const kept = () => page.evaluate(async () => (await (await caches.open('relais-directory')).match('/api/directory/snapshot?region=idf'))?.text() ?? '');
      await expect.poll(kept).toContain('sample-paris-saturday-lawyers');
      const snapshot = await kept();
      expect(snapshot).not.toContain('CONFIDENTIELLE');
      expect(foreignRequests(visit.requests, baseUrl)).toEqual([]);
      expect(visit.problems).toEqual([]);
    } finally {
      await visit.context.close();
    }
  });

  it('a service page fits the first screen budget: HTML and CSS under 14 KB compressed', async () => {
    for (const path of ['/fr/directory/fr-116006', '/en/directory/sample-paris-confidential-shelter']) {
      const html = await (await fetch(baseUrl + path)).text();
      let total = gzipSync(html).length;
      for (const [, href] of html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)) {
        total += gzipSync(await (await fetch(new URL(href!, baseUrl))).text()).length;
      }
      expect(total, path).toBeLessThan(14 * 1024);
      expect(html).not.toContain('CONFIDENTIELLE');
    }
  });

  it('GET /api/directory/services answers open, closes_at and opens_next at a moment, and 400 on bad input', async () => {
    const ok = await fetch(`${baseUrl}/api/directory/services?q=hebergement&open_at=${encodeURIComponent('2026-12-04T23:00:00+01:00')}&open_now=1`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toBeNull();
    const body = (await ok.json()) as { total: number; services: Array<{ id: string; open: boolean; closes_at: string | null }> };
    const shelter = body.services.find((s) => s.id === 'sample-paris-night-shelter');
    expect(shelter).toMatchObject({ open: true, closes_at: '2026-12-05T08:00:00+01:00' });
    expect(body.total).toBe(body.services.length);
    for (const bad of ['category=nothing', 'open_at=yesterday', 'limit=5000', 'near=99999']) {
      const response = await fetch(`${baseUrl}/api/directory/services?${bad}`);
      expect(response.status, bad).toBe(400);
      const error = ((await response.json()) as { error: { code: string; field: string; message: string } }).error;
      expect(error.code).toBe('invalid_input');
      expect(bad.startsWith(error.field)).toBe(true);
    }
  });

  it('GET /api/hsds/services pages HSDS 3.0 services and never shows a confidential address', async () => {
    const page1 = (await (await fetch(`${baseUrl}/api/hsds/services?per_page=5&page=1`)).json()) as { total_items: number; contents: Array<{ id: string }>; first_page: boolean };
    expect(page1.contents).toHaveLength(5);
    expect(page1.first_page).toBe(true);
    expect(page1.total_items).toBeGreaterThanOrEqual(21);
    const search = (await (await fetch(`${baseUrl}/api/hsds/services?search=avocat`)).json()) as { contents: Array<{ id: string }> };
    expect(search.contents.map((s) => s.id)).toContain('sample-paris-saturday-lawyers');
    const one = await (await fetch(`${baseUrl}/api/hsds/services/sample-paris-confidential-shelter`)).text();
    expect(one).not.toContain('CONFIDENTIELLE');
    expect(JSON.parse(one).service_at_locations[0].location.x_relais).toEqual({ redacted: true });
    expect((await fetch(`${baseUrl}/api/hsds/services?modified_after=never`)).status).toBe(400);
  });
});
