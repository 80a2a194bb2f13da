/**
 * Invitations (issue 5): an admin invites by email address and role from her page, without
 * JavaScript; the one-time link is shown to her once, and sent to the address when SMTP is
 * configured — here by `relais user invite`, with a real SMTP server started by the test.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newVisit, scriptlessVisit, useBrowser } from './support/browser';
import { createStaff, newOrganization, signIn } from './support/staff';
import { registerSecrets } from './support/secrets';
import { startTestSmtp, type TestSmtp } from '../support/smtp';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const browser = useBrowser();
const run = promisify(execFile);

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp?.close();
});

async function scriptlessAdmin() {
  const organizationId = newOrganization();
  const admin = await createStaff(baseUrl, dataDir, organizationId, 'admin', `admin.invite.${randomBytes(3).toString('hex')}@example.test`);
  const visit = await scriptlessVisit(browser(), { phone: true, language: 'fr-FR,fr;q=0.9' });
  await signIn(baseUrl, visit.context, admin);
  return { ...visit, organizationId, admin };
}

async function invite(page: Page, email: string, role: string): Promise<number> {
  await page.goto(`${baseUrl}/staff`);
  await page.fill('#invite-email', email);
  await page.selectOption('#invite-role', role);
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.click('#invite-submit');
  return (await response).status();
}

describe('an admin invites someone from her page', () => {
  it('shows the one-time link once; it opens the invitation; bad or taken addresses are refused in her language', async () => {
    const { page, context, admin } = await scriptlessAdmin();
    try {
      // A wrong address: 400, the error summary links to the field, what she typed is kept.
      expect(await invite(page, 'not an address', 'lawyer')).toBe(400);
      expect(await page.locator('.error-summary').innerText()).toMatch(/Entrez une adresse email/);
      expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#invite-email');
      expect(await page.inputValue('#invite-email')).toBe('not an address');
      expect(await page.inputValue('#invite-role')).toBe('lawyer');
      expect(await page.locator('#invite-email').getAttribute('aria-invalid')).toBe('true');

      // An address that has an account here already.
      expect(await invite(page, admin.email, 'lawyer')).toBe(400);
      expect(await page.locator('.error-summary').innerText()).toMatch(/déjà un compte/);

      // A new address: the link is shown, and the server has no SMTP: she is told to give it herself.
      const email = `invited.web.${randomBytes(3).toString('hex')}@example.test`;
      expect(await invite(page, email, 'lawyer')).toBe(200);
      const link = await page.locator('#invitation-link').innerText();
      registerSecrets(dataDir, { 'invitation link': new URL(link).pathname.slice('/invite/'.length) });
      expect(await page.locator('#invited').innerText()).toMatch(/n'est pas configuré/);
      // Shown once: the page shows it no more.
      await page.goto(`${baseUrl}/staff`);
      expect(await page.locator('#invitation-link').count()).toBe(0);

      // The link opens the invitation for that role, for someone not signed in.
      const stranger = await newVisit(browser(), { javaScript: false, phone: true, serviceWorkers: false });
      try {
        const response = await stranger.page.goto(`${baseUrl}${new URL(link).pathname}`);
        expect(response?.status()).toBe(200);
        expect(await stranger.page.locator('#password').count()).toBe(1);
      } finally {
        await stranger.context.close();
      }
    } finally {
      await context.close();
    }
  });
});

describe('relais user invite, with SMTP configured', () => {
  const invite = async (organizationId: string, email: string) => {
    const env = {
      ...process.env,
      RELAIS_DATA_DIR: dataDir,
      DATABASE_URL: path.join(dataDir, 'relais.db'),
      ORIGIN: baseUrl,
      RELAIS_LOG_LEVEL: 'silent',
      RELAIS_SMTP_URL: smtp.url,
      RELAIS_MAIL_FROM: 'Relais E2E <relais@association.example>'
    };
    // Asynchronously: the SMTP server runs in this process and must answer meanwhile.
    const { stdout } = await run(process.execPath, ['bin/relais.js', 'user', 'invite', '--org', organizationId, '--email', email, '--role', 'peer_helper', '--lang', 'en', '--json'], { env, encoding: 'utf8' });
    return JSON.parse(stdout) as { link: string; expiresAt: string; emailed: boolean; emailError?: string };
  };

  it('emails the link to the address invited, in the language asked, and says so', async () => {
    const organizationId = newOrganization();
    const email = `invited.cli.${randomBytes(3).toString('hex')}@example.test`;
    const before = smtp.mails.length;
    const result = await invite(organizationId, email);
    registerSecrets(dataDir, { 'invitation link': new URL(result.link).pathname.slice('/invite/'.length) });
    expect(result.emailed).toBe(true);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.to).toEqual([email]);
    expect(mail!.subject).toBe('Relais: you are invited');
    expect(mail!.text).toContain(result.link);
    expect(mail!.text).toMatch(/with the role “peer helper”/);
    expect(mail!.raw).toMatch(/Auto-Submitted: auto-generated/i);
  });

  it('a mail the server refuses is reported with its code; the invitation and its link still stand', async () => {
    const organizationId = newOrganization();
    smtp.refuse = true;
    try {
      const result = await invite(organizationId, `invited.refused.${randomBytes(3).toString('hex')}@example.test`);
      registerSecrets(dataDir, { 'invitation link': new URL(result.link).pathname.slice('/invite/'.length) });
      expect(result).toMatchObject({ emailed: false, emailError: 'SMTP_451' });
      const response = await fetch(`${baseUrl}${new URL(result.link).pathname}`, { headers: { connection: 'close' } });
      expect(response.status).toBe(200);
    } finally {
      smtp.refuse = false;
    }
  });
});
