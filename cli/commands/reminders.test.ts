import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../main';
import type { Io } from '../command';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

describe('relais reminders run', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is listed, with its own help', async () => {
    const io = capture();
    expect(await main(['reminders', 'run', '--help'], io)).toBe(0);
    expect(io.stdout.join('')).toMatch(/Usage: relais reminders run \[--now/);
  });

  it('refuses a --now that is not a date and time (exit 2)', async () => {
    const io = capture();
    expect(await main(['reminders', 'run', '--now', 'tomorrow'], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/--now must be a date and time/);
  });

  it('sends nothing and says why when SMTP is not configured (exit 1)', async () => {
    delete process.env.RELAIS_SMTP_URL;
    delete process.env.RELAIS_MAIL_FROM;
    const io = capture();
    expect(await main(['reminders', 'run'], io)).toBe(1);
    expect(io.stderr.join('')).toMatch(/SMTP is not configured: set RELAIS_SMTP_URL/);
  });
});
