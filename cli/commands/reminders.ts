import { readConfig } from '../../src/lib/server/config';
import { smtpMailer } from '../../src/lib/server/mail/mailer';
import { runReminders } from '../../src/lib/server/accompaniment/reminder.service';
import { parseIsoDateTime } from '../../src/lib/time/paris-time';
import { CommandFailure, EXIT_FAILURE, EXIT_OK, UsageError, printJson, type Command } from '../command';
import { withInstance } from './accounts';

/**
 * Sends the reminders that are due now, once, and says what it did — what the worker of
 * `relais serve` does every minute. Safe beside running servers (claims keep them apart).
 * `--now` acts as if it were that time: for tests and drills (a reminder due later is sent
 * now, and recorded as sent at that time).
 */
export const remindersRunCommand: Command = {
  name: 'reminders run',
  summary: 'send the reminder emails that are due (serve does it every minute); needs RELAIS_SMTP_URL',
  usage: 'relais reminders run [--now <YYYY-MM-DDTHH:mm[+01:00]>] [--json]',
  options: { now: { type: 'string' } },
  async run({ values, io }) {
    let now: Date | undefined;
    if (values.now !== undefined) {
      now = parseIsoDateTime(String(values.now)) ?? undefined;
      if (!now) throw new UsageError('--now must be a date and time such as 2026-12-24T08:00 (Paris time) or 2026-12-24T07:00Z');
    }
    const config = readConfig();
    if (!config.smtpUrl || !config.mailFrom) throw new CommandFailure('SMTP is not configured: set RELAIS_SMTP_URL and RELAIS_MAIL_FROM (docs/deploy.md); nothing was sent');
    const mailer = smtpMailer(config.smtpUrl, config.mailFrom);
    try {
      const summary = await withInstance(({ db, masterKey, origin }) => runReminders(db, masterKey, mailer, { origin, now }));
      if (values.json) printJson(io, summary);
      else {
        io.out(`reminders: ${summary.sent} sent (${summary.late} late), ${summary.failed} failed, ${summary.cancelled} cancelled, in ${summary.organizations} organization(s)`);
        for (const [code, count] of Object.entries(summary.errors)) io.err(`  ${count} failed with ${code}: they will be tried again`);
      }
      return summary.failed ? EXIT_FAILURE : EXIT_OK;
    } finally {
      mailer.close();
    }
  }
};
