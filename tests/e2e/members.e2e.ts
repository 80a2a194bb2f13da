import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, scriptlessVisit, follow, submit, useBrowser } from './support/browser';
import { createStaff, relais, signIn, type StaffAccount } from './support/staff';
import { registerSecrets } from './support/secrets';
import { toParis } from '../../src/lib/time/paris-time';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const browser = useBrowser();

// Obviously fake and distinctive: they must never reach a log line.
const PSEUDONYM = 'Obiageli Fakeworkshopper';
const PLACE = 'Fakeham community hall, room 3';

async function axeClean(page: Page, what: string): Promise<void> {
  expect(await axeViolations(page), what).toEqual([]);
}

const pad = (n: number) => String(n).padStart(2, '0');

describe('members, workshops and pay', () => {
  it('a facilitator enrols a member in person and gives her a code; she signs in with it on her phone, checks in with the door code, and sees the workshop and her hours; the pay CSV lists her; JavaScript off', { timeout: 300_000 }, async () => {
    registerSecrets(dataDir, { pseudonym: PSEUDONYM, place: PLACE });
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Ateliers E2E');
    const coordinator: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'coordinator', 'coordinator.members.e2e@example.test');

    const facilitator = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    const member = await scriptlessVisit(browser(), { phone: true, language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, facilitator.context, coordinator);
      const f = facilitator.page;

      // 1. Enrol her in person, in Pidgin: a one-time code, shown once.
      await f.goto(`${baseUrl}/staff/members`);
      await axeClean(f, 'the members page');
      // Bad input: no pseudonym → 400, a message, nothing made.
      await f.fill('#pseudonym', ' ');
      expect(await submit(f, 'form[action="?/enrol"] button')).toBe(400);
      expect(await f.locator('.error-summary').innerText()).toMatch(/pseudonyme/);
      await axeClean(f, 'the members page, refused');
      await f.fill('#pseudonym', PSEUDONYM);
      await f.selectOption('#language', 'pcm');
      expect(await submit(f, 'form[action="?/enrol"] button')).toBe(200);
      const code = (await f.locator('[data-code]').innerText()).trim();
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      registerSecrets(dataDir, { 'sign-in code': code });
      expect(await f.locator(`[data-member="${PSEUDONYM}"]`).innerText()).toMatch(/pidgin nigérian/);
      await axeClean(f, 'the members page with a code');

      // 2. The hourly rate, then a workshop starting now, with interpretation and childcare.
      await f.goto(`${baseUrl}/staff/pay`);
      await f.fill('#rate', '12,50');
      expect(await submit(f, 'form[action="?/rate"] button')).toBe(200);
      await axeClean(f, 'the pay page');

      await f.goto(`${baseUrl}/staff/workshops`);
      await axeClean(f, 'the workshops page');
      const now = toParis(new Date());
      await f.fill('#title', 'Débat après le film');
      await f.fill('#starts_at', `${now.year}-${pad(now.month)}-${pad(now.day)}T${pad(now.hour)}:${pad(now.minute)}`);
      await f.fill('#duration', '120');
      await f.fill('#place', PLACE);
      await f.selectOption('#format', 'film_debate');
      await f.check('#interpretation-pcm');
      await f.check('#service-childcare');
      expect(await submit(f, 'form[action="?/create"] button')).toBe(200);
      const doorCode = (await f.locator('[data-door-code]').innerText()).trim();
      expect(doorCode).toMatch(/^[A-Z2-9]{6}$/);
      await axeClean(f, 'the workshops page with a door code');
      await follow(f, 'text=Ouvrir la page de l\'atelier');
      await axeClean(f, 'the workshop page');

      // 3. She signs in with her code on her phone (a fresh browser). A wrong code first: 400, in Pidgin.
      const m = member.page;
      await m.goto(`${baseUrl}/sign-in/code?lang=pcm`);
      expect(await m.getAttribute('html', 'lang')).toBe('pcm');
      await axeClean(m, 'the sign-in code page');
      await m.fill('#code', 'ZZZZ-ZZZZ');
      expect(await submit(m, 'form button[type="submit"]')).toBe(400);
      expect(await m.locator('.error-summary').innerText()).toMatch(/This code no work/);
      await axeClean(m, 'the sign-in code page, refused');
      await m.fill('#code', code.toLowerCase());
      expect(await submit(m, 'form button[type="submit"]')).toBe(303);
      await m.waitForURL(`${baseUrl}/staff/participate`);
      expect(await m.locator('h1').innerText()).toBe(`How far, ${PSEUDONYM}`);
      await axeClean(m, 'her home');

      // The code is spent: on another fresh phone it no longer works.
      const again = await fetch(`${baseUrl}/sign-in/code?lang=pcm`, {
        method: 'POST',
        headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
        body: new URLSearchParams({ code, lang: 'pcm' }),
        redirect: 'manual'
      });
      expect(again.status).toBe(400);
      expect(await again.text()).toMatch(/This code no work/);

      // 4. At the door: a wrong code (400, her language), then the right one; twice is harmless.
      await m.goto(`${baseUrl}/staff/participate/check-in`);
      await axeClean(m, 'the check-in page');
      await m.fill('#code', 'ZZZZZ2');
      expect(await submit(m, 'form button[type="submit"]')).toBe(400);
      expect(await m.locator('.error-summary').innerText()).toMatch(/Check am for the door/);
      await axeClean(m, 'the check-in page, refused');
      await m.fill('#code', doorCode);
      expect(await submit(m, 'form button[type="submit"]')).toBe(200);
      expect(await m.locator('[data-checked-in]').innerText()).toMatch(/we mark say you dey "Débat après le film"/);
      await axeClean(m, 'the check-in page, done');
      await m.goto(`${baseUrl}/staff/participate/check-in`);
      await m.fill('#code', doorCode);
      expect(await submit(m, 'form button[type="submit"]')).toBe(200);
      expect(await m.locator('[data-checked-in]').innerText()).toMatch(/We don already mark/);

      // 5. Her home: the workshop with its services, 2 hours, 25 € owed.
      await m.goto(`${baseUrl}/staff/participate`);
      const home = await m.locator('main, body').first().innerText();
      expect(home).toMatch(/Débat après le film/);
      expect(home).toMatch(/Interpreter: Naija Pidgin/);
      expect(home).toMatch(/Person go look your pikin/);
      expect(home).toMatch(/Hours wey we count: 2/);
      expect(await m.locator('[data-owed]').innerText()).toMatch(/25[.,]00/);
      const width = await m.evaluate(() => document.documentElement.scrollWidth);
      expect(width, 'no horizontal scroll at 360 px').toBeLessThanOrEqual(360);
      await axeClean(m, 'her home with her workshop');

      // 6. The facilitator's pay table and the bookkeeping CSV list her.
      await f.goto(`${baseUrl}/staff/pay`);
      expect(await f.locator(`[data-pay-row="${PSEUDONYM}"]`).innerText()).toMatch(/25,00/);
      await axeClean(f, 'the pay page with her');
      const csv = await facilitator.context.request.get(`${baseUrl}/staff/pay/export.csv`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toMatch(/text\/csv/);
      const text = (await csv.body()).toString('utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      expect(text).toContain(`${PSEUDONYM};total;;total;2;;25,00;0,00;25,00\r\n`);
      expect(text).not.toContain(PLACE);
    } finally {
      await facilitator.context.close();
      await member.context.close();
    }
  });

  it('a facilitator records training, then acts on a member\'s behalf for a stated reason: the banner shows on her pages, ending gives the facilitator her own session back; JavaScript off', { timeout: 300_000 }, async () => {
    const pseudonym = 'Ifeoma Fakeproxied';
    registerSecrets(dataDir, { 'proxied pseudonym': pseudonym, reason: 'Fakewind phone screen broken' });
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Procuration E2E');
    const coordinator: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'coordinator', 'coordinator.proxy.e2e@example.test');
    const facilitator = await scriptlessVisit(browser(), { phone: true, language: 'en-GB,en;q=0.9' });
    try {
      await signIn(baseUrl, facilitator.context, coordinator);
      const f = facilitator.page;
      await f.goto(`${baseUrl}/staff/members`);
      await f.fill('#pseudonym', pseudonym);
      await f.selectOption('#language', 'en');
      expect(await submit(f, 'form[action="?/enrol"] button')).toBe(200);

      // A training module, completed with the facilitator: it adds to her hours.
      await f.goto(`${baseUrl}/staff/training`);
      await axeClean(f, 'the training page');
      await f.fill('#title', 'Speaking to officials');
      await f.fill('#content', 'First paragraph.\n\nSecond paragraph.');
      await f.fill('#duration', 'ninety');
      expect(await submit(f, 'form[action="?/create"] button')).toBe(400);
      expect(await f.locator('#duration-error').innerText()).toMatch(/1 to 1440/);
      expect(await f.inputValue('#title')).toBe('Speaking to officials');
      await axeClean(f, 'the training page, refused');
      await f.fill('#duration', '90');
      expect(await submit(f, 'form[action="?/create"] button')).toBe(303);
      await f.waitForURL(/\/staff\/training\/[0-9a-f-]{36}$/);
      await axeClean(f, 'a module page');
      expect(await submit(f, 'form[action="?/complete"] button')).toBe(200);
      expect(await f.locator('.results').innerText()).toMatch(new RegExp(`${pseudonym} — done`));

      // Acting on her behalf: a reason is required (400), then her home with the banner.
      await f.goto(`${baseUrl}/staff/members`);
      const row = f.locator(`[data-member="${pseudonym}"]`);
      await row.locator('summary').click();
      await row.locator('input[name="minutes"]').fill('90');
      await row.locator('input[name="reason"]').fill('Fakewind phone screen broken');
      expect(await submit(f, `[data-member="${pseudonym}"] form[action="?/proxy"] button`)).toBe(400);
      expect(await f.locator('.error-summary').innerText()).toMatch(/between 1 and 60/);
      await axeClean(f, 'the members page, proxy refused');
      const again = f.locator(`[data-member="${pseudonym}"]`);
      await again.locator('input[name="minutes"]').fill('15');
      expect(await submit(f, `[data-member="${pseudonym}"] form[action="?/proxy"] button`)).toBe(303);
      await f.waitForURL(`${baseUrl}/staff/participate`);
      expect(await f.locator('.proxy-banner').innerText()).toMatch(new RegExp(`A facilitator is using the pages of ${pseudonym}`));
      expect(await f.locator('h1').innerText()).toBe(`Hello ${pseudonym}`);
      expect(await f.locator('main, body').first().innerText()).toMatch(/Hours counted: 1\.5/);
      await axeClean(f, 'her home during a proxy');
      await f.goto(`${baseUrl}/staff/participate/check-in`);
      expect(await f.locator('.proxy-banner').count()).toBe(1);
      await f.goto(`${baseUrl}/staff/participate`);
      await follow(f, 'text=Speaking to officials');
      await axeClean(f, 'a module, as she reads it');
      expect(await f.locator('.proxy-banner').count()).toBe(1);

      // Ending it: the facilitator is herself again; the member's session is over.
      expect(await submit(f, '.proxy-banner button')).toBe(303);
      await f.waitForURL(`${baseUrl}/staff/members`);
      expect(await f.locator('h1').innerText()).toBe('Group members');
    } finally {
      await facilitator.context.close();
    }
  });
});
