/**
 * For the command line's database tests: each test gets a fresh test database and data
 * directory, and the environment the `relais` command reads points at them (restored after).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createTestDatabase, databaseEnv, type TestDatabase } from './databases';
import type { Dialect } from '../../src/lib/server/db/connect';
import { ensureMasterKey } from '../../src/lib/server/crypto/master-key';
import type { Io } from '../../cli/command';

/** An Io that keeps what a command printed. */
export function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

/**
 * Registers the hooks; `ready` receives each test's database and directory. `masterKey`: the
 * key file is made first (else the first command that needs one makes it); `origin`: ORIGIN.
 */
export function cliSandbox(dialect: Dialect, ready: (testDb: TestDatabase, dir: string) => void, options: { masterKey?: boolean; origin?: string } = {}): void {
  const saved = { ...process.env };
  let current: { testDb: TestDatabase; dir: string } | null = null;
  beforeEach(async () => {
    const testDb = await createTestDatabase(dialect);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-cli-'));
    current = { testDb, dir };
    // On PostgreSQL: the app's role in DATABASE_URL, the owner's in RELAIS_OWNER_DATABASE_URL.
    Object.assign(process.env, databaseEnv(testDb));
    process.env.RELAIS_DATA_DIR = dir;
    process.env.RELAIS_MASTER_KEY_FILE = path.join(dir, 'master.key');
    if (options.origin) process.env.ORIGIN = options.origin;
    if (options.masterKey) ensureMasterKey(process.env.RELAIS_MASTER_KEY_FILE);
    ready(testDb, dir);
  });
  afterEach(async () => {
    process.env = { ...saved };
    if (current) {
      await current.testDb.drop();
      fs.rmSync(current.dir, { recursive: true, force: true });
      current = null;
    }
  });
}
