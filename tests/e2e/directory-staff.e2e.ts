import fs from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, useBrowser } from './support/browser';
import { newOrganization, signedInStaff } from './support/staff';

const baseUrl = inject('baseUrl');
const serverLog = inject('serverLog');
const browser = useBrowser();

/** Posts the page's form whose submit button is `button` and waits for the answer. */
async function post(page: Page, button: string): Promise<number> {
  const answer = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.click(button);
  const status = (await answer).status();
  await page.waitForLoadState();
  return status;
}

const serviceIdOf = (page: Page) => decodeURIComponent(new URL(page.url()).pathname.split('/')[3] ?? '');

describe('staff keep the help directory up to date, without JavaScript', () => {
  it('a social worker creates a night shelter, has a bad opening_hours string refused with her value kept, edits it, verifies it, posts "full tonight"; the public page shows it and the history lists the change', async () => {
    const staff = await signedInStaff(browser(), { role: 'social_worker' });
    const { page, context } = staff;
    try {
      await page.goto(`${baseUrl}/staff`);
      // In the staff menu on every staff page, and on her page.
      expect(await page.locator('.staff-nav a[href="/staff/directory"]').count()).toBe(1);
      await page.click('#directory-link');
      await page.waitForURL(`${baseUrl}/staff/directory`);
      expect(await axeViolations(page), 'directory list').toEqual([]);
      await page.click('#new-service');
      await page.waitForURL(`${baseUrl}/staff/directory/new`);
      expect(await axeViolations(page), 'new service').toEqual([]);

      await page.fill('#name_fr', 'Abri de nuit Fictif Lumière');
      await page.fill('#description_fr', 'Un lit pour la nuit, pour les femmes. Service imaginaire.');
      await page.fill('#organization', 'Association Fictive E2E');
      await page.check('#category-emergency-shelter');
      await page.check('#audience-women_only');
      await page.check('#language-fr');
      await page.check('#language-en');
      await page.check('#free-yes');
      await page.fill('#phone_0_display', '01 00 00 00 42');
      await page.fill('#address', '3 rue Imaginaire');
      await page.fill('#postal_code', '75018');
      await page.fill('#city', 'Paris');
      await page.selectOption('#commune', '75118');
      await page.fill('#hours', 'Mo-Su 20h-8h');
      await page.check('#public_holidays-open');
      expect(await post(page, '#save')).toBe(400);
      // The summary links to the field; the message quotes what could not be read; her values stay.
      expect(await page.locator('.error-summary a[href="#hours"]').count()).toBe(1);
      expect(await page.locator('#hours-error').innerText()).toMatch(/«\s*20h-8h\s*»|20h/);
      expect(await page.locator('#hours-error').innerText()).toMatch(/caractère 7/);
      expect(await page.inputValue('#hours')).toBe('Mo-Su 20h-8h');
      expect(await page.inputValue('#name_fr')).toBe('Abri de nuit Fictif Lumière');
      expect(await page.isChecked('#category-emergency-shelter')).toBe(true);
      expect(await page.isChecked('#free-yes')).toBe(true);
      expect(await page.inputValue('#phone_0_display')).toBe('01 00 00 00 42');
      expect(await page.locator('#hours').getAttribute('aria-invalid')).toBe('true');
      expect(await axeViolations(page), 'new service with an error').toEqual([]);

      await page.fill('#hours', 'Mo-Su 20:00-08:00');
      expect(await post(page, '#save')).toBe(303);
      await page.waitForURL(/\/staff\/directory\/abri-de-nuit-fictif-lumiere-[0-9a-f]{8}\?done=created$/);
      const id = serviceIdOf(page);
      expect(await page.locator('#done').innerText()).toMatch(/Le service est créé/);
      // The hours read back in words, overnight included.
      expect(await page.locator('#hours-preview').innerText()).toMatch(/lundi : 20:00 – jusqu'au lendemain 08:00/);
      expect(await page.locator('#hours-preview').innerText()).toMatch(/Jours fériés : ouvert comme d'habitude/);
      expect(await axeViolations(page), 'service page').toEqual([]);

      // She edits it: earlier opening, a clearer name.
      await page.fill('#name_fr', 'Abri de nuit Fictif Lumière (femmes)');
      await page.fill('#hours', 'Mo-Su 19:00-08:00');
      expect(await post(page, '#save')).toBe(303);
      await page.waitForURL(/\?done=updated$/);
      expect(await page.locator('h1').innerText()).toBe('Abri de nuit Fictif Lumière (femmes)');

      // Two tabs on the same service: the second save, from a stale form, is stopped and keeps her values.
      const other = await context.newPage();
      await other.goto(`${baseUrl}/staff/directory/${id}`);
      await page.fill('#description_fr', 'Un lit pour la nuit, pour les femmes et leurs enfants. Service imaginaire.');
      expect(await post(page, '#save')).toBe(303);
      await other.fill('#transport_fr', 'Métro Fictif, ligne imaginaire');
      expect(await post(other, '#save')).toBe(409);
      expect(await other.locator('#conflict').innerText()).toMatch(/pendant que vous le modifiiez/);
      expect(await other.locator('.error-summary').innerText()).toMatch(/Noms et descriptions/);
      expect(await other.inputValue('#transport_fr')).toBe('Métro Fictif, ligne imaginaire');
      expect(await axeViolations(other), 'service page with a conflict').toEqual([]);
      // Saving again, now knowing, goes through (and replaces the other description).
      expect(await post(other, '#save')).toBe(303);
      await other.close();

      // "Verified today" and "full tonight".
      expect(await post(page, '#verify')).toBe(303);
      await page.waitForURL(/\?done=verified$/);
      expect(await page.locator('#verified').innerText()).toMatch(/Vérifié le .* par Association E2E/);
      expect(await post(page, '#full')).toBe(303);
      await page.waitForURL(/\?done=full$/);
      expect(await page.locator('#done').innerText()).toMatch(/Complet ce soir/);

      // The public page (no cookie) shows the notice, the verification and the new hours.
      const publicHtml = await (await fetch(`${baseUrl}/fr/directory/${id}`)).text();
      expect(publicHtml).toContain('Abri de nuit Fictif Lumière (femmes)');
      expect(publicHtml).toMatch(/Complet ce soir/);
      expect(publicHtml).toMatch(/Vérifié le/);
      expect(publicHtml).toMatch(/19:00 – jusqu&#39;au lendemain 08:00|19:00 – jusqu'au lendemain 08:00/);

      // The list finds it by a word of its name, accents aside.
      await page.goto(`${baseUrl}/staff/directory?q=lumiere`);
      expect(await page.locator('#services li').count()).toBe(1);
      expect(await page.locator('#services').innerText()).toMatch(/Vérifié il y a moins d'un mois/);
      // Those to verify again are flagged with their age.
      await page.goto(`${baseUrl}/staff/directory?stale=1`);
      expect(await page.locator('#services').innerText()).toMatch(/À vérifier/);
      expect(await page.locator('#services').innerText()).not.toMatch(/Lumière/);
      expect(await axeViolations(page), 'list of services to verify').toEqual([]);

      // The history: who (her address), when, which fields from what to what.
      await page.goto(`${baseUrl}/staff/directory/${id}`);
      await page.click('#history-link');
      await page.waitForURL(`${baseUrl}/staff/directory/${id}/history`);
      const history = await page.locator('#versions').innerText();
      expect(history).toContain(staff.email);
      expect(history).toMatch(/Version 1 : création/);
      expect(history).toMatch(/Version 5 : vérification/);
      expect(history).toMatch(/Mo-Su 20:00-08:00[\s\S]*Mo-Su 19:00-08:00/);
      expect(history).toMatch(/Nom du service \(fr\)\s+Abri de nuit Fictif Lumière\s+Abri de nuit Fictif Lumière \(femmes\)/);
      expect(await page.locator('#notices li').count()).toBe(1);
      expect(await axeViolations(page), 'history').toEqual([]);
    } finally {
      await context.close();
    }
    // Nothing about her or the service reached the server's log.
    const log = fs.readFileSync(serverLog, 'utf8');
    expect(log).not.toContain(staff.email);
    expect(log).not.toMatch(/Lumière|Imaginaire/);
  }, 180_000);

  it('a confidential address is shown to staff and never to the public: pages, search, JSON API, HSDS API, offline copy; deleting asks first', async () => {
    const staff = await signedInStaff(browser(), { role: 'peer_helper' });
    const { page, context } = staff;
    const SECRET = 'Impasse du Secret-Fictif';
    try {
      await page.goto(`${baseUrl}/staff/directory/new`);
      await page.fill('#name_fr', 'Refuge Fictif Quetzal');
      await page.fill('#organization', 'Association Fictive E2E');
      await page.check('#category-emergency-shelter');
      await page.fill('#hours', '24/7');
      await page.check('#confidential');
      await page.fill('#address', `7 ${SECRET}`);
      await page.fill('#postal_code', '75010');
      await page.selectOption('#commune', '75110');
      await page.fill('#latitude', '48.8765');
      await page.fill('#longitude', '2.3591');
      // No public front door yet: refused, the field says why.
      expect(await post(page, '#save')).toBe(400);
      expect(await page.locator('#front_door_phone-error').innerText()).toMatch(/contact public/);
      await page.fill('#front_door_phone', '01 00 00 00 43');
      await page.fill('#front_door_fr', 'Appelez en arrivant devant la gare de l’Est');
      expect(await post(page, '#save')).toBe(303);
      const id = serviceIdOf(page);
      expect(await page.inputValue('#address')).toBe(`7 ${SECRET}`);

      const publicAnswers = await Promise.all(
        [
          `/fr/directory/${id}`,
          `/en/directory/${id}`,
          '/fr/directory?q=quetzal',
          '/api/directory/services?q=quetzal',
          '/api/hsds/services?search=quetzal',
          `/api/hsds/services/${id}`,
          '/api/directory/snapshot?region=idf'
        ].map(async (path) => ({ path, response: await fetch(`${baseUrl}${path}`) }))
      );
      for (const { path, response } of publicAnswers) {
        const body = await response.text();
        expect(response.status, path).toBe(200);
        // Found (so the check means something), and without the street or the coordinates.
        expect(body, path).toMatch(/Quetzal/);
        expect(body, path).not.toMatch(/Secret-Fictif/);
        expect(body, path).not.toMatch(/48\.8765|2\.3591/);
      }
      const publicPage = await (await fetch(`${baseUrl}/fr/directory/${id}`)).text();
      expect(publicPage).toMatch(/L'adresse reste secrète|L&#39;adresse reste secrète/);
      expect(publicPage).toContain('gare de l’Est');
      expect(publicPage).toContain('tel:0100000043');

      // Deleting asks again and says what happens; the history stays.
      await page.click('#delete-link');
      await page.waitForURL(`${baseUrl}/staff/directory/${id}/delete`);
      expect(await page.locator('main').innerText()).toMatch(/disparaît tout de suite/);
      expect(await axeViolations(page), 'delete confirmation').toEqual([]);
      expect(await post(page, '#confirm-delete')).toBe(303);
      await page.waitForURL(`${baseUrl}/staff/directory?deleted=1`);
      expect((await fetch(`${baseUrl}/fr/directory/${id}`)).status).toBe(404);
      await page.goto(`${baseUrl}/staff/directory/${id}/history`);
      expect(await page.locator('#versions').innerText()).toMatch(/suppression/);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a member gets 403 on every directory page and action; without a session, everything sends to sign-in', async () => {
    const organizationId = newOrganization();
    const member = await signedInStaff(browser(), { role: 'member', organizationId });
    const id = 'sample-paris-night-shelter';
    const pages = ['/staff/directory', '/staff/directory/new', `/staff/directory/${id}`, `/staff/directory/${id}/history`, `/staff/directory/${id}/delete`];
    const actions = [`/staff/directory/new`, `/staff/directory/${id}?/save`, `/staff/directory/${id}?/verify`, `/staff/directory/${id}?/full`, `/staff/directory/${id}?/closure`, `/staff/directory/${id}/delete`];
    const headers = { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'fr' };
    try {
      await member.page.goto(`${baseUrl}/staff`);
      expect(await member.page.locator('#directory-link').count()).toBe(0);
      expect(await member.page.locator('a[href="/staff/directory"]').count()).toBe(0);
      for (const path of pages) {
        expect((await member.page.goto(`${baseUrl}${path}`))?.status(), path).toBe(403);
      }
      for (const path of actions) {
        const answer = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, cookie: `relais_session=${member.cookie}` }, body: 'name_fr=x', redirect: 'manual' });
        expect(answer.status, path).toBe(403);
      }
    } finally {
      await member.context.close();
    }
    for (const path of pages) {
      const answer = await fetch(`${baseUrl}${path}`, { redirect: 'manual' });
      expect([answer.status, answer.headers.get('location')], path).toEqual([303, '/sign-in']);
    }
    for (const path of actions) {
      const answer = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: 'name_fr=x', redirect: 'manual' });
      expect([answer.status, answer.headers.get('location')], path).toEqual([303, '/sign-in']);
    }
    // Nothing changed: the demo night shelter still has one version, from the demo.
    const publicPage = await (await fetch(`${baseUrl}/fr/directory/${id}`)).text();
    expect(publicPage).not.toContain('>x<');
  }, 120_000);
});
