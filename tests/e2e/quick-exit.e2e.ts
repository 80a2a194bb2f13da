import { describe, expect, inject, it } from 'vitest';
import { newVisit, useBrowser } from './support/browser';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

async function expectLeftForNeutralSite(page: import('playwright-core').Page) {
  await page.waitForURL('http://neutral.test/', { timeout: 5_000 });
  // Back must not bring the site back: the exit replaced the page in the history.
  await page.goBack().catch(() => null);
  expect(page.url().startsWith(baseUrl)).toBe(false);
}

describe('quick exit', () => {
  it('without JavaScript, is a plain link to the neutral site with rel=noreferrer', async () => {
    const visit = await newVisit(browser(), { javaScript: false, phone: true });
    try {
      await visit.page.goto(baseUrl + '/fr');
      const link = visit.page.locator('#quick-exit');
      expect(await link.getAttribute('href')).toBe('http://neutral.test/');
      expect(await link.getAttribute('rel')).toContain('noreferrer');
      expect(await link.innerText()).toContain('Quitter ce site');
      await link.click();
      await visit.page.waitForURL('http://neutral.test/');
    } finally {
      await visit.context.close();
    }
  });

  it('with JavaScript, the button leaves, erases what the site stored, and Back does not return', async () => {
    const visit = await newVisit(browser(), { javaScript: true, phone: true });
    try {
      await visit.page.goto(baseUrl + '/en');
      await visit.page.evaluate(async () => {
        localStorage.setItem('x', '1');
        sessionStorage.setItem('y', '2');
        await caches.open('relais-test').then((c) => c.put('/probe', new Response('p')));
        await navigator.serviceWorker.ready;
      });
      await visit.page.click('#quick-exit');
      await expectLeftForNeutralSite(visit.page);
      // Come back on purpose, to a plain file that runs no script of ours (a page would
      // register the offline worker again): nothing that was stored is left.
      await visit.page.goto(baseUrl + '/robots.txt');
      const left = await visit.page.evaluate(async () => ({
        local: localStorage.length,
        session: sessionStorage.length,
        caches: (await caches.keys()).length,
        workers: (await navigator.serviceWorker.getRegistrations()).length
      }));
      expect(left).toEqual({ local: 0, session: 0, caches: 0, workers: 0 });
    } finally {
      await visit.context.close();
    }
  });

  it('answers three presses of Shift', async () => {
    const visit = await newVisit(browser(), { javaScript: true });
    try {
      await visit.page.goto(baseUrl + '/pcm');
      for (let i = 0; i < 3; i++) await visit.page.keyboard.press('Shift');
      await expectLeftForNeutralSite(visit.page);
    } finally {
      await visit.context.close();
    }
  });

  it('answers Escape twice', async () => {
    const visit = await newVisit(browser(), { javaScript: true });
    try {
      await visit.page.goto(baseUrl + '/fr');
      await visit.page.keyboard.press('Escape');
      await visit.page.keyboard.press('Escape');
      await expectLeftForNeutralSite(visit.page);
    } finally {
      await visit.context.close();
    }
  });

  it('does not leave on a single Shift or on typing', async () => {
    const visit = await newVisit(browser(), { javaScript: true });
    try {
      await visit.page.goto(baseUrl + '/fr');
      await visit.page.keyboard.press('Shift');
      await visit.page.keyboard.type('Abc');
      await visit.page.keyboard.press('Escape');
      await visit.page.waitForTimeout(400);
      expect(visit.page.url()).toBe(baseUrl + '/fr');
    } finally {
      await visit.context.close();
    }
  });
});
