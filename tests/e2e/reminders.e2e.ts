/**
 * Reminders and the calendar feed (issue 6), end to end: a social worker records a permit
 * expiring in 70 days in the browser; the renewal's reminder arrives as an email in a real
 * SMTP server started here, sent by `relais reminders run` (with `--now`, the morning it is
 * due); her private calendar feed shows the deadline by initials only; revoked, it is gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, scriptlessVisit, submit, useBrowser } from './support/browser';
import { createStaff, relais, signIn } from './support/staff';
import { startTestSmtp, type TestSmtp } from '../support/smtp';
import { addMonthsToDateKey } from '../../src/lib/accompaniment/machine';
import { reminderTime, REMINDER_RULES } from '../../src/lib/accompaniment/reminders';
import { fromParis, parisDateKey, parseDateKey } from '../../src/lib/time/paris-time';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const serverLog = inject('serverLog');
const browser = useBrowser();

// Obviously fake and distinctive: never in an email, a feed or a log line.
const PSEUDONYM = 'Wilhelmina Fakecalendar';
const SOCIAL = 'social.reminders.e2e@example.test';
const PEER = 'peer.reminders.e2e@example.test';

const run = promisify(execFile);
const dayKey = (offsetDays: number) => parisDateKey(new Date(Date.now() + offsetDays * 86_400_000));

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp?.close();
});

/**
 * `relais reminders run --json` against the e2e server's data, with the test SMTP server —
 * asynchronously: the SMTP server runs in this process and must answer meanwhile.
 */
async function remindersRun(now: Date): Promise<{ sent: number; late: number; failed: number; cancelled: number; errors: Record<string, number> }> {
  const env = {
    ...process.env,
    RELAIS_DATA_DIR: dataDir,
    DATABASE_URL: path.join(dataDir, 'relais.db'),
    ORIGIN: baseUrl,
    RELAIS_LOG_LEVEL: 'silent',
    RELAIS_SMTP_URL: smtp.url,
    RELAIS_MAIL_FROM: 'Relais E2E <relais@association.example>'
  };
  try {
    const { stdout } = await run(process.execPath, ['bin/relais.js', 'reminders', 'run', '--now', now.toISOString(), '--json'], { env, encoding: 'utf8' });
    return JSON.parse(stdout);
  } catch (error) {
    // Exit 1 when a send failed: the JSON answer says which codes.
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`relais reminders run failed: ${e.stdout ?? ''} ${e.stderr ?? ''}`);
  }
}

async function recordStep(page: Page, step: string, fill: Record<string, string>): Promise<number> {
  await page.click(`#next-steps a[href="?step=${step}"]`);
  await page.waitForSelector('#step-form');
  for (const [selector, value] of Object.entries(fill)) {
    if ((await page.locator(selector).evaluate((e) => e.tagName)) === 'SELECT') await page.selectOption(selector, value);
    else await page.fill(selector, value);
  }
  return submit(page, '#record-step');
}

const feed = (url: string) => fetch(url.replace(/^https?:\/\/[^/]+/, baseUrl), { headers: { connection: 'close' } });

