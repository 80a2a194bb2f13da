import fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, never a downloaded browser, with the flags this sandbox needs (and `extraArgs`). */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP localhost 127.0.0.1',
      ...extraArgs
    ]
  });
}

export interface Visit {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Console messages about blocked content (CSP) and page errors. */
  problems: string[];
}

/**
 * A new private context (like a fresh phone), with or without JavaScript. The neutral
 * site of the quick exit is answered locally: the tests never reach the Internet.
 */
export async function newVisit(
  browser: Browser,
  options: { javaScript: boolean; phone?: boolean; offline?: boolean; serviceWorkers?: boolean }
): Promise<Visit> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript,
    viewport: options.phone ? { width: 360, height: 640 } : { width: 1280, height: 800 },
    isMobile: options.phone ?? false,
    hasTouch: options.phone ?? false,
    serviceWorkers: options.javaScript && options.serviceWorkers !== false ? 'allow' : 'block'
  });
  await context.route('http://neutral.test/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Weather</h1>' })
  );
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  context.on('request', (r) => {
    if (!requests.includes(r.url())) requests.push(r.url());
  });
  page.on('console', (m) => {
    if (/Refused to|Content Security Policy|violates/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, requests, problems };
}

/**
 * A visit as on a phone without JavaScript, for signed-in journeys: the site's scripts are
 * refused rather than JavaScript turned off, so that axe can still be injected; no service
 * worker; `language` is sent as Accept-Language (the browser's own otherwise).
 */
export async function scriptlessVisit(browser: Browser, options: { phone?: boolean; language?: string } = {}): Promise<Visit> {
  const visit = await newVisit(browser, { javaScript: true, phone: options.phone ?? false, serviceWorkers: false });
  await visit.context.route('**/*', (route) => (route.request().resourceType() === 'script' ? route.abort() : route.fallback()));
  visit.page.setDefaultTimeout(30_000);
  if (options.language) await visit.page.setExtraHTTPHeaders({ 'accept-language': options.language });
  return visit;
}

/** axe-core on the page, WCAG 2.0–2.2 A and AA rules; returns the violations. */
export async function axeViolations(page: Page): Promise<Array<{ id: string; impact: string | null; nodes: string[] }>> {
  // Evaluated through the DevTools protocol: the page's own CSP stays strict.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    // @ts-expect-error axe is global once injected
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations']
    });
    return result.violations.map((v: { id: string; impact: string | null; nodes: Array<{ target: string[] }> }) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))
    }));
  });
}

/** Requests that left for another host than the app's (the quick exit's neutral site aside). */
export function foreignRequests(requests: string[], baseUrl: string): string[] {
  const origin = new URL(baseUrl).origin;
  return requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('http://neutral.test/'));
}

/**
 * axe needs JavaScript to run, so a page as it is without JavaScript is checked in a
 * context where the site's own scripts are refused: the DOM axe sees is the one a phone
 * with JavaScript off shows.
 */
/** A page whose site scripts are refused (axe is injected through DevTools). */
export async function scriptlessPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, serviceWorkers: 'block' });
  await context.route('**/*', (route) => (route.request().resourceType() === 'script' ? route.abort() : route.continue()));
  return context.newPage();
}

/**
 * One browser for the test file: launched before its first test, closed after its last.
 * Returns a getter, since the browser exists only once the file's tests start.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not started yet');
    return browser;
  };
}

/**
 * Clicks the button that sends a form and waits for the page the server answers with to
 * have loaded (its styles applied), not only for the answer: axe run on a page still
 * loading saw unstyled links and reported them too small. A form sent by a script (no
 * navigation) is done when its answer arrives. Returns the answer's status.
 */
export async function submit(page: Page, selector = 'button[type=submit]'): Promise<number> {
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  loaded.catch(() => {}); // no navigation: never awaited
  await page.click(selector);
  const answer = await response;
  if (answer.request().isNavigationRequest()) await loaded;
  return answer.status();
}

/** Clicks a link and waits for the page it opens to have loaded (see `submit`). */
export async function follow(page: Page, selector: string): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  await page.click(selector);
  await loaded;
}
