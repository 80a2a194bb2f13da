import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { axeViolations, newVisit, useBrowser, type Visit } from './support/browser';
import { registerSecrets } from './support/secrets';
import { totpCode } from '../../src/lib/server/accounts/totp';
import { openDatabase } from '../../src/lib/server/db/connect';
import { inTenant } from '../../src/lib/server/db/tenant';
import { auditView } from '../../src/lib/server/audit/audit';
import { addParisDays, parisDateKey } from '../../src/lib/time/paris-time';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const browser = useBrowser();

const ADMIN_EMAIL = 'Philippa.Marchbanks.Fake@example.test';
const WORKER_EMAIL = 'Rosalind.Tiverton.Fake@example.test';
const WORKER_PASSWORD = 'le vent du nord chante dans les pins';
const PASSKEY_NAME = 'Téléphone de Philippa Marchbanks';

/** The operator's command line, on the same data as the server under test. */
function relais(...args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ['bin/relais.js', ...args, '--json'], {
    env: { ...process.env, RELAIS_DATA_DIR: dataDir, DATABASE_URL: path.join(dataDir, 'relais.db'), ORIGIN: baseUrl, RELAIS_LOG_LEVEL: 'silent' },
    encoding: 'utf8'
  });
  return JSON.parse(out) as Record<string, string>;
}

type Db = ReturnType<typeof openDatabase>['db'];

/** The server's database, opened beside it (SQLite in WAL mode takes a second process), inside one organization. */
async function inOrganization<T>(organizationId: string, work: (trx: Db) => Promise<T>): Promise<T> {
  const handle = openDatabase(path.join(dataDir, 'relais.db'));
  try {
    return await inTenant(handle.db, organizationId, work);
  } finally {
    await handle.close();
  }
}

/** Her sign-in (or last confirmation) was an hour ago: sensitive actions must ask again. */
async function ageAuthentication(organizationId: string): Promise<void> {
  await inOrganization(organizationId, (trx) =>
    trx.updateTable('session').set({ authenticated_at: new Date(Date.now() - 3600_000).toISOString() }).where('organization_id', '=', organizationId).execute()
  );
}

function roleOf(organizationId: string, accountId: string): Promise<string> {
  return inOrganization(organizationId, async (trx) => (await trx.selectFrom('person_account').select('role').where('organization_id', '=', organizationId).where('id', '=', accountId).executeTakeFirstOrThrow()).role);
}

/** Chromium's virtual authenticator: a platform authenticator with resident keys and user verification. */
interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
  credentials: () => Promise<Array<{ isResidentCredential: boolean; userHandle?: string }>>;
}
async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
  });
  return { cdp, authenticatorId, credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials };
}

async function sessionCookie(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === 'relais_session');
  if (!cookie) throw new Error('no session cookie');
  registerSecrets(dataDir, { 'session cookie': cookie.value });
  return cookie.value;
}

/** POSTs to a staff form action as a browser would, with a given cookie. */
function postAction(pathAndAction: string, cookie: string, body: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}${pathAndAction}`, {
    method: 'POST',
    headers: { origin: baseUrl, accept: 'text/html', cookie: `relais_session=${cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
    redirect: 'manual'
  });
}

