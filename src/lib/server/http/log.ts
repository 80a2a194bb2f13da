import { randomBytes } from 'node:crypto';

/**
 * The only logger. It writes one line per event with ids and codes — never a name, a
 * contact, a note, a query string or a request body. Call sites pass structured fields;
 * `message` must be a constant string.
 */
type Level = 'info' | 'warn' | 'error';
const order: Record<Level | 'silent', number> = { info: 0, warn: 1, error: 2, silent: 3 };

function threshold(): number {
  const level = (process.env.RELAIS_LOG_LEVEL ?? 'info') as Level | 'silent';
  return order[level] ?? 0;
}

export function log(level: Level, message: string, fields: Record<string, string | number | boolean | null> = {}): void {
  if (order[level] < threshold()) return;
  const parts = [new Date().toISOString(), level, message];
  for (const [k, v] of Object.entries(fields)) parts.push(`${k}=${JSON.stringify(v)}`);
  (level === 'info' ? process.stdout : process.stderr).write(parts.join(' ') + '\n');
}

/** A short random reference shown to the user and written in the log, to find one error. */
export function newReference(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}

/** The stack frames of an error without its message (messages can carry input values). */
export function stackFrames(error: unknown): string {
  if (!(error instanceof Error) || !error.stack) return '';
  return error.stack
    .split('\n')
    .filter((line) => line.trim().startsWith('at '))
    .slice(0, 8)
    .map((line) => line.trim().replace(/\(file:\/\/[^)]*\/(src|node_modules|build)\//, '($1/'))
    .join(' | ');
}
