/**
 * Consultations and contributions (issue 7), JavaScript off: a coordinator creates a call for
 * input from pasted questions, chooses two and opens collect; a member (pages in Pidgin)
 * answers, pauses, comes back to her draft, sends, changes its consent; a facilitator reads
 * the texts and finds no author anywhere; the member withdraws it. Bad input is refused in
 * her language with her text kept. Every page passes axe, hers on a 360 px phone.
 */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { axeViolations, launchBrowser, newVisit, scriptlessVisit, submit, useBrowser } from './support/browser';
import { createStaff, relais, signIn, type StaffAccount } from './support/staff';
import { registerSecrets } from './support/secrets';
import { openDatabase } from '../../src/lib/server/db/connect';
import { inTenant } from '../../src/lib/server/db/tenant';
import { readMasterKey } from '../../src/lib/server/crypto/master-key';
import { addMember } from '../../src/lib/server/participation/member.repository';
import { chooseQuestion, createConsultation, switchPhase } from '../../src/lib/server/participation/consultation.service';
import { consultationOf } from '../../src/lib/server/participation/consultation.repository';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const browser = useBrowser();

// Obviously fake and distinctive: they must never reach a log line, nor the facilitator's page as an author.
const PSEUDONYM = 'Bimpeluna Fakepseudo';
const ANSWER = 'Wetin we need na house first, Zorblix answer';
const EDITED = 'Wetin we need na house first and papers quick, Zorblix answer';
const MEMBER_EMAIL = 'member.contributions.e2e@example.test';

/** Enrols her account in the participation group, as a facilitator's enrolment does. */
async function enrol(organizationId: string, facilitatorEmail: string): Promise<string> {
  const handle = openDatabase(path.join(dataDir, 'relais.db'));
  try {
    const accounts = await inTenant(handle.db, organizationId, (trx) => trx.selectFrom('person_account').select(['id', 'role']).where('organization_id', '=', organizationId).execute());
    const member = accounts.find((a) => a.role === 'member')!;
    const coordinator = accounts.find((a) => a.role === 'coordinator')!;
    void facilitatorEmail;
    await addMember(handle.db, readMasterKey(path.join(dataDir, 'master.key')), { organizationId, accountId: member.id, pseudonym: PSEUDONYM, language: 'pcm', enrolledBy: coordinator.id });
    return member.id;
  } finally {
    await handle.close();
  }
}

/** Every member account of the organization, enrolled; a consultation with its first question chosen and collect open. */
async function enrolAllAndOpen(organizationId: string): Promise<{ consultationId: string; questionId: string }> {
  const handle = openDatabase(path.join(dataDir, 'relais.db'));
  try {
    const masterKey = readMasterKey(path.join(dataDir, 'master.key'));
    const accounts = await inTenant(handle.db, organizationId, (trx) => trx.selectFrom('person_account').select(['id', 'role']).where('organization_id', '=', organizationId).execute());
    const coordinator = accounts.find((a) => a.role === 'coordinator')!;
    for (const [i, member] of accounts.filter((a) => a.role === 'member').entries()) {
      await addMember(handle.db, masterKey, { organizationId, accountId: member.id, pseudonym: `Audio member ${i} fake`, language: 'en', enrolledBy: coordinator.id });
    }
    const ctx = { db: handle.db, masterKey, who: { sessionId: 'e2e', organizationId, accountId: coordinator.id, role: 'coordinator' as const } };
    const { id } = await createConsultation(ctx, { title: 'Recorded answers E2E', requester: 'Fictional committee', callUrl: null, deadline: null, summary: null, language: 'en', questions: [{ label: '1', text: 'What helps?' }] });
    const question = (await consultationOf(handle.db, organizationId, id))!.questions[0]!;
    await chooseQuestion(ctx, id, question.id, true);
    await switchPhase(ctx, id, { kind: 'open', phase: 'collect' });
    return { consultationId: id, questionId: question.id };
  } finally {
    await handle.close();
  }
}

