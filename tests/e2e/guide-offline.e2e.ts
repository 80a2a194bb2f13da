import { describe, expect, inject, it } from 'vitest';
import { newVisit, useBrowser } from './support/browser';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('the guide offline after one visit', () => {
  it('keeps every page of her language, the rights card and the numbers, in airplane mode', async () => {
    const visit = await newVisit(browser(), { javaScript: true, phone: true });
    try {
      await visit.page.goto(`${baseUrl}/pcm`, { waitUntil: 'load' });
      await visit.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      const done = () => visit.page.evaluate(async () => Boolean(await caches.match('/__relais/offline-pcm')));
      for (let i = 0; i < 120 && !(await done()); i++) await new Promise((r) => setTimeout(r, 500));
      expect(await done()).toBe(true);

      await visit.context.setOffline(true);
      // A page she never opened is there too.
      await visit.page.goto(`${baseUrl}/pcm/guide/asylum`, { waitUntil: 'load' });
      expect(await visit.page.locator('h1').innerText()).toMatch(/asylum/i);
      await visit.page.goto(`${baseUrl}/pcm/guide/card`, { waitUntil: 'load' });
      expect(await visit.page.locator('main').innerText()).toContain('115');
      await visit.page.goto(`${baseUrl}/pcm`, { waitUntil: 'load' });
      expect(await visit.page.locator('a[href="tel:17"]').count()).toBe(1);
      // Only her language was kept: nothing else was downloaded for her.
      const keys = await visit.page.evaluate(async () => {
        const names = await caches.keys();
        const all: string[] = [];
        for (const n of names) for (const r of await (await caches.open(n)).keys()) all.push(new URL(r.url).pathname);
        return all;
      });
      expect(keys.some((k) => k.startsWith('/fr/guide/'))).toBe(false);
      expect(keys).toContain('/pcm/guide/order-to-leave');
    } finally {
      await visit.context.close();
    }
  });
});

describe('the listen control', () => {
  it('is not offered without JavaScript (it needs the phone’s own speech synthesis)', async () => {
    const visit = await newVisit(browser(), { javaScript: false, phone: true });
    try {
      await visit.page.goto(`${baseUrl}/en/guide/help-now`, { waitUntil: 'load' });
      expect(await visit.page.locator('[data-listen]').count()).toBe(1);
      expect(await visit.page.locator('[data-listen]').isVisible()).toBe(false);
    } finally {
      await visit.context.close();
    }
  });
});
