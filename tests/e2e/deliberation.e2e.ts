/**
 * Deliberation (issue 7), JavaScript off: a coordinator suggests themes and proposes
 * statements; a member votes one statement per screen on a phone; with 4 voters the results
 * read "fewer than 5"; the submission page lists the disclosure flags; the DOCX downloads
 * once she ticks that she reviewed them. Every page passes axe.
 */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { axeViolations, scriptlessVisit, submit, useBrowser } from './support/browser';
import { createStaff, relais, signIn, type StaffAccount } from './support/staff';
import { registerSecrets } from './support/secrets';
import { openDatabase } from '../../src/lib/server/db/connect';
import { readMasterKey } from '../../src/lib/server/crypto/master-key';
import { findAccountsByEmail } from '../../src/lib/server/accounts/account.service';
import { addMember } from '../../src/lib/server/participation/member.repository';
import { ballotScreen, castStatementVote } from '../../src/lib/server/participation/statements.service';
import { mapQuestionThemes, placeContribution, themesPage } from '../../src/lib/server/participation/themes.service';
import type { ParticipationContext } from '../../src/lib/server/participation/deliberation';
import { attend, insertContribution, seedConsultation, setPhase, TOPIC_CONTRIBUTIONS } from '../support/deliberation';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const browser = useBrowser();

// Obviously fake and distinctive: flagged by the disclosure check, never in a log line.
const SEEDED_NAME = 'Quorralind';
const SEEDED_PHONE = '06 98 76 54 32';

/** The server's database, opened beside it (SQLite in WAL mode takes a second process). */
async function withDb<T>(work: (db: ReturnType<typeof openDatabase>['db'], masterKey: Buffer) => Promise<T>): Promise<T> {
  const handle = openDatabase(path.join(dataDir, 'relais.db'));
  try {
    return await work(handle.db, readMasterKey(path.join(dataDir, 'master.key')));
  } finally {
    await handle.close();
  }
}

