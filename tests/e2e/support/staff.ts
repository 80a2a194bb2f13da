/**
 * Staff accounts for browser journeys, fake people only. Two ways, from two branches (the
 * lead reconciles them): `signedInStaff` walks a browser through the invitation and sign-in
 * pages (the help directory's journey); `createStaff` + `signIn` accept the invitation and
 * sign in over HTTP, then give a browser context the cookie (the case tracker's journey).
 * Both use the operator's command line on the same data as the server under test.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { totpCode } from '../../../src/lib/server/accounts/totp';
import type { Role } from '../../../src/lib/server/accounts/roles';
import { newVisit, submit, type Visit } from './browser';
import { registerSecrets } from './secrets';

/** The operator's command line (`relais … --json`) against the e2e server's data. */
export function relais(baseUrl: string, dataDir: string, ...args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ['bin/relais.js', ...args, '--json'], {
    env: { ...process.env, RELAIS_DATA_DIR: dataDir, DATABASE_URL: path.join(dataDir, 'relais.db'), ORIGIN: baseUrl, RELAIS_LOG_LEVEL: 'silent' },
    encoding: 'utf8'
  });
  return JSON.parse(out) as Record<string, string>;
}

/** `relais` on the server under test (the e2e project's global setup). */
function operator(...args: string[]): Record<string, string> {
  return relais(inject('baseUrl'), inject('dataDir'), ...args);
}

/** A new association (organization) on the server under test; returns its id. */
export function newOrganization(name = `Association E2E ${randomBytes(3).toString('hex')}`): string {
  return operator('org', 'create', '--name', name).id!;
}

export interface StaffVisit extends Visit {
  email: string;
  role: Role;
  organizationId: string;
  /** The session cookie's value (`<organization id>.<secret>`), for requests made outside the browser. */
  cookie: string;
}

const PASSWORD = 'la marée monte doucement sur les galets';


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
  const { link } = operator('user', 'invite', '--org', organizationId, '--email', email, '--role', options.role);
  // The link is `/invite/<organization id>.<secret>` (accounts/tenant-token.ts): the server
  // learns the tenant before it looks the secret up. Only its path is used: the operator's
  // origin may differ from the test server's.
  const invitePath = new URL(link!).pathname;
  if (!invitePath.startsWith(`/invite/${organizationId}.`)) throw new Error('the invitation link does not name its organization');
  // What she is given is checked against the server's whole log when the run ends (global-setup.ts).
  const dataDir = inject('dataDir');
  registerSecrets(dataDir, { 'staff email': email, 'staff password': PASSWORD, 'invitation token': invitePath.slice('/invite/'.length) });
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
    registerSecrets(dataDir, { 'TOTP secret': secret });
    await page.fill('#password', PASSWORD);
    await page.fill('#code', totpCode(secret, new Date()));
    const accepted = await submit(page);
    if (accepted !== 200) throw new Error(`the invitation was not accepted (${accepted})`);
    await page.locator('.recovery-codes').waitFor();
    registerSecrets(dataDir, { 'recovery code': (await page.locator('.recovery-codes').innerText()).split(/\s+/) });

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
    registerSecrets(dataDir, { 'session cookie': cookie.value });
    return { ...visit, email, role: options.role, organizationId, cookie: cookie.value };
  } catch (error) {
    await context.close();
    throw error;
  }
}

export interface StaffAccount {
  email: string;
  password: string;
  secret: string;
  role: Role;
  /** The one-time recovery codes shown when the invitation was accepted. */
  recoveryCodes: string[];
  /** The last TOTP step `signIn` used for her (a code is accepted once). */
  lastStep?: number;
}

// `connection: close`: the command line runs between requests for longer than the server's
// keep-alive, and a reused socket the server has just closed fails the next request.
const browserLike = (baseUrl: string) => ({
  origin: baseUrl,
  accept: 'text/html',
  'accept-language': 'fr-FR,fr;q=0.9',
  'content-type': 'application/x-www-form-urlencoded',
  connection: 'close'
});

/** Invites `email` with `role` into `organizationId` and accepts the invitation (password + TOTP). */
export async function createStaff(baseUrl: string, dataDir: string, organizationId: string, role: Role, email: string): Promise<StaffAccount> {
  const invitation = relais(baseUrl, dataDir, 'user', 'invite', '--org', organizationId, '--email', email, '--role', role);
  const link = invitation.link!;
  const html = await (await fetch(link.replace(/^https?:\/\/[^/]+/, baseUrl), { headers: { accept: 'text/html', connection: 'close' } })).text();
  const secret = /id="totp-secret"[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, '');
  if (!secret) throw new Error('no TOTP secret on the invitation page');
  const password = `fake staff phrase for ${role} e2e`;
  // Checked against the server's whole log when the run ends (global-setup.ts).
  registerSecrets(dataDir, { 'staff email': email, 'staff password': password, 'TOTP secret': secret, 'invitation token': link.split('/invite/')[1] });
  const accepted = await fetch(link.replace(/^https?:\/\/[^/]+/, baseUrl), {
    method: 'POST',
    headers: browserLike(baseUrl),
    body: new URLSearchParams({ secret, password, code: totpCode(secret, new Date()) }),
    redirect: 'manual'
  });
  if (accepted.status !== 200) throw new Error(`invitation not accepted: ${accepted.status}`);
  const recoveryCodes = [...(await accepted.text()).matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]!);
  return { email, password, secret, role, recoveryCodes };
}

const TOTP_STEP_MS = 30_000;

/**
 * Signs `account` in over HTTP and gives `context` its session cookie. Uses the next TOTP
 * step (the enrolment code cannot be replayed); signed in again before that step is over,
 * she waits for the following one, as a person would wait for a new code.
 */
export async function signIn(baseUrl: string, context: BrowserContext, account: StaffAccount): Promise<void> {
  let step = Math.floor(Date.now() / TOTP_STEP_MS) + 1;
  if (account.lastStep !== undefined && step <= account.lastStep) {
    // The server accepts one step ahead: wait until the step she last used is the current one.
    await new Promise((r) => setTimeout(r, Math.max(0, account.lastStep! * TOTP_STEP_MS - Date.now()) + 100));
    step = account.lastStep + 1;
  }
  account.lastStep = step;
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    headers: browserLike(baseUrl),
    body: new URLSearchParams({ email: account.email, password: account.password, code: totpCode(account.secret, new Date(step * TOTP_STEP_MS)) }),
    redirect: 'manual'
  });
  const cookie = /relais_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  await context.addCookies([{ name: 'relais_session', value: cookie, url: baseUrl, httpOnly: true, sameSite: 'Strict' }]);
}
