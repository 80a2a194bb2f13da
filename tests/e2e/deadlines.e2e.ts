import { describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { newVisit, useBrowser } from './support/browser';
import { formatIsoParis, fromParis, toParis } from '../../src/lib/time/paris-time';

const baseUrl = inject('baseUrl');
const serverLog = inject('serverLog');
const browser = useBrowser();

/** Friday 27 November 2026, 23:10, in a detention centre (FACTS §1.A, §1.C). */
async function answerFridayNight(page: Page) {
  await page.check('#custody-retention');
  await page.fill('#notified-date', '2026-11-27');
  await page.fill('#notified-time', '23:10');
  await page.click('button[type=submit]');
  await page.waitForSelector('#result-heading');
}

/** Saturday 28 November 2026, 10:00 in Paris: the night after that Friday. */
const SATURDAY_MORNING = new Date('2026-11-28T10:00:00+01:00');

/**
 * The Sunday answer. `firstStep` depends on when she asks: before the deadline, "act today";
 * after it (the server's clock, which tests do not set), "even if the deadline has passed".
 */
async function expectSundayAnswer(page: Page, firstStep: RegExp) {
  const when = page.locator('.deadline-when');
  expect(await when.getAttribute('data-deadline')).toBe('2026-11-29T23:10:00+01:00');
  expect(await when.innerText()).toMatch(/dimanche 29 novembre 2026 à 23:10/);
  const steps = page.locator('.deadline-answer ol.steps > li');
  expect(await steps.count()).toBeGreaterThanOrEqual(3);
  expect(await steps.first().innerText()).toMatch(firstStep);
  expect(await page.locator('.deadline-answer').innerText()).toMatch(/pas un conseil juridique/);
  expect(await page.locator('.deadline-answer a[download]').count()).toBe(1);
}

describe('the deadline calculator, JavaScript off', () => {
  it('lists the papers in plain words and links to each calculator', async () => {
    const visit = await newVisit(browser(), { javaScript: false, phone: true });
    try {
      await visit.page.goto(`${baseUrl}/fr/deadlines`);
      expect(await visit.page.locator('h2').first().innerText()).toBe('Quel papier avez-vous reçu ?');
      await visit.page.click('a[href="/fr/deadlines/oqtf"]');
      expect(new URL(visit.page.url()).pathname).toBe('/fr/deadlines/oqtf');
    } finally {
      await visit.context.close();
    }
  });

  it('notified on a Friday at 23:10 while in a detention centre → Sunday 29 November 2026 at 23:10, with numbered steps', async () => {
    const visit = await newVisit(browser(), { javaScript: false, phone: true });
    try {
      await visit.page.goto(`${baseUrl}/fr/deadlines/oqtf`);
      const posted = visit.page.waitForResponse((r) => r.request().method() === 'POST');
      await answerFridayNight(visit.page);
      expect((await posted).status()).toBe(200);
      await expectSundayAnswer(visit.page, /Même si le délai est passé/);
      // Her answers went in the body, not in the address.
      expect(new URL(visit.page.url()).search).toBe('');
      expect(await visit.context.cookies()).toEqual([]);
    } finally {
      await visit.context.close();
    }
  });

  it('a missing answer shows the error summary linking to the question, keeps her values, with a 400', async () => {
    const visit = await newVisit(browser(), { javaScript: false, phone: true });
    try {
      await visit.page.goto(`${baseUrl}/en/deadlines/oqtf`);
      await visit.page.fill('#notified-date', '2026-11-27');
      await visit.page.fill('#notified-time', '23:10');
      const posted = visit.page.waitForResponse((r) => r.request().method() === 'POST');
      await visit.page.click('button[type=submit]');
      expect((await posted).status()).toBe(400);
      const summary = visit.page.locator('#error-summary');
      expect(await summary.innerText()).toMatch(/There is a problem[\s\S]*Answer this question/);
      expect(await summary.locator('a').getAttribute('href')).toBe('#custody-free');
      expect(await visit.page.inputValue('#notified-date')).toBe('2026-11-27');
      expect(await visit.page.inputValue('#notified-time')).toBe('23:10');
      expect(await visit.page.locator('#custody-error').innerText()).toMatch(/Answer this question/);
    } finally {
      await visit.context.close();
    }
  });

  it('an impossible date is refused with 400 in her language and the typed value kept, never a 500', async () => {
    const post = (path: string, body: string) =>
      fetch(baseUrl + path, {
        method: 'POST',
        headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body
      });
    const bad = await post('/pcm/deadlines/oqtf', 'custody=retention&date=2026-02-30&time=25:99');
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('id="error-summary"');
    expect(html).toContain('value="2026-02-30"');
    expect(html).toContain('This date or time no exist');
    expect(html).toContain('href="#notified-time"');
    for (const body of ['', 'date=&time=', 'custody=x&departure_period=y&date=9999-99-99&time=x', 'a'.repeat(5000)]) {
      expect((await post('/fr/deadlines/oqtf', body)).status, body.slice(0, 30)).toBe(400);
    }
    expect((await post('/fr/deadlines/visa', 'date=2026-01-01&time=10:00')).status).toBe(404);
  });
});

describe('the deadline calculator, JavaScript on', () => {
  it('computes the same answer in the browser: no POST is sent', async () => {
    const visit = await newVisit(browser(), { javaScript: true, phone: true });
    try {
      const posts: string[] = [];
      visit.page.on('request', (r) => {
        if (r.method() !== 'GET') posts.push(`${r.method()} ${r.url()}`);
      });
      // The browser's clock stands on the Saturday morning: the deadline is still ahead.
      await visit.page.clock.setFixedTime(SATURDAY_MORNING);
      await visit.page.goto(`${baseUrl}/fr/deadlines/oqtf`, { waitUntil: 'networkidle' });
      await answerFridayNight(visit.page);
      await expectSundayAnswer(visit.page, /Agissez aujourd'hui/);
      expect(posts).toEqual([]);
      // The answer takes the focus, for a screen reader.
      expect(await visit.page.evaluate(() => document.activeElement?.id)).toBe('result-heading');
    } finally {
      await visit.context.close();
    }
  });

  it('shows the errors in the browser too, and asks about days to leave for an older paper', async () => {
    const visit = await newVisit(browser(), { javaScript: true, phone: true });
    try {
      await visit.page.goto(`${baseUrl}/en/deadlines/oqtf`, { waitUntil: 'networkidle' });
      expect(await visit.page.locator('#departure-granted').count()).toBe(0);
      await visit.page.fill('#notified-date', '2023-03-01');
      await visit.page.fill('#notified-time', '10:00');
      await visit.page.check('#custody-free');
      await visit.page.click('button[type=submit]');
      await visit.page.waitForSelector('#error-summary');
      expect(await visit.page.locator('#error-summary a').getAttribute('href')).toBe('#departure-granted');
      await visit.page.check('#departure-none');
      await visit.page.click('button[type=submit]');
      await visit.page.waitForSelector('#result-heading');
      expect(await visit.page.locator('.deadline-when').getAttribute('data-deadline')).toBe('2023-03-03T10:00:00+01:00');
    } finally {
      await visit.context.close();
    }
  });

  it('works offline after one visit (service worker)', async () => {
    const visit = await newVisit(browser(), { javaScript: true, phone: true });
    try {
      await visit.page.clock.setFixedTime(SATURDAY_MORNING);
      await visit.page.goto(`${baseUrl}/fr/deadlines/oqtf`, { waitUntil: 'networkidle' });
      await visit.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      // The worker keeps the calculator pages of this language; wait until this one is kept.
      const kept = () => visit.page.evaluate(async () => Boolean(await caches.match('/fr/deadlines/oqtf')));
      for (let i = 0; i < 60 && !(await kept()); i++) await new Promise((r) => setTimeout(r, 500));
      expect(await kept()).toBe(true);
      await visit.context.setOffline(true);
      await visit.page.reload({ waitUntil: 'load' });
      const posts: string[] = [];
      visit.page.on('request', (r) => {
        if (r.method() !== 'GET') posts.push(r.url());
      });
      await answerFridayNight(visit.page);
      await expectSundayAnswer(visit.page, /Agissez aujourd'hui/);
      expect(posts).toEqual([]);
    } finally {
      await visit.context.close();
    }
  });
});

/** An hour ago on the Paris wall clock, as the calculator's `notified` reads it (to the minute). */
function anHourAgoInParis() {
  const anHourAgo = toParis(new Date(Date.now() - 60 * 60 * 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${anHourAgo.year}-${pad(anHourAgo.month)}-${pad(anHourAgo.day)}T${pad(anHourAgo.hour)}:${pad(anHourAgo.minute)}`;
  return { anHourAgo, local };
}

describe('GET /api/deadlines', () => {
  const api = (query: string) => fetch(`${baseUrl}/api/deadlines?${query}`);

  it('answers JSON with the rule, the deadline with its offset, steps and sources; no cookie, no cache', async () => {
    const response = await api('procedure=oqtf&notified=2026-11-27T23:10&custody=retention');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('set-cookie')).toBeNull();
    const a = await response.json();
    expect(a.procedure).toBe('oqtf');
    expect(Object.keys(a.rule)).toEqual(expect.arrayContaining(['id', 'in_force_from', 'in_force_to', 'legal_basis', 'last_checked', 'confidence']));
    expect(a.notified).toBe('2026-11-27T23:10:00+01:00');
    expect(a.deadline).toBe('2026-11-29T23:10:00+01:00');
    expect(a.deadline_text).toBe('dimanche 29 novembre 2026 à 23:10');
    expect(a).toHaveProperty('counting.method', 'hours');
    expect(a.disputed).toBe(false);
    expect(a.alternatives).toEqual([]);
    expect(a.warnings.map((w: { key: string }) => w.key)).toContain('deadlines.warning.no_weekend_extension');
    // That Sunday is behind us: the first step says what she can still do.
    expect(a.warnings.map((w: { key: string }) => w.key)).toContain('deadlines.warning.past');
    expect(a.steps[0]).toEqual({ key: 'deadlines.step.past.see_lawyer_now', text: expect.stringMatching(/Même si le délai est passé/) });
    expect(a.sources[0].url).toMatch(/^https:\/\//);
  });

  it('a paper received an hour ago: the deadline is ahead and the first step is "act today"', async () => {
    const { anHourAgo, local } = anHourAgoInParis();
    const a = await (await api(`procedure=oqtf&notified=${local}&custody=retention`)).json();
    const notified = fromParis({ ...anHourAgo, second: 0 });
    expect(a.notified).toBe(formatIsoParis(notified));
    // 48 hours on the wall clock (one hour fewer or more across a change of time).
    const hours = (new Date(a.deadline).getTime() - notified.getTime()) / 3_600_000;
    expect([47, 48, 49]).toContain(hours);
    expect(a.warnings.map((w: { key: string }) => w.key)).not.toContain('deadlines.warning.past');
    expect(a.steps[0]).toEqual({ key: 'deadlines.step.act_today', text: expect.stringMatching(/Agissez aujourd'hui/) });
  });

  it('answers in English and gives the disputed alternatives', async () => {
    const { local } = anHourAgoInParis();
    const a = await (await api(`procedure=oqtf&notified=${local}&custody=prison&lang=en`)).json();
    expect(a.disputed).toBe(true);
    expect(a.alternatives[0]).toEqual(expect.objectContaining({ deadline: expect.stringMatching(/\+0[12]:00$/), reason: expect.any(String) }));
    expect(a.steps[0].text).toBe('Act today. Do not wait for the last day.');
  });

  it.each([
    ['notified=2026-11-27T23:10&custody=retention', 'unknown_procedure', 'procedure'],
    ['procedure=visa&notified=2026-11-27T23:10', 'unknown_procedure', 'procedure'],
    ['procedure=oqtf&custody=retention', 'invalid_date', 'notified'],
    ['procedure=oqtf&notified=2026-02-30T10:00&custody=retention', 'invalid_date', 'notified'],
    ['procedure=oqtf&notified=yesterday&custody=retention', 'invalid_date', 'notified'],
    ['procedure=oqtf&notified=2026-11-27T23:10', 'missing_fact', 'custody'],
    ['procedure=oqtf&notified=2026-11-27T23:10&custody=hotel', 'invalid_fact', 'custody'],
    ['procedure=oqtf&notified=2023-03-01T10:00&custody=free', 'missing_fact', 'departure_period'],
    ['procedure=oqtf&notified=1990-03-01T10:00&custody=free', 'no_rule_in_force', 'notified'],
    ['procedure=oqtf&notified=2026-11-27T23:10&custody=retention&lang=de', 'invalid_lang', 'lang']
  ])('400 naming the problem: %s', async (query, code, field) => {
    const response = await api(query);
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
    const body = await response.json();
    expect(body).toEqual({ error: { code, field, message: expect.any(String) } });
    expect(body).not.toHaveProperty('deadline');
  });

  it('never writes her answers to the server log', async () => {
    await api('procedure=oqtf&notified=2026-10-13T07:42&custody=retention');
    const fs = await import('node:fs');
    await new Promise((r) => setTimeout(r, 200));
    const log = fs.readFileSync(serverLog, 'utf8');
    expect(log).toContain('path="/api/deadlines"');
    expect(log).not.toMatch(/2026-10-13|07:42|notified=/);
  });

  it('gives an .ics of the deadline with no personal data', async () => {
    const response = await fetch(`${baseUrl}/api/deadlines/ics?procedure=oqtf&notified=2026-11-27T23:10&custody=retention&lang=en`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(response.headers.get('set-cookie')).toBeNull();
    const ics = await response.text();
    expect(ics).toContain('DTEND:20261129T221000Z');
    expect(ics).toContain('SUMMARY:Deadline: appeal');
    expect(ics).not.toMatch(/OQTF|20261127|retention/i);
    const byDeadline = await fetch(`${baseUrl}/api/deadlines/ics?procedure=oqtf&deadline=2026-11-29T23:10:00%2B01:00`);
    expect(await byDeadline.text()).toContain('DTEND:20261129T221000Z');
    expect((await fetch(`${baseUrl}/api/deadlines/ics?procedure=oqtf&deadline=soon`)).status).toBe(400);
  });
});
