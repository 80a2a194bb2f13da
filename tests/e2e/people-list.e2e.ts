/**
 * The people list pages by links (issue 6, "paginated; keyboard friendly"): 60 generated
 * people (`relais demo generate`), a coordinator walks next → next → previous → first
 * without JavaScript; every person appears once across the pages, and a broken cursor in the
 * address is answered with the first page, never a 500.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { scriptlessVisit, useBrowser } from './support/browser';
import { createStaff, newOrganization, relais, signIn } from './support/staff';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const browser = useBrowser();

const names = (page: Page) => page.locator('#people li a').allInnerTexts();

describe('the people list', () => {
  it('pages by next and previous links, without JavaScript, each person once', { timeout: 120_000 }, async () => {
    const organizationId = newOrganization();
    // She is the organization's only helper: the generator assigns every person to her.
    const coordinator = await createStaff(baseUrl, dataDir, organizationId, 'coordinator', `coordination.pages.${randomBytes(3).toString('hex')}@example.test`);
    const generated = relais(baseUrl, dataDir, 'demo', 'generate', '--persons', '60', '--org', organizationId) as unknown as { persons: number; helpers: unknown[] };
    expect(generated.persons).toBe(60);
    expect(generated.helpers).toHaveLength(1);
    const visit = await scriptlessVisit(browser(), { phone: true });
    try {
      const { page, context } = visit;
      await signIn(baseUrl, context, coordinator);
      await page.goto(`${baseUrl}/staff/people`);
      const first = await names(page);
      expect(first.length).toBe(25);
      expect(await page.locator('#previous-page').count()).toBe(0);
      // Keyboard: the next link is reached and followed like any link.
      await page.focus('#next-page');
      await Promise.all([page.waitForURL(/after=/), page.keyboard.press('Enter')]);
      const second = await names(page);
      expect(second.length).toBe(25);
      await page.click('#next-page');
      await page.waitForURL(/after=/);
      const third = await names(page);
      expect(third.length).toBe(10);
      expect(await page.locator('#next-page').count()).toBe(0);
      expect(new Set([...first, ...second, ...third]).size).toBe(60);
      await page.click('#previous-page');
      await page.waitForURL(/before=/);
      expect(await names(page)).toEqual(second);
      await page.click('#first-page');
      expect(await names(page)).toEqual(first);
      // A cursor edited by hand: the first page, not an error.
      const broken = await page.goto(`${baseUrl}/staff/people?after=${encodeURIComponent('not-a-cursor')}`);
      expect(broken?.status()).toBe(200);
      expect(await names(page)).toEqual(first);
    } finally {
      await visit.context.close();
    }
  });
});
