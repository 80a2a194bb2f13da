/**
 * The reminder worker `relais serve` starts when SMTP is configured: a run at start (what
 * fell due while the server was stopped is caught up at once), then one every interval.
 * Runs never overlap; a failed run is logged (codes and counts only) and the next one
 * tries again. Several processes may each run one: claims keep them apart
 * (reminder.service.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { log } from '../http/log';
import type { Mailer } from '../mail/mailer';
import { runReminders, type RunSummary } from './reminder.service';

export const REMINDER_INTERVAL_MS = 60_000;

export interface ReminderWorker {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startReminderWorker(options: {
  db: Kysely<Database>;
  masterKey: Buffer;
  mailer: Mailer;
  origin: string;
  intervalMs?: number;
  /** Tests: called after each run. */
  onRun?: (summary: RunSummary | null) => void;
}): ReminderWorker {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = runReminders(options.db, options.masterKey, options.mailer, { origin: options.origin })
      .then((summary) => {
        if (summary.sent || summary.failed || summary.cancelled) {
          log(summary.failed ? 'warn' : 'info', 'reminders', { sent: summary.sent, late: summary.late, failed: summary.failed, cancelled: summary.cancelled, errors: Object.keys(summary.errors).join(',') });
        }
        options.onRun?.(summary);
      })
      .catch((error: unknown) => {
        log('error', 'reminders: run failed', { name: error instanceof Error ? error.name : typeof error, code: String((error as { code?: unknown })?.code ?? '') });
        options.onRun?.(null);
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(run, options.intervalMs ?? REMINDER_INTERVAL_MS);
  timer.unref();
  run();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    }
  };
}
