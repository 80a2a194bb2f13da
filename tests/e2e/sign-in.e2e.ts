import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { axeViolations, newVisit, useBrowser } from './support/browser';
import { registerSecrets } from './support/secrets';
import { totpCode } from '../../src/lib/server/accounts/totp';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const serverLog = inject('serverLog');
const browser = useBrowser();

const EMAIL = 'Ozymandias.Trellick.Fake@example.test';
const PASSWORD = 'le phare veille sur la baie endormie';

/** The operator's command line, on the same data as the server under test. */
function relais(...args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ['bin/relais.js', ...args, '--json'], {
    env: { ...process.env, RELAIS_DATA_DIR: dataDir, DATABASE_URL: path.join(dataDir, 'relais.db'), ORIGIN: baseUrl, RELAIS_LOG_LEVEL: 'silent' },
    encoding: 'utf8'
  });
  return JSON.parse(out) as Record<string, string>;
}

describe('invitation → password + TOTP → sign-in → staff area → sign-out', () => {
  it('works end to end in Chromium, refuses a wrong code, and sets no cookie before sign-in', async () => {
    const org = relais('org', 'create', '--name', 'Association E2E');
    const invitation = relais('user', 'invite', '--org', org.id!, '--email', EMAIL, '--role', 'admin');
    const token = invitation.link!.split('/invite/')[1]!;
    registerSecrets(dataDir, { email: EMAIL, password: PASSWORD, 'invitation token': token });

    const visit = await newVisit(browser(), { javaScript: true, phone: true, serviceWorkers: false });
    const { page, context } = visit;
    // Staff pages take the browser's language: French here.
    await page.setExtraHTTPHeaders({ 'accept-language': 'fr-FR,fr;q=0.9' });
    try {
      // An unknown link answers like any page that does not exist.
      const unknown = await page.goto(`${baseUrl}/invite/${'A'.repeat(43)}`);
      expect(unknown?.status()).toBe(404);

      // Without a session, the staff area sends her to sign in.
      await page.goto(`${baseUrl}/staff`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');

      const invitePage = await page.goto(`${baseUrl}/invite/${token}`);
      expect(invitePage?.status()).toBe(200);
      expect(invitePage?.headers()['cache-control']).toBe('no-store');
      const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      registerSecrets(dataDir, { 'TOTP secret': secret });
      expect(await page.locator('#totp-uri').innerText()).toContain(`secret=${secret}`);
      expect(await axeViolations(page), 'invitation page').toEqual([]);

      // A common password and a wrong code: 400, summary + field messages, password not kept.
      await page.fill('#password', 'motdepasse123');
      await page.fill('#code', totpCode(secret, new Date(Date.now() - 10 * 60_000)));
      const refused = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.click('button[type=submit]');
      expect((await refused).status()).toBe(400);
      expect(await page.locator('.error-summary li').count()).toBe(2);
      expect(await page.locator('#password-error').innerText()).toMatch(/trop courant/);
      expect(await page.locator('#code-error').innerText()).toMatch(/ne correspond pas/);
      expect(await axeViolations(page), 'invitation page with errors').toEqual([]);
      expect(await page.inputValue('#password')).toBe('');
      expect((await page.locator('#totp-secret').innerText()).replace(/\s/g, '')).toBe(secret);

      await page.fill('#password', PASSWORD);
      await page.fill('#code', totpCode(secret, new Date()));
      const accepted = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.click('button[type=submit]');
      expect((await accepted).status(), await page.locator('#main').innerText()).toBe(200);
      await page.waitForSelector('.recovery-codes');
      const codes = await page.locator('.recovery-codes code').allInnerTexts();
      expect(codes).toHaveLength(10);
      registerSecrets(dataDir, { 'recovery code': codes });
      expect(await context.cookies()).toEqual([]);

      // The link is now spent.
      expect((await page.goto(`${baseUrl}/invite/${token}`))?.status()).toBe(404);

      // Sign-in: a wrong code is refused with a message that says nothing about the account.
      await page.goto(`${baseUrl}/sign-in`);
      await page.fill('#email', EMAIL);
      await page.fill('#password', PASSWORD);
      await page.fill('#code', '000000');
      const failed = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.click('button[type=submit]');
      expect((await failed).status()).toBe(400);
      expect(await page.locator('.error-summary').innerText()).toMatch(/Vérifiez l'adresse, le mot de passe et le code/);
      expect(await axeViolations(page), 'sign-in page with errors').toEqual([]);
      expect(await page.inputValue('#email')).toBe(EMAIL);
      expect(await page.inputValue('#password')).toBe('');
      expect(await context.cookies()).toEqual([]);

      // The right code (the next 30-second step: the one used at enrolment cannot be replayed).
      await page.fill('#password', PASSWORD);
      await page.fill('#code', totpCode(secret, new Date(Date.now() + 30_000)));
      const staffResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/staff');
      await page.click('button[type=submit]');
      expect((await staffResponse).headers()['cache-control']).toBe('no-store');
      expect(new URL(page.url()).pathname).toBe('/staff');
      expect(await page.locator('#who-am-i').innerText()).toContain(EMAIL);
      expect(await page.locator('#accounts').innerText()).toContain(EMAIL);
      expect(await axeViolations(page), 'staff page').toEqual([]);
      const cookies = await context.cookies();
      expect(cookies.map((c) => c.name)).toEqual(['relais_session']);
      const session = cookies[0]!;
      // A browser-session cookie (no expiry written to disk); the server ends it at 30 min idle / 12 h.
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', expires: -1 });
      // `<organization id>.<secret>`: the tenant is known before the secret is looked up.
      expect(session.value).toMatch(new RegExp(`^${org.id}\\.[A-Za-z0-9_-]{43}$`));
      registerSecrets(dataDir, { 'session cookie': session.value });

      // A cross-site form post, even with her cookie, is refused.
      const crossSite = await fetch(`${baseUrl}/staff/sign-out`, {
        method: 'POST',
        headers: { origin: 'http://evil.example', cookie: `relais_session=${session.value}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
        redirect: 'manual'
      });
      expect(crossSite.status).toBe(403);

      // Sign-out: the session ends, the cookie goes, the browser is told to forget the site.
      const signOut = page.waitForResponse((r) => new URL(r.url()).pathname === '/staff/sign-out');
      await page.click('#sign-out');
      const signOutResponse = await signOut;
      expect(signOutResponse.status()).toBe(303);
      expect((await signOutResponse.allHeaders())['clear-site-data']).toBe('"cache", "cookies", "storage"');
      expect((await signOutResponse.allHeaders())['set-cookie']).toMatch(/relais_session=;.*Max-Age=0/i);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await context.cookies()).toEqual([]);
      const replay = await fetch(`${baseUrl}/staff`, { headers: { cookie: `relais_session=${session.value}` }, redirect: 'manual' });
      expect(replay.status).toBe(303);
      expect(replay.headers.get('location')).toBe('/sign-in');
    } finally {
      await context.close();
    }
    // Nothing personal reached the server's log.
    const { readFileSync } = await import('node:fs');
    const log = readFileSync(serverLog, 'utf8');
    expect(log).not.toMatch(/Ozymandias|Trellick/i);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(token);
  });

  it('repeated failures are slowed down (429), the same way for an address that has no account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8 && !statuses.includes(429); i++) {
      const response = await fetch(`${baseUrl}/sign-in`, {
        method: 'POST',
        headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'fr' },
        body: new URLSearchParams({ email: 'no.such.person@example.test', password: 'a wrong password here', code: '123456' }),
        redirect: 'manual'
      });
      statuses.push(response.status);
      const html = await response.text();
      if (response.status === 429) expect(html).toMatch(/Trop d'essais\. Attendez \d+ secondes/);
      else expect(html).toMatch(/Vérifiez l'adresse, le mot de passe et le code/);
    }
    expect(statuses[0]).toBe(400);
    expect(statuses.at(-1)).toBe(429);
  });
});
