import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, scriptlessVisit, submit, useBrowser } from './support/browser';
import { createStaff, relais, signIn, type StaffAccount } from './support/staff';
import { parisDateKey } from '../../src/lib/time/paris-time';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const serverLog = inject('serverLog');
const browser = useBrowser();

// Obviously fake and distinctive: they must never reach a log line, nor survive her erasure.
const PSEUDONYM = 'Wrenna Fakeholm';
const REAL_NAME = 'Ysolde Testlastname';
const NOTE = 'Quorvix note: papers at the fake prefecture';
const DOC_NAME = 'récépissé Wrenna.pdf';
const DOC_MARKER = 'Plumbago document marker 5521';

const PDF = Buffer.from(`%PDF-1.4\n% ${DOC_MARKER}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
/** Text with a PDF's name and declared type: refused from its bytes. */
const FAKE_PDF = Buffer.from('This is only a text file with a .pdf name.\nNot a PDF at all.\n');
const MB = 1024 * 1024;

/** A PDF of `size` bytes (padding inside, %%EOF at the end). */
function pdfOf(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n', 'latin1');
  const tail = Buffer.from('\n%%EOF\n', 'latin1');
  return Buffer.concat([head, Buffer.alloc(size - head.length - tail.length, 0x20), tail]);
}

/**
 * Chooses `file` and sends the form. The bytes are written to a file first: the browser is
 * local, so Playwright gives it the path instead of sending megabytes through the protocol
 * (slow on a busy machine). The browser takes the type from the file's name.
 */
async function upload(page: Page, file: { name: string; buffer: Buffer }): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-upload-'));
  try {
    const filePath = path.join(dir, file.name);
    fs.writeFileSync(filePath, file.buffer);
    await page.setInputFiles('#file', filePath);
    return await submit(page, '#upload');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function sessionCookie(cookies: Array<{ name: string; value: string }>): string {
  return `relais_session=${cookies.find((c) => c.name === 'relais_session')!.value}`;
}

/** A multipart upload sent by hand: with a declared length (fetch), or chunked without one. */
async function postFile(url: string, cookie: string, bytes: Buffer, chunked: boolean): Promise<{ status: number; body: string }> {
  const boundary = `----relais${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const headers: Record<string, string> = { cookie, origin: baseUrl, accept: 'text/html', 'accept-language': 'fr', 'content-type': `multipart/form-data; boundary=${boundary}`, connection: 'close' };
  if (!chunked) {
    const response = await fetch(url, { method: 'POST', headers, body: Buffer.concat([head, bytes, tail]), redirect: 'manual' });
    return { status: response.status, body: await response.text() };
  }
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.write(head);
    for (let i = 0; i < bytes.length; i += MB) request.write(bytes.subarray(i, i + MB));
    request.end(tail);
  });
}

