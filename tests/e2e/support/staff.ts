import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '../../../src/lib/server/accounts/totp';
import type { Role } from '../../../src/lib/server/accounts/roles';
import { newVisit, type Visit } from './browser';

/** The operator's command line (`relais … --json`), on the same data as the server under test. */
export function relais(...args: string[]): Record<string, string> {
  const dataDir = inject('dataDir');
  const out = execFileSync(process.execPath, ['bin/relais.js', ...args, '--json'], {
    env: { ...process.env, RELAIS_DATA_DIR: dataDir, DATABASE_URL: path.join(dataDir, 'relais.db'), ORIGIN: inject('baseUrl'), RELAIS_LOG_LEVEL: 'silent' },
    encoding: 'utf8'
  });
  return JSON.parse(out) as Record<string, string>;
}

/** A new association (organization) on the server under test; returns its id. */
export function newOrganization(name = `Association E2E ${randomBytes(3).toString('hex')}`): string {
  return relais('org', 'create', '--name', name).id!;
}

export interface StaffVisit extends Visit {
  email: string;
  role: Role;
  organizationId: string;
  /** The session cookie's value (`<organization id>.<secret>`), for requests made outside the browser. */
  cookie: string;
}

const PASSWORD = 'la marée monte doucement sur les galets';

async function submit(page: Page): Promise<number> {
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.click('button[type=submit]');
  return (await response).status();
}

/**
 * A browser context signed in as a new staff member with `role`, the way she would do it:
 * the operator invites her (`relais user invite`), she opens the link, chooses a password,
 * enrols an authenticator (TOTP), then signs in. Staff pages take the browser's language
 * (French unless `language` says otherwise). The address is obviously fake and new each
 * time; the association is new unless `organizationId` is given.
 *
 * Sign-in is throttled per network address, and every test signs in from 127.0.0.1: when
 * the server says to wait, this waits as told and tries again.
 */
export async function signedInStaff(
  browser: Browser,
  options: { role: Role; javaScript?: boolean; organizationId?: string; language?: string }
): Promise<StaffVisit> {
  const baseUrl = inject('baseUrl');
  const organizationId = options.organizationId ?? newOrganization();
  const email = `e2e.${options.role.replace('_', '-')}.${randomBytes(4).toString('hex')}@example.test`;
  const { link } = relais('user', 'invite', '--org', organizationId, '--email', email, '--role', options.role);
  // The link is `/invite/<organization id>.<secret>` (accounts/tenant-token.ts): the server
  // learns the tenant before it looks the secret up. Only its path is used: the operator's
  // origin may differ from the test server's.
  const invitePath = new URL(link!).pathname;
  if (!invitePath.startsWith(`/invite/${organizationId}.`)) throw new Error('the invitation link does not name its organization');
  // Without JavaScript, the site's scripts are refused rather than JavaScript turned off:
  // the pages behave as on a phone without JavaScript, and axe can still be injected.
  const visit = await newVisit(browser, { javaScript: true, serviceWorkers: false });
  const { page, context } = visit;
  if (!options.javaScript) {
    await context.route('**/*', (route) => (route.request().resourceType() === 'script' ? route.abort() : route.fallback()));
  }
  await context.setExtraHTTPHeaders({ 'accept-language': options.language ?? 'fr-FR,fr;q=0.9' });
  try {
    await page.goto(`${baseUrl}${invitePath}`);
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
    await page.fill('#password', PASSWORD);
    await page.fill('#code', totpCode(secret, new Date()));
    const accepted = await submit(page);
    if (accepted !== 200) throw new Error(`the invitation was not accepted (${accepted})`);
    await page.locator('.recovery-codes').waitFor();

    for (let attempt = 0; ; attempt++) {
      await page.goto(`${baseUrl}/sign-in`);
      await page.fill('#email', email);
      await page.fill('#password', PASSWORD);
      // The next 30-second step: the one used at enrolment cannot be used again.
      await page.fill('#code', totpCode(secret, new Date(Date.now() + 30_000)));
      const status = await submit(page);
      if (status !== 429) break;
      if (attempt >= 4) throw new Error('sign-in stayed throttled');
      const seconds = Number(/(\d+)/.exec(await page.locator('.error-summary').innerText())?.[1] ?? '5');
      await new Promise((r) => setTimeout(r, (seconds + 0.5) * 1000));
    }
    await page.waitForURL(`${baseUrl}/staff`);
    const cookie = (await context.cookies()).find((c) => c.name === 'relais_session');
    if (!cookie) throw new Error('no session cookie after sign-in');
    // `<organization id>.<secret>`, like the invitation link.
    if (!cookie.value.startsWith(`${organizationId}.`)) throw new Error('the session cookie does not name her organization');
    return { ...visit, email, role: options.role, organizationId, cookie: cookie.value };
  } catch (error) {
    await context.close();
    throw error;
  }
}
