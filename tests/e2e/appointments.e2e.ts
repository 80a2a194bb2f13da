import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, scriptlessVisit, submit, useBrowser } from './support/browser';
import { createStaff, relais, signIn, type StaffAccount } from './support/staff';
import { registerSecrets } from './support/secrets';
import { addParisDays, parisDateKey } from '../../src/lib/time/paris-time';
import { formatIsoWeek, isoWeekOfDateKey, parisIsoWeek } from '../../src/lib/time/iso-week';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const browser = useBrowser();

// Obviously fake and distinctive: they must never reach a log line.
const PSEUDONYM = 'Marvelle Rendezvousfake';
const PLACE = 'Fakeborough prefecture, window 12';
const PURPOSE = 'Tamberlin permit renewal';

/** A browser whose page scripts never run (JavaScript off for the app). */
describe('appointments and the week view', () => {
  it('a social worker adds an appointment for her, sees it in the week view, cancels it; a bad date is refused with her values kept; JavaScript off', { timeout: 240_000 }, async () => {
    registerSecrets(dataDir, { pseudonym: PSEUDONYM, place: PLACE, purpose: PURPOSE });
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Rendez-vous E2E');
    const social: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'social_worker', 'social.appointments.e2e@example.test');
    const peer: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'peer_helper', 'peer.appointments.e2e@example.test');

    const today = parisDateKey(new Date());
    const tomorrow = addParisDays(today, 1);
    const week = formatIsoWeek(isoWeekOfDateKey(tomorrow));
    const { page, context } = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    let personUrl = '';
    try {
      await signIn(baseUrl, context, social);
      await page.goto(`${baseUrl}/staff/people/new`);
      await page.fill('#pseudonym', PSEUDONYM);
      await page.fill('#real_name', 'Never Shownfake');
      await page.check('#consent_explained');
      expect(await submit(page, '#create-person')).toBe(303);
      await page.waitForSelector('#person-name');
      personUrl = new URL(page.url()).pathname;
      expect(await page.locator('#no-appointments').innerText()).toMatch(/Aucun rendez-vous/);

      // A date that has passed: 400, the summary links to the date, her values are kept.
      await page.click('#add-appointment-summary');
      await page.fill('#appointment_date', addParisDays(today, -1));
      await page.fill('#appointment_time', '14:30');
      await page.fill('#place', PLACE);
      await page.fill('#purpose', PURPOSE);
      expect(await submit(page, '#add-appointment')).toBe(400);
      const summary = page.locator('.error-summary');
      expect(await summary.innerText()).toMatch(/Cette date est passée/);
      expect(await summary.locator('a').getAttribute('href')).toBe('#appointment_date');
      expect(await page.locator('#appointment_date-error').innerText()).toMatch(/Cette date est passée/);
      expect(await page.inputValue('#place')).toBe(PLACE);
      expect(await page.inputValue('#purpose')).toBe(PURPOSE);
      expect(await page.inputValue('#appointment_time')).toBe('14:30');
      expect(await axeViolations(page), 'the appointment form, refused').toEqual([]);

      // An impossible date, as a browser without a date picker sends it: 400, kept, nothing saved.
      const cookie = (await context.cookies()).find((c) => c.name === 'relais_session')!;
      const impossible = await fetch(`${baseUrl}${personUrl}?/addAppointment`, {
        method: 'POST',
        headers: { cookie: `relais_session=${cookie.value}`, origin: baseUrl, accept: 'text/html', 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
        body: new URLSearchParams({ appointment_date: '2026-02-30', appointment_time: '25:00', place: PLACE, purpose: '', attendee: 'x' }),
        redirect: 'manual'
      });
      expect(impossible.status).toBe(400);
      const html = await impossible.text();
      expect(html).toContain('class="error-summary"');
      expect(html).toMatch(/Indiquez une vraie date/);
      expect(html).toMatch(/Indiquez une heure entre 00:00 et 23:59/);
      expect(html).toContain('value="2026-02-30"');

      // Tomorrow at 14:30, with herself going: 303 back to her page, which lists it.
      await page.goto(`${baseUrl}${personUrl}`);
      await page.click('#add-appointment-summary');
      await page.fill('#appointment_date', tomorrow);
      await page.fill('#appointment_time', '14:30');
      await page.fill('#duration', '45');
      await page.fill('#place', PLACE);
      await page.fill('#purpose', PURPOSE);
      expect(await submit(page, '#add-appointment')).toBe(303);
      await page.waitForSelector('#appointment-list');
      expect(await page.locator('[role=status]').innerText()).toMatch(/Rendez-vous ajouté/);
      const listed = await page.locator('#appointment-list').innerText();
      expect(listed).toContain(PLACE);
      expect(listed).toContain(PURPOSE);
      expect(listed).toMatch(/14:30/);
      expect(listed).toMatch(/avec vous/);
      expect(await axeViolations(page), 'her record with an appointment').toEqual([]);

      // The week view, from the staff menu; next week if tomorrow is Monday.
      await page.click('#week-link');
      await page.waitForSelector('#week-days');
      if (week !== formatIsoWeek(parisIsoWeek(new Date()))) {
        await page.click('#next-week');
        await page.waitForSelector(`#day-${tomorrow}`);
      }
      expect(new URL(page.url()).pathname).toBe('/staff/week');
      const day = page.locator(`li.week-day[data-date="${tomorrow}"]`);
      const entry = await day.innerText();
      expect(entry).toContain(PSEUDONYM);
      expect(entry).toContain(PLACE);
      expect(entry).toMatch(/14:30/);
      expect(await page.content()).not.toContain('Never Shownfake');
      expect(await page.locator('li.week-day').count()).toBe(7);
      expect(await axeViolations(page), 'the week view').toEqual([]);
      // On a 360 px phone it reads without scrolling sideways.
      await page.setViewportSize({ width: 360, height: 640 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.setViewportSize({ width: 1280, height: 800 });
      // Previous and next weeks are plain links, reached by the keyboard.
      expect(await page.locator('#previous-week').getAttribute('href')).toMatch(/^\/staff\/week\?week=\d{4}-W\d{2}$/);
      await page.focus('#previous-week');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/^(this-week|next-week)$/);
      // A week that cannot be read: this week, and it says so.
      await page.goto(`${baseUrl}/staff/week?week=2026-W99`);
      expect(await page.locator('#week-unreadable').innerText()).toMatch(/n'a pas pu être lue/);

      // Cancel it from her page: gone from her page and from the week.
      await page.goto(`${baseUrl}${personUrl}`);
      expect(await submit(page, '#appointment-list button')).toBe(303);
      await page.waitForSelector('#no-appointments');
      expect(await page.locator('[role=status]').innerText()).toMatch(/Rendez-vous annulé/);
      await page.goto(`${baseUrl}/staff/week?week=${week}`);
      expect(await page.locator(`li.week-day[data-date="${tomorrow}"]`).innerText()).not.toContain(PSEUDONYM);
    } finally {
      await context.close();
    }

    // A peer helper not assigned to her (on her phone) sees nothing of her.
    const phone = await scriptlessVisit(browser(), { phone: true, language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, phone.context, peer);
      await phone.page.goto(`${baseUrl}/staff/week?week=${week}`);
      await phone.page.waitForSelector('#week-days');
      expect(await phone.page.content()).not.toContain(PSEUDONYM);
      expect(await phone.page.locator('#week-empty').count()).toBe(1);
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect((await phone.page.goto(`${baseUrl}${personUrl}`))!.status()).toBe(404);
    } finally {
      await phone.context.close();
    }
  });
});