describe('deliberation: themes, votes, the submission', () => {
  it('a member votes one statement per screen; 4 voters read "fewer than 5"; the submission lists its flags and exports a DOCX; axe clean; JavaScript off', { timeout: 300_000 }, async () => {
    registerSecrets(dataDir, { 'seeded name': SEEDED_NAME, 'seeded phone': SEEDED_PHONE });
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Mist E2E').id!;
    const coordinator: StaffAccount = await createStaff(baseUrl, dataDir, org, 'coordinator', 'coordinator.deliberation.e2e@example.test');
    const members: StaffAccount[] = [];
    for (let i = 0; i < 4; i++) members.push(await createStaff(baseUrl, dataDir, org, 'member', `member${i}.deliberation.e2e@example.test`));

    const seeded = await withDb(async (db, masterKey) => {
      const [coordinatorAccount] = await findAccountsByEmail(db, masterKey, coordinator.email);
      const s = await seedConsultation(db, org, coordinatorAccount!.id);
      const memberIds: string[] = [];
      for (const [i, m] of members.entries()) {
        const [account] = await findAccountsByEmail(db, masterKey, m.email);
        memberIds.push(account!.id);
        await addMember(db, masterKey, { organizationId: org, accountId: account!.id, pseudonym: `Pseudonyme ${i}`, language: 'en', enrolledBy: coordinatorAccount!.id });
        await attend(db, org, s.workshopIds[i % 2]!, account!.id, coordinatorAccount!.id);
      }
      for (const seeds of Object.values(TOPIC_CONTRIBUTIONS)) for (const seed of seeds) await insertContribution(db, masterKey, org, s.consultationId, seed);
      const leaky = await insertContribution(db, masterKey, org, s.consultationId, { text: `Ask ${SEEDED_NAME} on ${SEEDED_PHONE} about the shelter and the loneliness.`, language: 'en', consent: 'quote' });
      return { ...s, coordinatorId: coordinatorAccount!.id, memberIds, leaky };
    });
    const base = `${baseUrl}/staff/consultations/${seeded.consultationId}`;

    const { page, context } = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, context, coordinator);
      // Themes: the local grouping suggests them.
      await page.goto(`${base}/themes`);
      expect(await page.locator('h1').innerText()).toBe('Thèmes');
      expect(await submit(page, '#suggest')).toBe(200);
      expect(await page.locator('[role=status]').first().innerText()).toMatch(/thèmes? proposés?/);
      expect(await page.locator('section.theme').count()).toBeGreaterThanOrEqual(2);
      expect(await axeViolations(page), 'the themes page').toEqual([]);

      // Members renamed the first theme in the first workshop: the decision is recorded and shown.
      const first = page.locator('section.theme').first();
      await first.locator('input[value=rename]').check();
      await first.locator('input[name=title]').fill('Stigma and loneliness');
      await first.locator('select[name=workshop]').selectOption({ index: 1 });
      expect(await submit(page, 'section.theme >> nth=0 >> form[action="?/decide"] button[type=submit]')).toBe(200);
      const renamed = page.locator('section.theme').first();
      expect(await renamed.locator('h3').innerText()).toBe('Stigma and loneliness');
      expect(await renamed.locator('ul.history').innerText()).toMatch(/Renommé — « Stigma and loneliness » · Debate · \d{1,2} \S+ \d{4}/);
      // A rename without a title: 400, the summary links to the field.
      await renamed.locator('input[value=rename]').check();
      await renamed.locator('input[name=title]').fill('');
      expect(await submit(page, 'section.theme >> nth=0 >> form[action="?/decide"] button[type=submit]')).toBe(400);
      const link = await page.locator('.error-summary a').getAttribute('href');
      expect(link).toMatch(/^#theme-.+-title$/);
      expect(await page.locator(link!).count()).toBe(1);
      expect(await axeViolations(page), 'the themes page with a decision and a refusal').toEqual([]);

      // The seeded contribution is quoted in a theme mapped to question 13 (through the services, as the page's forms do).
      await withDb(async (db, masterKey) => {
        const ctx: ParticipationContext = { db, masterKey, who: { sessionId: 'e2e', organizationId: org, accountId: seeded.coordinatorId, role: 'coordinator' } };
        const page = await themesPage(ctx, seeded.consultationId);
        const home = page.themes.find((th) => th.contributions.some((c) => c.id === seeded.leaky)) ?? page.themes[0]!;
        await placeContribution(ctx, seeded.consultationId, { contributionId: seeded.leaky, toThemeId: home.id, quoted: true });
        await mapQuestionThemes(ctx, seeded.consultationId, seeded.questionIds[0], [home.id]);
      });

      // Statements: an empty one is refused with the summary; two are proposed.
      await page.goto(`${base}/statements`);
      expect(await submit(page, 'form[action="?/propose"] button[type=submit]')).toBe(400);
      expect(await page.locator('.error-summary').innerText()).toMatch(/obligatoire/);
      expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#propose-text');
      await page.fill('#propose-text', 'Survivors must be paid for their time.');
      expect(await submit(page, 'form[action="?/propose"] button[type=submit]')).toBe(200);
      await page.fill('#propose-text', 'Training comes before drafting.');
      expect(await submit(page, 'form[action="?/propose"] button[type=submit]')).toBe(200);
      expect(await axeViolations(page), 'the statements page').toEqual([]);
    } finally {
      await context.close();
    }

    // A member, on a phone, in her language (English): one statement per screen.
    const phone = await scriptlessVisit(browser(), { phone: true, language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, phone.context, members[0]!);
      await phone.page.goto(`${baseUrl}/staff/participate/${seeded.consultationId}/vote`);
      expect(await phone.page.locator('#progress').innerText()).toBe('Statement 1 of 2');
      expect(await phone.page.locator('#statement-text').innerText()).toBe('Survivors must be paid for their time.');
      expect(await phone.page.locator('[data-listen]').isHidden()).toBe(true);
      expect(await phone.page.locator('.vote-buttons button').count()).toBe(3);
      expect(await axeViolations(phone.page), 'the vote page').toEqual([]);
      const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(360);
      expect(await submit(phone.page, 'button[value=agree]')).toBe(303);
      await phone.page.waitForURL(/\?n=2$/);
      expect(await phone.page.locator('#progress').innerText()).toBe('Statement 2 of 2');
      expect(await phone.page.locator('#statement-text').innerText()).toBe('Training comes before drafting.');
      expect(await submit(phone.page, 'button[value=unsure]')).toBe(303);
      expect(await phone.page.locator('[role=status]').innerText()).toMatch(/you answered every statement/);
      // Her adoption page: nothing to vote on yet.
      await phone.page.goto(`${baseUrl}/staff/participate/${seeded.consultationId}/recommendations`);
      expect(await axeViolations(phone.page), 'the adoption page').toEqual([]);
    } finally {
      await phone.context.close();
    }

    // Three more members vote (through the service, as the page does): 4 voters.
    await withDb(async (db, masterKey) => {
      for (const accountId of seeded.memberIds.slice(1)) {
        const ctx: ParticipationContext = { db, masterKey, who: { sessionId: 'e2e', organizationId: org, accountId, role: 'member' } };
        const screen = await ballotScreen(ctx, seeded.consultationId);
        await castStatementVote(ctx, seeded.consultationId, screen.current!.id, 'agree');
      }
    });

    const again = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, again.context, coordinator);
      await again.page.goto(`${base}/statements`);
      const first = again.page.locator('.statements li').first();
      const result = await first.locator('.result').innerText();
      expect(result).toContain('moins de 5 sur moins de 5 d’accord');
      // No count of the 4 voters is a number.
      expect(result.replaceAll('moins de 5', '')).not.toMatch(/[0-9]/);
      expect(await first.innerText()).toMatch(/un groupe compte moins de 8 personnes/);

      // The submission: the flags are listed; the export asks that she reviewed them.
      await again.page.goto(`${base}/submission`);
      const flags = await again.page.locator('table.flags').innerText();
      expect(flags).toContain('numéro de téléphone');
      expect(flags).toContain(SEEDED_NAME);
      expect(await axeViolations(again.page), 'the submission page').toEqual([]);
      await again.page.click('#export-docx');
      await again.page.waitForURL(/refused=review/);
      expect(await again.page.locator('.error-summary').innerText()).toMatch(/relu chaque signalement/);
      expect(await axeViolations(again.page), 'the submission page, export refused').toEqual([]);

      const cookie = (await again.context.cookies()).find((c) => c.name === 'relais_session')!.value;
      const response = await fetch(`${base}/submission/export?reviewed=on&file=docx`, { headers: { cookie: `relais_session=${cookie}`, connection: 'close' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('wordprocessingml');
      const xml = strFromU8(unzipSync(new Uint8Array(await response.arrayBuffer()))['word/document.xml']!).replace(/<[^>]+>/g, ' ');
      expect(xml).toContain('13. What are some of the lessons learned');
      expect(xml.indexOf('13. What are')).toBeLessThan(xml.indexOf('15. What recommendations'));
      const csv = await fetch(`${base}/submission/export?reviewed=on&file=votes`, { headers: { cookie: `relais_session=${cookie}`, connection: 'close' } });
      expect((await csv.text()).split('\n')[0]).toBe('timestamp,datetime,comment-id,voter-id,vote');

      await again.page.goto(`${base}/submission/print`);
      expect(await again.page.locator('h1').innerText()).toContain('Lessons learned');
      expect(await axeViolations(again.page), 'the print page').toEqual([]);
      // A recommendation drafted from the first statement, put to the vote.
      await again.page.goto(`${base}/recommendations`);
      expect(await submit(again.page, 'form[action="?/draft"] button[type=submit]')).toBe(400);
      expect(await again.page.locator('.error-summary a').first().getAttribute('href')).toBe('#draft-text');
      await again.page.locator('input[name=statements]').first().check();
      await again.page.fill('#draft-text', 'Members of Mist E2E believe that survivors must be paid for the time they give.');
      expect(await submit(again.page, 'form[action="?/draft"] button[type=submit]')).toBe(200);
      expect(await submit(again.page, 'button[id$="-open"]')).toBe(200);
      expect(await again.page.locator('.badge').first().innerText()).toBe('vote ouvert');
      expect(await axeViolations(again.page), 'the recommendations page').toEqual([]);
    } finally {
      await again.context.close();
    }

    // The facilitator closes the vote on statements and opens the drafting (write) phase.
    await withDb((db) => setPhase(db, org, seeded.consultationId, 'write'));
    // She reads it on her phone and blocks it: a block without a reason is refused, her choice kept.
    const adopt = await scriptlessVisit(browser(), { phone: true, language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, adopt.context, members[0]!);
      await adopt.page.goto(`${baseUrl}/staff/participate/${seeded.consultationId}/recommendations`);
      expect(await adopt.page.locator('.rec-text').innerText()).toContain('must be paid for the time they give');
      await adopt.page.locator('input[value=block]').check();
      expect(await submit(adopt.page, '.big-button')).toBe(400);
      expect(await adopt.page.locator('.error-summary').innerText()).toMatch(/To block, say why/);
      expect(await adopt.page.locator('input[value=block]').isChecked()).toBe(true);
      expect(await axeViolations(adopt.page), 'the adoption page, refused').toEqual([]);
      await adopt.page.fill('textarea[name=reason]', 'It should say who pays.');
      expect(await submit(adopt.page, '.big-button')).toBe(200);
      expect(await adopt.page.locator('[role=status]').innerText()).toMatch(/your vote is saved/);
    } finally {
      await adopt.context.close();
    }

    const close = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, close.context, coordinator);
      await close.page.goto(`${base}/recommendations`);
      expect(await submit(close.page, 'button[id$="-close"]')).toBe(200);
      const card = await close.page.locator('section.card').first().innerText();
      expect(card).toMatch(/Bloquée/);
      expect(card).toContain('It should say who pays.');
      expect(card.replaceAll('moins de 5', '')).not.toMatch(/: [0-4]\b/);
    } finally {
      await close.context.close();
    }
  });
});