describe('reminders: an email before the renewal, and a private calendar feed', () => {
  it('sends the renewal reminder of a permit expiring in 70 days by email, once; the feed shows initials only and is revocable', { timeout: 240_000 }, async () => {
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Rappels E2E');
    const social = await createStaff(baseUrl, dataDir, org.id!, 'social_worker', SOCIAL);
    await createStaff(baseUrl, dataDir, org.id!, 'peer_helper', PEER);

    const { page, context } = await scriptlessVisit(browser(), { phone: true, language: 'fr-FR,fr;q=0.9' });
    let recordPath = '';
    let feedUrl = '';
    try {
      await signIn(baseUrl, context, social);
      await page.goto(`${baseUrl}/staff/people/new`);
      await page.fill('#pseudonym', PSEUDONYM);
      await page.check('#consent_explained');
      expect(await submit(page, '#create-person')).toBe(303);
      await page.waitForSelector('#person-name');
      await page.selectOption('#kind', 'exit_programme');
      expect(await submit(page, '#open-procedure')).toBe(303);
      await page.waitForSelector('#procedure-state');
      recordPath = new URL(page.url()).pathname;
      expect(await recordStep(page, 'submit', { '#at_date': dayKey(-150), '#department': '93' })).toBe(303);
      expect(await recordStep(page, 'schedule_commission', { '#at_date': dayKey(-120), '#commission_date__date': dayKey(-100) })).toBe(303);
      expect(await recordStep(page, 'hold_commission', { '#at_date': dayKey(-100), '#opinion': 'favourable' })).toBe(303);
      expect(await recordStep(page, 'accept', { '#at_date': dayKey(-90) })).toBe(303);
      expect(await recordStep(page, 'issue_permit', { '#at_date': dayKey(-10), '#valid_from__date': dayKey(-10), '#valid_to__date': dayKey(70) })).toBe(303);
      await page.waitForSelector('#procedure-deadlines li[data-deadline="start_renewal"]');

      // Her private calendar: created on her page, its link shown once.
      await page.goto(`${baseUrl}/staff`);
      expect(await page.locator('#feed-status').innerText()).toMatch(/pas de lien/);
      expect(await page.locator('#reminder-emails').innerText()).toMatch(/pas encore activés/);
      expect(await submit(page, '#create-feed')).toBe(200);
      feedUrl = await page.inputValue('#feed-url');
      expect(feedUrl).toMatch(new RegExp(`^${baseUrl}/calendar/${org.id}\\.[A-Za-z0-9_-]{43}\\.ics$`));
      expect(await axeViolations(page), 'her page with a new calendar link').toEqual([]);
      await page.goto(`${baseUrl}/staff`);
      expect(await page.locator('#feed-url').count()).toBe(0);
      expect(await page.content()).not.toContain(feedUrl);
    } finally {
      await context.close();
    }

    // The feed: no cookie, never cached, the deadline by her initials and the step only.
    const answer = await feed(feedUrl);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('set-cookie')).toBeNull();
    const ics = (await answer.text()).replace(/\r\n /g, '');
    expect(ics).toContain('SUMMARY:W. F. · Commencer le renouvellement du titre');
    expect(ics).toContain('SUMMARY:W. F. · Fin de validité du titre');
    expect(ics).toContain(`URL:${baseUrl}${recordPath}`);
    for (const secret of ['Wilhelmina', 'Fakecalendar']) expect(ics).not.toContain(secret);

    // The reminder: the morning before the renewal is due (two months before the permit ends).
    const renewalDay = addMonthsToDateKey(dayKey(70), -2);
    const sendAt = reminderTime(fromParis({ ...parseDateKey(renewalDay)!, hour: 0, minute: 0 }), REMINDER_RULES.administrative[0]!);
    // The e2e server is shared: other journeys' reminders go too; only ours are counted.
    const ours = () => smtp.mails.filter((m) => m.to.includes(SOCIAL) || m.to.includes(PEER));
    expect(await remindersRun(new Date(sendAt.getTime() - 60_000))).toMatchObject({ failed: 0 });
    expect(ours()).toHaveLength(0);
    expect((await remindersRun(new Date(sendAt.getTime() + 5 * 60_000))).sent).toBeGreaterThanOrEqual(1);
    expect(ours()).toHaveLength(1);
    const mail = ours()[0]!;
    expect(mail.to).toEqual([SOCIAL]);
    expect(mail.from).toBe('relais@association.example');
    expect(mail.subject).toMatch(/^Relais : une échéance le /);
    expect(mail.text).toContain('W. F. (Parcours de sortie de la prostitution)');
    expect(mail.text).toContain('Commencer le renouvellement du titre — échéance :');
    expect(mail.text).not.toContain('en retard');
    expect(mail.text).toContain(`${baseUrl}${recordPath}`);
    for (const secret of ['Wilhelmina', 'Fakecalendar']) for (const m of smtp.mails) expect(m.raw).not.toContain(secret);
    // Sent once: a second run (another process, a restart) sends nothing; the peer helper,
    // not assigned to her, gets nothing.
    await remindersRun(new Date(sendAt.getTime() + 6 * 60_000));
    expect(ours().map((m) => m.to)).toEqual([[SOCIAL]]);

    // The link in the email opens her record, after sign-in only.
    const anonymous = await fetch(`${baseUrl}${recordPath}`, { redirect: 'manual', headers: { connection: 'close' } });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/sign-in');

    // Revoked: the feed is gone.
    const again = await scriptlessVisit(browser(), { phone: true, language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, again.context, social);
      await again.page.goto(`${baseUrl}/staff`);
      expect(await again.page.locator('#feed-status').innerText()).toMatch(/marche depuis le/);
      expect(await submit(again.page, '#revoke-feed')).toBe(200);
      expect(await again.page.locator('#feed-revoked').innerText()).toMatch(/révoqué/);
      expect(await again.page.locator('#create-feed').count()).toBe(1);
      expect(await axeViolations(again.page), 'her page after revoking').toEqual([]);
    } finally {
      await again.context.close();
    }
    expect((await feed(feedUrl)).status).toBe(404);

    // The secret never reaches the log; the access log names the path without it.
    const log = fs.readFileSync(serverLog, 'utf8');
    const secret = feedUrl.split('.').at(-2)!;
    expect(log).not.toContain(secret);
    expect(log).toContain('/calendar/[token]');
    for (const s of ['Wilhelmina', 'Fakecalendar']) expect(log).not.toContain(s);
  });
});
