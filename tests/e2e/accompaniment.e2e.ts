import fs from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, scriptlessVisit, submit, useBrowser } from './support/browser';
import { createStaff, relais, signIn } from './support/staff';
import { registerSecrets } from './support/secrets';
import { addParisDays, fromParis, parisDateKey, parseDateKey, weekdayOfDateKey } from '../../src/lib/time/paris-time';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const serverLog = inject('serverLog');
const browser = useBrowser();

// Obviously fake and distinctive: they must never reach a log line.
const PSEUDONYM = 'Tamsin Fakeridge';
const NOTE = 'Xylophane note: she prefers mornings';
const REASON = 'Her helper is on leave and she called in crisis';

const dayKey = (offsetDays: number) => parisDateKey(new Date(Date.now() + offsetDays * 86_400_000));

/** The last Friday whose 23:10 (Paris) is already past. */
function lastFridayNight(): string {
  for (let back = 0; back < 8; back++) {
    const key = addParisDays(parisDateKey(new Date()), -back);
    if (weekdayOfDateKey(key) === 5 && fromParis({ ...parseDateKey(key)!, hour: 23, minute: 10 }).getTime() < Date.now() - 60_000) return key;
  }
  throw new Error('no Friday found');
}

/**
 * A visit as a phone without JavaScript shows it: the site's scripts are refused (axe, which
 * needs JavaScript, is injected through DevTools). Staff pages have none anyway.
 */
async function recordStep(page: Page, step: string, fill: Record<string, string>): Promise<number> {
  await page.click(`#next-steps a[href="?step=${step}"]`);
  await page.waitForSelector('#step-form');
  for (const [selector, value] of Object.entries(fill)) {
    if ((await page.locator(selector).evaluate((e) => e.tagName)) === 'SELECT') await page.selectOption(selector, value);
    else await page.fill(selector, value);
  }
  return submit(page, '#record-step');
}