describe('consultations and contributions', () => {
  it('a member answers in Pidgin, pauses, comes back, sends, changes consent and withdraws; a facilitator sees the texts and no author; JavaScript off', { timeout: 300_000 }, async () => {
    registerSecrets(dataDir, { pseudonym: PSEUDONYM, answer: ANSWER, edited: EDITED });
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Participation E2E');
    const coordinator: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'coordinator', 'coordinator.contributions.e2e@example.test');
    const memberAccount: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'member', MEMBER_EMAIL);
    const memberId = await enrol(org.id!, coordinator.email);

    const facilitator = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    const member = await scriptlessVisit(browser(), { phone: true, language: 'fr-FR,fr;q=0.9' });
    try {
      // ——— The coordinator creates the consultation from pasted questions.
      await signIn(baseUrl, facilitator.context, coordinator);
      const f = facilitator.page;
      await f.goto(`${baseUrl}/staff/consultations/new`);
      expect(await axeViolations(f), 'new consultation').toEqual([]);
      // Nothing typed: 400, the summary names what is missing.
      expect(await submit(f, '#create-consultation')).toBe(400);
      expect(await f.locator('.error-summary').innerText()).toMatch(/Indiquez qui demande/);
      expect(await axeViolations(f), 'new consultation, refused').toEqual([]);
      await f.fill('#requester', 'Rapporteuse spéciale (fictive)');
      await f.fill('#title', 'Appel à contributions E2E');
      await f.fill('#deadline', '2027-01-15');
      await f.fill('#questions', 'Questions\n13. What measures protect\n   survivors?\n14. What should change?\n15. Not for us?');
      expect(await submit(f, '#create-consultation')).toBe(303);
      await f.waitForSelector('#phases');
      const consultationPath = new URL(f.url()).pathname;
      const consultationId = consultationPath.split('/').pop()!;
      expect(await f.locator('#question-list .card').count()).toBe(3);
      expect(await f.locator('#question-list').innerText()).toContain('What measures protect survivors?');
      expect(await submit(f, '#choose-13')).toBe(303);
      expect(await submit(f, '#choose-14')).toBe(303);
      expect(await submit(f, '#open-collect')).toBe(303);
      expect(await f.locator('#current-phase').innerText()).toMatch(/Recueillir/);
      expect(await axeViolations(f), 'consultation page').toEqual([]);
      await f.goto(`${baseUrl}/staff/consultations`);
      expect(await f.locator('table').innerText()).toContain('Appel à contributions E2E');
      expect(await axeViolations(f), 'consultations list').toEqual([]);

      // ——— The member, on her phone, in Pidgin.
      await signIn(baseUrl, member.context, memberAccount);
      const m = member.page;
      const herPage = `${baseUrl}/staff/participate/${consultationId}`;
      await m.goto(herPage);
      expect(await m.getAttribute('html', 'lang')).toBe('pcm');
      expect(await m.locator('article.card').count()).toBe(2);
      expect(await m.locator('body').innerText()).not.toContain('Not for us?');
      expect(await axeViolations(m), 'her page').toEqual([]);
      const scrollWidth = await m.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, 'no sideways scrolling at 360 px').toBeLessThanOrEqual(360);
      const firstQuestion = m.locator('article.card').first();
      const q13 = (await firstQuestion.getAttribute('id'))!.slice(2);

      // An empty answer: 400, in her language.
      expect(await submit(m, `[id="${q13}-send"]`)).toBe(400);
      expect(await m.locator('.error-summary').innerText()).toContain('Write your answer, or put voice recording.');
      expect(await m.locator(`[id="${q13}-text-error"]`).innerText()).toContain('Write your answer');
      expect(await axeViolations(m), 'her page, refused').toEqual([]);

      // An unknown consent, as a tampered form sends it: 400 in her language, her text kept, nothing saved.
      const cookies = await member.context.cookies();
      const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const tampered = new FormData();
      tampered.set('question', q13);
      tampered.set('text', ANSWER);
      tampered.set('language', 'pcm');
      tampered.set('consent', 'publish');
      tampered.set('intent', 'send');
      const refused = await fetch(`${herPage}?/write`, { method: 'POST', headers: { cookie: cookieHeader, origin: baseUrl, accept: 'text/html', connection: 'close' }, body: tampered, redirect: 'manual' });
      expect(refused.status).toBe(400);
      const refusedHtml = await refused.text();
      expect(refusedHtml).toContain('Choose how we fit use am.');
      expect(refusedHtml).toContain(ANSWER);

      // She writes and pauses: a draft, which she finds again.
      await m.fill(`[id="${q13}-text"]`, ANSWER);
      expect(await m.isChecked(`[id="${q13}-consent-internal"]`)).toBe(true);
      expect(await submit(m, `[id="${q13}-pause"]`)).toBe(303);
      await m.waitForSelector('#done');
      expect(await m.locator('#done').innerText()).toContain('We keep am as draft');
      expect(await m.locator('#mine .own-contribution').innerText()).toContain(ANSWER);
      expect((await member.context.cookies()).some((c) => c.name.startsWith('relais_author_') && c.httpOnly && c.sameSite === 'Strict')).toBe(true);

      // Later: she comes back, continues the draft, and sends it.
      await m.goto(herPage);
      await m.click('#mine a[id^="edit-"]');
      await m.waitForURL(/edit=/);
      expect(await m.inputValue(`[id="${q13}-text"]`)).toBe(ANSWER);
      await m.fill(`[id="${q13}-text"]`, EDITED);
      expect(await submit(m, `[id="${q13}-send"]`)).toBe(303);
      await m.waitForSelector('#done');
      expect(await m.locator('#mine .own-contribution').innerText()).toContain('You don send am');
      expect(await m.locator('#mine .own-contribution').innerText()).toContain(EDITED);

      // She changes its consent: may be quoted anonymously.
      await m.check('#mine input[value="quote"]');
      expect(await submit(m, '#mine button[id^="save-consent-"]')).toBe(303);
      await m.waitForSelector('#done');
      expect(await m.isChecked('#mine input[value="quote"]')).toBe(true);
      expect(await axeViolations(m), 'her contributions').toEqual([]);

      // ——— The facilitator reads it: the text, its consent — and no author anywhere.
      await f.goto(`${baseUrl}${consultationPath}/contributions`);
      const facilitatorHtml = await f.content();
      expect(facilitatorHtml).toContain(EDITED);
      expect(await f.locator('#contributions').innerText()).toMatch(/citée, sans nom/);
      for (const author of [PSEUDONYM, MEMBER_EMAIL, memberId]) expect(facilitatorHtml).not.toContain(author);
      expect(await axeViolations(f), 'contributions page').toEqual([]);

      // ——— She withdraws it and erases its text.
      await m.goto(herPage);
      await m.click('#mine details:has(button[id^="withdraw-"]) summary');
      await m.check('#mine input[id^="erase-"]');
      expect(await submit(m, '#mine button[id^="withdraw-"]')).toBe(303);
      await m.waitForSelector('#done');
      expect(await m.locator('#mine .own-contribution').innerText()).toContain('You comot am');
      expect(await m.locator('#mine').innerText()).not.toContain(EDITED);

      await f.goto(`${baseUrl}${consultationPath}/contributions`);
      expect(await f.content()).not.toContain(EDITED);
      expect(await f.locator('#contributions').innerText()).toMatch(/Retirée le/);
      expect(await axeViolations(f), 'contributions page after withdrawal').toEqual([]);

      // The command line lists the consultation with its counts, no texts.
      const listed = JSON.parse(
        JSON.stringify(relais(baseUrl, dataDir, 'consultation', 'list'))
      ) as unknown as { consultations: Array<{ id: string; contributions: number; withdrawn: number; chosenQuestions: number }> };
      const mine = listed.consultations.find((c) => c.id === consultationId)!;
      expect(mine).toMatchObject({ contributions: 0, withdrawn: 1, chosenQuestions: 2 });
      expect(JSON.stringify(listed)).not.toContain('Zorblix');
      expect(member.problems).toEqual([]);
    } finally {
      await facilitator.context.close();
      await member.context.close();
    }
  });

  it('a recording: chosen as a file without JavaScript, recorded with the microphone with JavaScript; encrypted, played back to her and to facilitators only, never cached', { timeout: 300_000 }, async () => {
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Enregistrements E2E');
    const coordinator = await createStaff(baseUrl, dataDir, org.id!, 'coordinator', 'coordinator.audio.e2e@example.test');
    const first = await createStaff(baseUrl, dataDir, org.id!, 'member', 'member.audio.one.e2e@example.test');
    const second = await createStaff(baseUrl, dataDir, org.id!, 'member', 'member.audio.two.e2e@example.test');
    const { consultationId, questionId } = await enrolAllAndOpen(org.id!);
    const herPage = `${baseUrl}/staff/participate/${consultationId}`;
    const bytes = Buffer.concat([Buffer.from('OggS'), randomBytes(20_000)]);

    // Without JavaScript: the file field (on a phone it opens the recorder).
    const scriptless = await scriptlessVisit(browser(), { phone: true });
    const recordingBrowser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
    const facilitator = await scriptlessVisit(browser());
    try {
      await signIn(baseUrl, scriptless.context, first);
      const m = scriptless.page;
      await m.goto(herPage);
      // Not audio: refused, in her language.
      await m.setInputFiles(`[id="${questionId}-audio"]`, { name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<html>not audio</html>') });
      expect(await submit(m, `[id="${questionId}-send"]`)).toBe(400);
      expect(await m.locator('.error-summary').innerText()).toContain('This file is not an audio recording.');
      await m.setInputFiles(`[id="${questionId}-audio"]`, { name: 'answer.ogg', mimeType: 'audio/ogg', buffer: bytes });
      expect(await submit(m, `[id="${questionId}-send"]`)).toBe(303);
      await m.waitForSelector('#mine audio');
      expect(await axeViolations(m), 'her page with a recording').toEqual([]);
      const src = (await m.getAttribute('#mine audio', 'src'))!;
      const mine = await scriptless.context.request.get(`${baseUrl}${src}`);
      expect(mine.status()).toBe(200);
      expect(mine.headers()['content-type']).toBe('audio/ogg');
      expect(mine.headers()['cache-control']).toBe('no-store');
      expect(Buffer.from(await mine.body()).equals(bytes)).toBe(true);
      const contributionId = src.split('/').pop()!;

      // A facilitator hears it; another member does not, nor the first one in another browser.
      await signIn(baseUrl, facilitator.context, coordinator);
      await facilitator.page.goto(`${baseUrl}/staff/consultations/${consultationId}/contributions`);
      const facilitatorSrc = (await facilitator.page.getAttribute('#contributions audio', 'src'))!;
      const heard = await facilitator.context.request.get(`${baseUrl}${facilitatorSrc}`);
      expect(heard.status()).toBe(200);
      expect(heard.headers()['cache-control']).toBe('no-store');
      expect(Buffer.from(await heard.body()).equals(bytes)).toBe(true);
      expect(await axeViolations(facilitator.page), 'contributions with a recording').toEqual([]);

      // With JavaScript and a microphone (Chromium's fake device): record, stop, send.
      const recording = await newVisit(recordingBrowser, { javaScript: true, phone: true, serviceWorkers: false });
      try {
        await recording.context.grantPermissions(['microphone'], { origin: baseUrl });
        await signIn(baseUrl, recording.context, second);
        const r = recording.page;
        const other = await recording.context.request.get(`${baseUrl}/staff/participate/${consultationId}/audio/${contributionId}`);
        expect(other.status(), 'another member cannot play hers').toBe(404);
        await r.goto(herPage);
        await r.click('[data-record-start]');
        await r.waitForSelector('[data-record-stop]:visible');
        await r.waitForTimeout(1500);
        await r.click('[data-record-stop]');
        await r.waitForFunction((id) => (document.getElementById(`${id}-audio`) as HTMLInputElement).files?.length === 1, questionId);
        expect(await r.locator('[data-record-status]').innerText()).toContain('Recorded');
        expect(await submit(r, `[id="${questionId}-send"]`)).toBe(303);
        await r.waitForSelector('#mine audio');
        const recorded = await recording.context.request.get(`${baseUrl}${(await r.getAttribute('#mine audio', 'src'))!}`);
        expect(recorded.status()).toBe(200);
        expect(recorded.headers()['content-type']).toMatch(/^audio\//);
        expect((await recorded.body()).length).toBeGreaterThan(100);
        expect(recording.problems, 'no CSP violation, no page error').toEqual([]);
      } finally {
        await recording.context.close();
      }
    } finally {
      await scriptless.context.close();
      await facilitator.context.close();
      await recordingBrowser.close();
    }
  });
});
