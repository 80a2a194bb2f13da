import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach } from 'vitest';
import { migrateToLatest, openDatabase, type Db, type Dialect } from '../../src/lib/server/db/connect';

/**
 * The dialects database tests run on. The test command always provides PostgreSQL
 * (TEST_DATABASE_URL, a database on which it may CREATE DATABASE); under CI it is required.
 */
export function testDialects(): Dialect[] {
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (process.env.CI) throw new Error('TEST_DATABASE_URL is required under CI: run the tests with `npm test`');
  console.warn('TEST_DATABASE_URL is not set: database tests run on SQLite only (npm test runs both)');
  return ['sqlite'];
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a new SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-db-'));
    return { url: path.join(dir, 'test.db'), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `relais_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    }
  };
}

/**
 * For a `describe` block: `open()` gives a fresh, empty database (migrated unless asked not
 * to be), closed and dropped after each test, however many a test opens.
 */
export function freshDatabases(dialect: Dialect): (options?: { migrate?: boolean; poolSize?: number }) => Promise<Db & { url: string }> {
  const opened: Array<{ handle: Db; testDb: TestDatabase }> = [];
  afterEach(async () => {
    for (const { handle, testDb } of opened.splice(0)) {
      await handle.close().catch(() => {});
      await testDb.drop();
    }
  });
  return async ({ migrate = true, poolSize }: { migrate?: boolean; poolSize?: number } = {}) => {
    const testDb = await createTestDatabase(dialect);
    const handle = openDatabase(testDb.url, { poolSize });
    opened.push({ handle, testDb });
    if (migrate) await migrateToLatest(handle.db);
    return { ...handle, url: testDb.url };
  };
}