describe('accompaniment: a social worker, a peer helper, a coordinator and an admin', () => {
  it('records her consent, an exit programme and an order to leave France; others cannot find her unless the glass is broken', { timeout: 240_000 }, async () => {
    registerSecrets(dataDir, { pseudonym: PSEUDONYM, note: NOTE, 'break-the-glass reason': REASON });
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Suivi E2E');
    const social = await createStaff(baseUrl, dataDir, org.id!, 'social_worker', 'social.e2e@example.test');
    const peer = await createStaff(baseUrl, dataDir, org.id!, 'peer_helper', 'peer.e2e@example.test');
    const coordinator = await createStaff(baseUrl, dataDir, org.id!, 'coordinator', 'coordination.e2e@example.test');
    const admin = await createStaff(baseUrl, dataDir, org.id!, 'admin', 'admin.e2e@example.test');

    // The social worker, on a phone, without JavaScript.
    const visit = await scriptlessVisit(browser(), { phone: true });
    const { page, context } = visit;
    await page.setExtraHTTPHeaders({ 'accept-language': 'fr-FR,fr;q=0.9' });
    let personUrl = '';
    try {
      await signIn(baseUrl, context, social);
      await page.goto(`${baseUrl}/staff/today`);
      expect(await page.locator('#nothing-due').innerText()).toMatch(/Rien d'urgent/);
      expect(await axeViolations(page), 'empty dashboard').toEqual([]);

      // A record without her consent is refused, with her values kept.
      await page.goto(`${baseUrl}/staff/people/new`);
      expect(await axeViolations(page), 'new record').toEqual([]);
      await page.fill('#pseudonym', PSEUDONYM);
      await page.fill('#birth_year', '98');
      await page.fill('#contact_rules', 'Jamais après 20 h');
      expect(await submit(page, '#create-person')).toBe(400);
      expect(await page.locator('.error-summary').innerText()).toMatch(/Cochez cette case seulement après lui avoir expliqué/);
      expect(await page.locator('.error-summary').innerText()).toMatch(/année à 4 chiffres/);
      expect(await page.inputValue('#pseudonym')).toBe(PSEUDONYM);
      expect(await page.inputValue('#contact_rules')).toBe('Jamais après 20 h');
      expect(await axeViolations(page), 'new record with errors').toEqual([]);

      await page.fill('#birth_year', '1998');
      await page.check('#scope-contact');
      await page.check('#consent_explained');
      await page.selectOption('#consent_language', 'en');
      expect(await submit(page, '#create-person')).toBe(303);
      await page.waitForSelector('#person-name');
      personUrl = new URL(page.url()).pathname;
      expect(personUrl).toMatch(/^\/staff\/people\/[0-9a-f-]{36}$/);
      expect(await page.locator('#person-name').innerText()).toBe(PSEUDONYM);
      expect(await page.locator('#consents').innerText()).toMatch(/ses démarches.*comment la joindre/s);
      expect(await axeViolations(page), 'her record').toEqual([]);

      // The exit programme: accepted, and a permit that expires in 70 days.
      await page.selectOption('#kind', 'exit_programme');
      expect(await submit(page, '#open-procedure')).toBe(303);
      await page.waitForSelector('#procedure-state');
      expect(await recordStep(page, 'submit', { '#at_date': dayKey(-150), '#department': '75' })).toBe(303);
      expect(await recordStep(page, 'schedule_commission', { '#at_date': dayKey(-120), '#commission_date__date': dayKey(-100) })).toBe(303);
      expect(await recordStep(page, 'hold_commission', { '#at_date': dayKey(-100), '#opinion': 'favourable' })).toBe(303);
      expect(await recordStep(page, 'accept', { '#at_date': dayKey(-90) })).toBe(303);
      expect(await axeViolations(page), 'procedure page').toEqual([]);
      // A permit that ends before it starts is refused, the values kept.
      expect(await recordStep(page, 'issue_permit', { '#at_date': dayKey(-10), '#valid_from__date': dayKey(70), '#valid_to__date': dayKey(-10) })).toBe(400);
      expect(await page.locator('.error-summary').innerText()).toMatch(/La fin doit être après le début/);
      expect(await page.inputValue('#valid_from__date')).toBe(dayKey(70));
      expect(await axeViolations(page), 'procedure page with errors').toEqual([]);
      await page.fill('#valid_from__date', dayKey(-10));
      await page.fill('#valid_to__date', dayKey(70));
      await page.fill('#note', NOTE);
      expect(await submit(page, '#record-step')).toBe(303);
      await page.waitForSelector('#steps');
      expect(await page.locator('#procedure-state').innerText()).toMatch(/APS délivrée/);
      expect(await page.locator('#steps').innerText()).toContain(NOTE);
      expect(await page.locator('#procedure-deadlines li[data-deadline="start_renewal"]').count()).toBe(1);

      // An order to leave France notified on a Friday at 23:10 in a detention centre.
      const friday = lastFridayNight();
      const sunday = addParisDays(friday, 2);
      await page.goto(`${baseUrl}${personUrl}`);
      await page.selectOption('#kind', 'removal_order');
      expect(await submit(page, '#open-procedure')).toBe(303);
      await page.waitForSelector('#procedure-state');
      // A notification in the future is refused.
      expect(await recordStep(page, 'receive', { '#at_date': dayKey(0), '#notified_at__date': dayKey(3), '#notified_at__time': '23:10', '#custody': 'retention' })).toBe(400);
      expect(await page.locator('.error-summary').innerText()).toMatch(/dans le futur/);
      await page.fill('#notified_at__date', friday);
      await page.fill('#at_date', friday);
      await page.fill('#at_time', '23:30');
      expect(await submit(page, '#record-step')).toBe(303);
      await page.waitForSelector('#procedure-deadlines');
      const appeal = await page.locator('#procedure-deadlines li[data-deadline="removal_appeal"]').innerText();
      expect(appeal).toMatch(/dimanche/);
      expect(appeal).toContain('23:10');
      expect(appeal).toContain(String(parseDateKey(sunday)!.day));
      expect(appeal).toMatch(/n'est pas certain/);

      // The dashboard: the order's deadline (Sunday 23:10) and the renewal to start.
      await page.goto(`${baseUrl}/staff/today`);
      const removal = await page.locator('li[data-deadline="removal_appeal"]').innerText();
      expect(removal).toMatch(/dimanche/);
      expect(removal).toContain('23:10');
      expect(removal).toContain(PSEUDONYM);
      expect(await page.locator('#group-coming').count()).toBe(1);
      expect(await page.locator('li[data-deadline="start_renewal"]').innerText()).toContain(PSEUDONYM);
      expect(await axeViolations(page), 'dashboard').toEqual([]);
    } finally {
      await context.close();
    }

    // A peer helper who is not assigned to her cannot find her, nor open her record.
    const peerVisit = await scriptlessVisit(browser());
    try {
      await peerVisit.page.setExtraHTTPHeaders({ 'accept-language': 'fr-FR,fr;q=0.9' });
      await signIn(baseUrl, peerVisit.context, peer);
      await peerVisit.page.goto(`${baseUrl}/staff/people?q=${encodeURIComponent(PSEUDONYM)}`);
      expect(await peerVisit.page.locator('#no-people').count()).toBe(1);
      expect(await peerVisit.page.locator('.careful').count()).toBe(0);
      expect((await peerVisit.page.goto(`${baseUrl}${personUrl}`))?.status()).toBe(404);
      expect(await peerVisit.page.content()).not.toContain(PSEUDONYM);
      expect(await axeViolations(peerVisit.page), 'people list, nobody found').toEqual([]);
    } finally {
      await peerVisit.context.close();
    }

    // The coordinator breaks the glass with a reason.
    const coordinatorVisit = await scriptlessVisit(browser());
    try {
      const { page: cp } = coordinatorVisit;
      await cp.setExtraHTTPHeaders({ 'accept-language': 'fr-FR,fr;q=0.9' });
      await signIn(baseUrl, coordinatorVisit.context, coordinator);
      expect((await cp.goto(`${baseUrl}${personUrl}`))?.status()).toBe(404);
      await cp.goto(`${baseUrl}/staff/people?q=${encodeURIComponent(PSEUDONYM.toUpperCase())}`);
      expect(await cp.locator('.careful h2').innerText()).toMatch(/pas confié/);
      expect(await axeViolations(cp), 'break the glass').toEqual([]);
      await cp.fill('#reason', 'urgence');
      expect(await submit(cp, '.careful button[type=submit]')).toBe(400);
      expect(await cp.locator('.error-summary').innerText()).toMatch(/au moins 10 caractères/);
      expect(await cp.inputValue('#reason')).toBe('urgence');
      await cp.fill('#reason', REASON);
      expect(await submit(cp, '.careful button[type=submit]')).toBe(303);
      await cp.waitForSelector('#through-glass');
      expect(await cp.locator('#person-name').innerText()).toBe(PSEUDONYM);
      // Her association's dashboard shows the deadlines.
      await cp.goto(`${baseUrl}/staff/today?scope=association`);
      expect(await cp.locator('li[data-deadline="removal_appeal"]').count()).toBe(1);
    } finally {
      await coordinatorVisit.context.close();
    }

    // The admin sees it, with its reason; an admin does not read records.
    const adminVisit = await scriptlessVisit(browser());
    try {
      const { page: ap } = adminVisit;
      await ap.setExtraHTTPHeaders({ 'accept-language': 'fr-FR,fr;q=0.9' });
      await signIn(baseUrl, adminVisit.context, admin);
      await ap.goto(`${baseUrl}/staff`);
      const glass = await ap.locator('#broken-glass').innerText();
      expect(glass).toContain('coordination.e2e@example.test');
      expect(glass).toContain(REASON);
      expect((await ap.goto(`${baseUrl}${personUrl}`))?.status()).toBe(403);
      expect((await ap.goto(`${baseUrl}/staff/today`))?.status()).toBe(403);
    } finally {
      await adminVisit.context.close();
    }

    // No session: sign in first.
    const anonymous = await fetch(`${baseUrl}${personUrl}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/sign-in');

    const log = fs.readFileSync(serverLog, 'utf8');
    for (const secret of [PSEUDONYM, NOTE, REASON, 'Jamais après 20 h']) expect(log.includes(secret), secret).toBe(false);
  });
});