describe('passkeys, re-authentication, an admin ending sessions, the audit page', () => {
  let admin: Visit;
  let worker: Visit;
  let workerId = '';
  let workerInvitation = '';
  let organizationId = '';
  let phone: VirtualAuthenticator;
  let workerSecret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    admin = await newVisit(browser(), { javaScript: true, serviceWorkers: false });
    worker = await newVisit(browser(), { javaScript: true, serviceWorkers: false });
    for (const v of [admin, worker]) await v.page.setExtraHTTPHeaders({ 'accept-language': 'fr-FR,fr;q=0.9' });
  });
  afterAll(async () => {
    await admin?.context.close();
    await worker?.context.close();
  });

  it('registers a passkey at the invitation, signs out, signs in with it (usernameless): the session id changes at each sign-in', async () => {
    const org = relais('org', 'create', '--name', 'Association Passkeys E2E');
    organizationId = org.id!;
    const adminInvite = relais('user', 'invite', '--org', org.id!, '--email', ADMIN_EMAIL, '--role', 'admin');
    const workerInvite = relais('user', 'invite', '--org', org.id!, '--email', WORKER_EMAIL, '--role', 'social_worker');
    const adminToken = adminInvite.link!.split('/invite/')[1]!;
    const workerToken = workerInvite.link!.split('/invite/')[1]!;
    registerSecrets(dataDir, { 'admin email': ADMIN_EMAIL, 'worker email': WORKER_EMAIL, 'worker password': WORKER_PASSWORD, 'passkey name': PASSKEY_NAME, 'invitation token': [adminToken, workerToken] });
    workerInvitation = workerToken;

    const { page, context } = admin;
    phone = await addVirtualAuthenticator(page);
    await page.goto(`${baseUrl}/invite/${adminToken}`);
    // Offered first; the no-JavaScript note is hidden once the script runs.
    await page.waitForSelector('#create-passkey', { state: 'visible' });
    expect(await page.locator('[data-passkey-nojs]').isVisible()).toBe(false);
    expect(await axeViolations(page), 'invitation page with passkeys').toEqual([]);
    await page.fill('#passkey-name', PASSKEY_NAME);
    await page.click('#create-passkey');
    await page.waitForURL(`${baseUrl}/staff`);
    expect(await page.locator('#who-am-i').innerText()).toContain(ADMIN_EMAIL);
    expect(await page.locator('#passkeys').innerText()).toContain(PASSKEY_NAME);
    const stored = await phone.credentials();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.isResidentCredential).toBe(true);
    const first = await sessionCookie(context);
    expect(await axeViolations(page), 'staff page with passkeys').toEqual([]);
    // The link is spent.
    expect((await fetch(`${baseUrl}/invite/${adminToken}`)).status).toBe(404);

    await page.click('#sign-out');
    await page.waitForURL(`${baseUrl}/sign-in`);
    expect(await context.cookies()).toEqual([]);
    await page.waitForSelector('#passkey-sign-in', { state: 'visible' });
    expect(await axeViolations(page), 'sign-in page with passkeys').toEqual([]);
    await page.click('#passkey-sign-in');
    await page.waitForURL(`${baseUrl}/staff`);
    const second = await sessionCookie(context);
    expect(second).not.toBe(first);
    expect(await page.locator('#who-am-i').innerText()).toContain(ADMIN_EMAIL);

    // Signing in again from a signed-in browser: a new id, and the old one is ended.
    await page.goto(`${baseUrl}/sign-in`);
    await page.click('#passkey-sign-in');
    await page.waitForURL(`${baseUrl}/staff`);
    const third = await sessionCookie(context);
    expect(third).not.toBe(second);
    const replay = await fetch(`${baseUrl}/staff`, { headers: { cookie: `relais_session=${second}` }, redirect: 'manual' });
    expect(replay.status).toBe(303);
    expect(admin.problems).toEqual([]);
  });

  it('she adds a second passkey from her staff page (another device), removes the first, and cannot remove her last way in', async () => {
    const { page } = admin;
    // Another device: the phone's authenticator goes away, the laptop's comes.
    await phone.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: phone.authenticatorId });
    const laptop = await addVirtualAuthenticator(page);
    await page.goto(`${baseUrl}/staff`);
    await page.fill('#passkey-name', 'Ordinateur du bureau');
    await page.click('#add-passkey');
    await page.waitForFunction(() => document.querySelectorAll('#passkeys > li').length === 2);
    expect(await page.locator('#passkeys .passkey-name').allInnerTexts()).toEqual([PASSKEY_NAME, 'Ordinateur du bureau']);
    expect(await laptop.credentials()).toHaveLength(1);

    await page.locator('#passkeys > li', { hasText: PASSKEY_NAME }).locator('button').click();
    await page.waitForSelector('#done');
    expect(await page.locator('#passkeys .passkey-name').allInnerTexts()).toEqual(['Ordinateur du bureau']);
    await page.locator('#passkeys > li').locator('button').click();
    expect(await page.locator('.error-summary').innerText()).toMatch(/seul moyen de vous connecter/);
    expect(await page.locator('#passkeys > li').count()).toBe(1);

    // The new one signs her in.
    await page.click('#sign-out');
    await page.waitForURL(`${baseUrl}/sign-in`);
    await page.click('#passkey-sign-in');
    await page.waitForURL(`${baseUrl}/staff`);
    await sessionCookie(page.context());
  });

  it('without JavaScript the sign-in page offers only the password and code; password + TOTP and a recovery code still work', async () => {
    const noJs = await newVisit(browser(), { javaScript: false });
    try {
      await noJs.page.goto(`${baseUrl}/sign-in`);
      expect(await noJs.page.locator('#passkey-sign-in').isVisible()).toBe(false);
      expect(await noJs.page.locator('#email').isVisible()).toBe(true);
    } finally {
      await noJs.context.close();
    }

    const { page } = worker;
    await page.goto(`${baseUrl}/invite/${workerInvitation}`);
    workerSecret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
    registerSecrets(dataDir, { 'TOTP secret': workerSecret });
    await page.fill('#password', WORKER_PASSWORD);
    await page.fill('#code', totpCode(workerSecret, new Date()));
    await page.click('button[type=submit]');
    await page.waitForSelector('.recovery-codes');
    recoveryCodes = await page.locator('.recovery-codes code').allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);
    registerSecrets(dataDir, { 'recovery code': recoveryCodes });

    await page.goto(`${baseUrl}/sign-in`);
    await page.fill('#email', WORKER_EMAIL);
    await page.fill('#password', WORKER_PASSWORD);
    await page.fill('#code', recoveryCodes[0]!);
    await page.click('button[type=submit]');
    await page.waitForURL(`${baseUrl}/staff`);
    expect(await page.locator('#who-am-i').innerText()).toContain(WORKER_EMAIL);
    // Not an admin: no accounts, no audit page, no role change.
    expect(await page.locator('#accounts').count()).toBe(0);
    expect(await page.locator('#audit-link').count()).toBe(0);
    expect((await page.goto(`${baseUrl}/staff/audit`))?.status()).toBe(403);
    const cookie = await sessionCookie(worker.context);
    expect((await postAction('/staff?/changeRole', cookie, { account: 'x', role: 'admin' })).status).toBe(403);
    expect((await postAction('/staff?/endAnySession', cookie, { account: 'x', session: 'y' })).status).toBe(403);
    // Without a session: to the sign-in page.
    const anonymous = await fetch(`${baseUrl}/staff/audit`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/sign-in');
  });

  it('a role change asks who she is first (passkey), then is made and audited', async () => {
    const { page } = admin;
    await ageAuthentication(organizationId);
    await page.goto(`${baseUrl}/staff`);
    const row = page.locator('#accounts > li', { hasText: WORKER_EMAIL });
    workerId = (await row.getAttribute('data-account'))!;
    await row.locator('select[name=role]').selectOption('coordinator');
    await row.locator('form.change-role button').click();
    await page.waitForURL(`${baseUrl}/staff/confirm?next=%2Fstaff`);
    expect(await page.locator('#password').count()).toBe(0); // she has no password
    expect(await axeViolations(page), 'confirmation page (passkey)').toEqual([]);
    // Nothing changed yet.
    expect(await roleOf(organizationId, workerId)).toBe('social_worker');
    await page.waitForSelector('#confirm-passkey', { state: 'visible' });
    await page.click('#confirm-passkey');
    await page.waitForURL(`${baseUrl}/staff`);
    await row.locator('select[name=role]').selectOption('coordinator');
    await row.locator('form.change-role button').click();
    await page.waitForSelector('#done');
    expect(await page.locator('#done').innerText()).toMatch(/rôle est changé/);
    expect(await row.locator('.account-role').innerText()).toBe('coordination');
    expect(await roleOf(organizationId, workerId)).toBe('coordinator');
  });

  it('she confirms with her password and a code; a wrong code is refused with a summary', async () => {
    const { page } = worker;
    await page.goto(`${baseUrl}/staff/confirm?next=${encodeURIComponent('/staff')}`);
    expect(await page.locator('#confirm-passkey').count()).toBe(0); // she has no passkey
    await page.fill('#password', WORKER_PASSWORD);
    await page.fill('#code', '000000');
    const refused = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.click('button[type=submit]');
    expect((await refused).status()).toBe(400);
    expect(await page.locator('.error-summary').innerText()).toMatch(/confirmation n'a pas abouti/);
    expect(await axeViolations(page), 'confirmation page with errors').toEqual([]);
    await page.fill('#password', WORKER_PASSWORD);
    await page.fill('#code', totpCode(workerSecret, new Date(Date.now() + 30_000)));
    await page.click('button[type=submit]');
    await page.waitForURL(`${baseUrl}/staff`);
    const entry = await inOrganization(organizationId, (trx) =>
      trx.selectFrom('audit_entry').select('action').where('chain', '=', organizationId).where('actor_id', '=', workerId).where('action', '=', 'session.reauth').executeTakeFirst()
    );
    expect(entry).toBeDefined();
  });

  it('an admin ends another person\'s session from /staff: that browser is signed out', async () => {
    const { page } = admin;
    await page.goto(`${baseUrl}/staff`);
    const row = page.locator('#accounts > li', { hasText: WORKER_EMAIL });
    expect(await row.locator('.account-sessions > li').count()).toBe(1);
    await row.locator('.account-sessions form button').click();
    await page.waitForSelector('#done');
    expect(await page.locator('#accounts > li', { hasText: WORKER_EMAIL }).locator('.account-sessions').count()).toBe(0);
    await worker.page.goto(`${baseUrl}/staff`);
    expect(new URL(worker.page.url()).pathname).toBe('/sign-in');
  });

  it('the audit page: chain verified, filters by person, record and days, pages newest first; bad input is explained', async () => {
    const { page } = admin;
    // A busy log: 60 views of case records (the case tracker's `auditView`).
    await inOrganization(organizationId, async (trx) => {
      const adminId = (await trx.selectFrom('passkey').select('account_id').where('organization_id', '=', organizationId).executeTakeFirstOrThrow()).account_id;
      for (let i = 0; i < 60; i++) await auditView(trx, { organizationId, actorId: adminId, target: { kind: 'person', id: `person-${i}` } });
    });

    await page.goto(`${baseUrl}/staff`);
    await page.click('#audit-link');
    await page.waitForURL(`${baseUrl}/staff/audit`);
    expect(await page.locator('#chain-status').getAttribute('data-ok')).toBe('true');
    expect(await axeViolations(page), 'audit page').toEqual([]);
    const firstPage = await page.locator('#audit-entries tbody tr td:first-child').allInnerTexts();
    expect(firstPage).toHaveLength(50);
    const seqs = firstPage.map(Number);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    await page.click('#older');
    const secondPage = (await page.locator('#audit-entries tbody tr td:first-child').allInnerTexts()).map(Number);
    expect(secondPage[0]).toBe(seqs.at(-1)! - 1);
    expect(secondPage.at(-1)).toBe(1);
    expect(await page.locator('#newest').count()).toBe(1);

    // By person: only her entries.
    await page.goto(`${baseUrl}/staff/audit`);
    await page.selectOption('#actor', workerId);
    await page.click('.audit-filters button[type=submit]');
    await page.waitForURL((url) => url.searchParams.get('actor') === workerId);
    const actors = await page.locator('#audit-entries tbody td[data-actor]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-actor')));
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set([workerId]));
    expect(await page.locator('#audit-entries').innerText()).toContain(WORKER_EMAIL);

    // By record: what was done to her account.
    await page.goto(`${baseUrl}/staff/audit?kind=person_account&record=${workerId}`);
    const actions = await page.locator('#audit-entries tbody td code').allInnerTexts();
    expect(actions).toContain('account.role_change');

    // By days, French time.
    const today = parisDateKey(new Date());
    await page.goto(`${baseUrl}/staff/audit?from=${today}&to=${today}`);
    expect(await page.locator('#audit-entries tbody tr').count()).toBe(50);
    await page.goto(`${baseUrl}/staff/audit?from=${addParisDays(today, 1)}`);
    expect(await page.locator('#no-entries').count()).toBe(1);

    // Bad input: a summary linking to the field, the values kept, no 500.
    const bad = await page.goto(`${baseUrl}/staff/audit?from=2026-02-31&record=${encodeURIComponent('Jeanne Dupont')}`);
    expect(bad?.status()).toBe(200);
    expect(await page.locator('.error-summary a[href="#from"]').count()).toBe(1);
    expect(await page.locator('.error-summary a[href="#record"]').count()).toBe(1);
    expect(await page.inputValue('#record')).toBe('Jeanne Dupont');
    expect(await axeViolations(page), 'audit page with errors').toEqual([]);
  });

  it('disabling an account asks who she is first too', async () => {
    const { page } = admin;
    await ageAuthentication(organizationId);
    await page.goto(`${baseUrl}/staff`);
    const row = page.locator('#accounts > li', { hasText: WORKER_EMAIL });
    await row.locator('form[action="?/disable"] button').click();
    await page.waitForURL(`${baseUrl}/staff/confirm?next=%2Fstaff`);
    await page.click('#confirm-passkey');
    await page.waitForURL(`${baseUrl}/staff`);
    await page.locator('#accounts > li', { hasText: WORKER_EMAIL }).locator('form[action="?/disable"] button').click();
    await page.waitForSelector('#done');
    expect(await page.locator('#accounts > li', { hasText: WORKER_EMAIL }).innerText()).toMatch(/désactivé/);
    expect(admin.problems).toEqual([]);
  });
});
