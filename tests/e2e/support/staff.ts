/**
 * Staff accounts for browser journeys: the operator's command line creates the organization
 * and the invitations (on the same data as the server under test), the invitation page is
 * accepted over HTTP like a browser without JavaScript would, and a signed-in browser context
 * gets its session cookie from a real sign-in. Fake people only.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { totpCode } from '../../../src/lib/server/accounts/totp';
import type { Role } from '../../../src/lib/server/accounts/roles';
import { registerSecrets } from './secrets';

export interface StaffAccount {
  email: string;
  password: string;
  secret: string;
  role: Role;
  /** The one-time recovery codes shown when the invitation was accepted. */
  recoveryCodes: string[];
}

/** The operator's command line (`relais … --json`) against the e2e server's data. */
export function relais(baseUrl: string, dataDir: string, ...args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ['bin/relais.js', ...args, '--json'], {
    env: { ...process.env, RELAIS_DATA_DIR: dataDir, DATABASE_URL: path.join(dataDir, 'relais.db'), ORIGIN: baseUrl, RELAIS_LOG_LEVEL: 'silent' },
    encoding: 'utf8'
  });
  return JSON.parse(out) as Record<string, string>;
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

/**
 * Signs `account` in over HTTP and gives `context` its session cookie. Uses the next TOTP
 * step (the enrolment code cannot be replayed): sign each account in once per 30 seconds.
 */
export async function signIn(baseUrl: string, context: BrowserContext, account: StaffAccount): Promise<void> {
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    headers: browserLike(baseUrl),
    body: new URLSearchParams({ email: account.email, password: account.password, code: totpCode(account.secret, new Date(Date.now() + 30_000)) }),
    redirect: 'manual'
  });
  const cookie = /relais_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  await context.addCookies([{ name: 'relais_session', value: cookie, url: baseUrl, httpOnly: true, sameSite: 'Strict' }]);
}