describe('her rights: documents, export and erasure', () => {
  it('a social worker keeps her papers, refuses a fake PDF and a file too big, exports her record; a coordinator erases it', { timeout: 300_000 }, async () => {
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Droits E2E');
    const social: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'social_worker', 'social.rights.e2e@example.test');
    const coordinator: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'coordinator', 'coordination.rights.e2e@example.test');
    const peer: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'peer_helper', 'peer.rights.e2e@example.test');

    const visit = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    const { page, context } = visit;
    let personUrl = '';
    let documentUrl = '';
    try {
      await signIn(baseUrl, context, social);
      // A record with her consent to keep copies of her papers.
      await page.goto(`${baseUrl}/staff/people/new`);
      await page.fill('#pseudonym', PSEUDONYM);
      await page.check('#scope-identity');
      await page.check('#scope-documents');
      await page.fill('#real_name', REAL_NAME);
      await page.check('#consent_explained');
      expect(await submit(page, '#create-person')).toBe(303);
      await page.waitForSelector('#person-name');
      personUrl = new URL(page.url()).pathname;
      await page.selectOption('#kind', 'accommodation');
      expect(await submit(page, '#open-procedure')).toBe(303);
      await page.waitForSelector('#procedure-state');
      await page.click('#next-steps a[href="?step=request"]');
      await page.waitForSelector('#step-form');
      await page.fill('#at_date', parisDateKey(new Date()));
      await page.selectOption('#request_to', '115');
      await page.fill('#note', NOTE);
      expect(await submit(page, '#record-step')).toBe(303);
      // The coordinator helps her too.
      await page.goto(`${baseUrl}${personUrl}`);
      await page.selectOption('#account', { label: `${coordinator.email} · coordination` });
      expect(await submit(page, '#assign')).toBe(200);
      expect(await axeViolations(page), 'her record with its rights').toEqual([]);

      // Her documents: a PDF is kept; a text file called .pdf is refused, nothing stored.
      await page.click('#documents-link');
      await page.waitForSelector('#no-documents');
      expect(await axeViolations(page), 'documents, none yet').toEqual([]);
      expect(await upload(page, { name: DOC_NAME, buffer: PDF })).toBe(303);
      await page.waitForSelector('#documents');
      expect(await page.locator('#documents').innerText()).toContain(DOC_NAME);
      expect(await page.locator('[role=status]').innerText()).toMatch(/ajouté/);
      expect(await upload(page, { name: 'passeport.pdf', buffer: FAKE_PDF })).toBe(400);
      expect(await page.locator('.error-summary').innerText()).toMatch(/n'est ni un PDF/);
      expect(await page.locator('.field-error').innerText()).toMatch(/Rien n'a été gardé/);
      expect(await axeViolations(page), 'documents, refused').toEqual([]);
      // Over 10 MB (under the server's body limit): refused from its size, in her language.
      expect(await upload(page, { name: 'scan.pdf', buffer: pdfOf(10 * MB + 200 * 1024) })).toBe(413);
      expect(await page.locator('.error-summary').innerText()).toMatch(/trop gros : 10 Mo au plus/);
      // Exactly 10 MB: kept.
      expect(await upload(page, { name: 'dossier complet.pdf', buffer: pdfOf(10 * MB) })).toBe(303);
      await page.waitForSelector('#documents');
      expect(await page.locator('#documents li').count()).toBe(2);

      // 30 MB: refused cleanly (never a 500), with or without a declared length.
      const cookie = sessionCookie(await context.cookies());
      const uploadUrl = `${baseUrl}${personUrl}/documents?/upload`;
      const declared = await postFile(uploadUrl, cookie, pdfOf(30 * MB), false);
      expect(declared.status).toBe(413);
      expect(declared.body).toMatch(/trop gros : 10 Mo au plus/);
      const chunked = await postFile(uploadUrl, cookie, pdfOf(30 * MB), true);
      expect(chunked.status).toBe(413);
      expect(chunked.body).toMatch(/trop gros : 10 Mo au plus/);
      // Another page never takes a large body.
      const elsewhere = await fetch(`${baseUrl}${personUrl}?/update`, { method: 'POST', headers: { cookie, origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded', connection: 'close' }, body: 'x='.padEnd(600 * 1024, 'a') });
      expect(elsewhere.status).toBe(413);
      await page.goto(`${baseUrl}${personUrl}/documents`);
      expect(await page.locator('#documents li').count()).toBe(2);

      // Download: an attachment, never sniffed or cached, the same bytes.
      const link = page.locator('#documents a', { hasText: DOC_NAME });
      documentUrl = new URL((await link.getAttribute('href'))!, baseUrl).pathname;
      const downloading = page.waitForEvent('download');
      await link.click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe(DOC_NAME);
      expect(fs.readFileSync((await download.path())!).equals(PDF)).toBe(true);
      const direct = await fetch(`${baseUrl}${documentUrl}`, { headers: { cookie, connection: 'close' } });
      expect(direct.status).toBe(200);
      expect(direct.headers.get('content-type')).toBe('application/pdf');
      expect(direct.headers.get('content-disposition')).toMatch(/^attachment; filename="r_c_piss_ Wrenna\.pdf"; filename\*=UTF-8''r%C3%A9c%C3%A9piss%C3%A9%20Wrenna\.pdf$/);
      expect(direct.headers.get('x-content-type-options')).toBe('nosniff');
      expect(direct.headers.get('cache-control')).toBe('no-store');
      expect(Buffer.from(await direct.arrayBuffer()).equals(PDF)).toBe(true);

      // Her export: a wrong code is refused; with her password and a recovery code, everything.
      await page.goto(`${baseUrl}${personUrl}`);
      await page.click('#export-link');
      await page.waitForSelector('#export-page');
      expect(await axeViolations(page), 'export, before').toEqual([]);
      await page.fill('#password', social.password);
      await page.fill('#code', '000000');
      expect(await submit(page, '#export-page')).toBe(400);
      expect(await page.locator('.error-summary').innerText()).toMatch(/mot de passe ou le code ne va pas/);
      expect(await page.inputValue('#password')).toBe('');
      await page.fill('#password', social.password);
      await page.fill('#code', social.recoveryCodes[0]!);
      expect(await submit(page, '#export-page')).toBe(200);
      await page.waitForSelector('#export');
      const printed = await page.locator('#export').innerText();
      for (const expected of [PSEUDONYM, REAL_NAME, NOTE, DOC_NAME, 'dossier complet.pdf', 'Hébergement', 'travail social', 'coordination', 'document téléchargé']) expect(printed, expected).toContain(expected);
      expect(printed).not.toContain('@example.test');
      expect(await axeViolations(page), 'export, printable').toEqual([]);
      // The JSON file (a second button of the same form).
      await page.goto(`${baseUrl}${personUrl}/export`);
      await page.fill('#password', social.password);
      await page.fill('#code', social.recoveryCodes[1]!);
      const jsonDownloading = page.waitForEvent('download');
      await page.click('#export-json');
      const json = JSON.parse(fs.readFileSync((await (await jsonDownloading).path())!, 'utf8'));
      expect(json).toMatchObject({ format: 'relais-person-export/1', person: { pseudonym: PSEUDONYM, realName: REAL_NAME } });
      expect(json.procedures[0].steps[0].note).toBe(NOTE);
      expect(json.documents.map((d: { name: string }) => d.name).sort()).toEqual([DOC_NAME, 'dossier complet.pdf'].sort());
      // A social worker may not erase.
      expect(await page.locator('#erase-link').count()).toBe(0);
      expect((await page.goto(`${baseUrl}${personUrl}/erase`))?.status()).toBe(403);
    } finally {
      await context.close();
    }

    // A peer helper not assigned to her: her documents are "not found".
    const peerVisit = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, peerVisit.context, peer);
      expect((await peerVisit.page.goto(`${baseUrl}${personUrl}/documents`))?.status()).toBe(404);
      const cookie = sessionCookie(await peerVisit.context.cookies());
      expect((await fetch(`${baseUrl}${documentUrl}`, { headers: { cookie, connection: 'close' } })).status).toBe(404);
    } finally {
      await peerVisit.context.close();
    }

    // The coordinator erases her record, after a confirmation and proving who she is.
    const coordinatorVisit = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    try {
      const { page: cp, context: cc } = coordinatorVisit;
      await signIn(baseUrl, cc, coordinator);
      await cp.goto(`${baseUrl}${personUrl}`);
      await cp.click('#erase-link');
      await cp.waitForSelector('#erase');
      expect(await cp.locator('.careful').innerText()).toMatch(/Sa clé est détruite/);
      expect(await axeViolations(cp), 'erase, before').toEqual([]);
      await cp.fill('#password', coordinator.password);
      await cp.fill('#code', coordinator.recoveryCodes[0]!);
      expect(await submit(cp, '#erase')).toBe(400);
      expect(await cp.locator('.error-summary').innerText()).toMatch(/Cochez cette case/);
      expect(await axeViolations(cp), 'erase, errors').toEqual([]);
      await cp.check('#understood');
      await cp.fill('#password', 'not the coordinator password');
      await cp.fill('#code', coordinator.recoveryCodes[0]!);
      expect(await submit(cp, '#erase')).toBe(400);
      expect(await cp.locator('.error-summary').innerText()).toMatch(/mot de passe ou le code ne va pas/);
      expect(await cp.isChecked('#understood')).toBe(true);
      await cp.fill('#password', coordinator.password);
      await cp.fill('#code', coordinator.recoveryCodes[1]!);
      expect(await submit(cp, '#erase')).toBe(303);
      await cp.waitForSelector('#erased-notice');
      // Her record, her procedure and her documents answer "not found".
      expect((await cp.goto(`${baseUrl}${personUrl}`))?.status()).toBe(404);
      expect((await cp.goto(`${baseUrl}${personUrl}/documents`))?.status()).toBe(404);
      const cookie = sessionCookie(await cc.cookies());
      expect((await fetch(`${baseUrl}${documentUrl}`, { headers: { cookie, connection: 'close' } })).status).toBe(404);
      await cp.goto(`${baseUrl}/staff/people?q=${encodeURIComponent(PSEUDONYM)}`);
      expect(await cp.locator('#no-people').count()).toBe(1);
      expect(await cp.locator('.careful').count()).toBe(0);
      // What will be purged next month: nothing of hers.
      await cp.goto(`${baseUrl}/staff/retention`);
      expect(await cp.locator('#nothing-to-purge').count()).toBe(1);
      expect(await axeViolations(cp), 'retention page').toEqual([]);
    } finally {
      await coordinatorVisit.context.close();
    }

    // The audit chain is intact and the erasure is in it; her secrets are in no log line.
    expect(relais(baseUrl, dataDir, 'audit', 'verify').ok).toBe(true);
    const log = fs.readFileSync(serverLog, 'utf8');
    for (const secret of [PSEUDONYM, REAL_NAME, NOTE, DOC_MARKER, 'Wrenna', social.password, coordinator.password]) expect(log.includes(secret), secret).toBe(false);
    const database = fs.readFileSync(`${dataDir}/relais.db`).toString('latin1') + (fs.existsSync(`${dataDir}/relais.db-wal`) ? fs.readFileSync(`${dataDir}/relais.db-wal`).toString('latin1') : '');
    for (const secret of [PSEUDONYM, REAL_NAME, NOTE, DOC_MARKER]) expect(database.includes(secret), secret).toBe(false);
  });

  it('closes a record with a reason; the coordinator sees when it will be purged', { timeout: 120_000 }, async () => {
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Conservation E2E');
    const coordinator = await createStaff(baseUrl, dataDir, org.id!, 'coordinator', 'coordination.retention.e2e@example.test');
    const visit = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    try {
      const { page, context } = visit;
      await signIn(baseUrl, context, coordinator);
      await page.goto(`${baseUrl}/staff/people/new`);
      await page.fill('#pseudonym', 'Closina Fakefield');
      await page.fill('#retention_months', '1');
      await page.check('#consent_explained');
      expect(await submit(page, '#create-person')).toBe(303);
      await page.waitForSelector('#person-name');
      await page.click('#close-summary');
      await page.selectOption('#reason', 'moved_away');
      expect(await submit(page, '#close-record')).toBe(200);
      expect(await page.locator('#purge-notice').innerText()).toMatch(/sera effacé le/);
      expect(await page.locator('#open-procedure').count()).toBe(0);
      await page.goto(`${baseUrl}/staff/retention`);
      const item = await page.locator('#purge-list li').innerText();
      expect(item).toContain('Closina Fakefield');
      expect(item).toMatch(/elle est partie loin/);
      // Not due yet: the purge leaves it.
      const dry = relais(baseUrl, dataDir, 'cases', 'purge', '--dry-run') as unknown as { people: unknown[] };
      expect(dry.people).toEqual([]);
    } finally {
      await visit.context.close();
    }
  });
});
