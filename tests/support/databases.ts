import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { afterEach } from 'vitest';
import { openDatabase, openOperatorDatabase, type Db, type Dialect } from '../../src/lib/server/db/connect';
import type { Database } from '../../src/lib/server/db/schema';

/**
 * The dialects database tests run on. The test command always provides PostgreSQL
 * (TEST_DATABASE_URL, a superuser's database on which it may CREATE DATABASE and CREATE
 * ROLE); under CI it is required.
 */
export function testDialects(): Dialect[] {
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (process.env.CI) throw new Error('TEST_DATABASE_URL is required under CI: run the tests with `npm test`');
  console.warn('TEST_DATABASE_URL is not set: database tests run on SQLite only (npm test runs both)');
  return ['sqlite'];
}

/**
 * The roles of a PostgreSQL test database, as in production (docs/deploy.md): the owner
 * owns the tables and migrates; the app connects as a role that owns nothing and cannot
 * bypass row-level security. Roles belong to the whole cluster: they are created once,
 * idempotently, and shared by every test database (and every process running tests).
 */
export const TEST_OWNER_ROLE = 'relais_test_owner';
export const TEST_APP_ROLE = 'relais_test_app';
const TEST_ROLE_PASSWORD = 'relais-test-only';

let rolesReady: Promise<void> | undefined;

async function ensureTestRoles(adminUrl: string): Promise<void> {
  rolesReady ??= (async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      for (const role of [TEST_OWNER_ROLE, TEST_APP_ROLE]) {
        // Two test processes may create it at once: the loser's error is swallowed.
        await admin.query(`DO $$ BEGIN
          CREATE ROLE ${role} LOGIN PASSWORD '${TEST_ROLE_PASSWORD}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
      }
      const { rows } = await admin.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
        `SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname IN ($1, $2)`,
        [TEST_OWNER_ROLE, TEST_APP_ROLE]
      );
      for (const r of rows) if (r.rolsuper || r.rolbypassrls) throw new Error(`the test role ${r.rolname} must be NOSUPERUSER NOBYPASSRLS`);
      if (rows.length !== 2) throw new Error('the test roles could not be created');
    } finally {
      await admin.end();
    }
  })().catch((error) => {
    rolesReady = undefined;
    throw error;
  });
  return rolesReady;
}

function urlAs(adminUrl: string, database: string, role?: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (role) {
    url.username = role;
    url.password = TEST_ROLE_PASSWORD;
  }
  return url.toString();
}

export interface TestDatabase {
  dialect: Dialect;
  /** The app's connection: on PostgreSQL the non-owner app role, under row-level security. */
  url: string;
  /** The owner's connection (migrations, operator commands); SQLite: the same file. */
  ownerUrl?: string;
  /**
   * PostgreSQL: a superuser's connection to this database, which bypasses row-level
   * security (to inspect or tamper with raw rows, as someone holding the server would).
   * SQLite: the file.
   */
  adminUrl: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a new SQLite file, or a new PostgreSQL database owned by the owner role. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-db-'));
    const file = path.join(dir, 'test.db');
    return { dialect, url: file, adminUrl: file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  await ensureTestRoles(adminUrl);
  const name = `relais_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} OWNER ${TEST_OWNER_ROLE}`);
  } finally {
    await admin.end();
  }
  return {
    dialect,
    url: urlAs(adminUrl, name, TEST_APP_ROLE),
    ownerUrl: urlAs(adminUrl, name, TEST_OWNER_ROLE),
    adminUrl: urlAs(adminUrl, name),
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

/** The environment the app and the command line read for this database. */
export function databaseEnv(testDb: TestDatabase): Record<string, string> {
  return testDb.ownerUrl ? { DATABASE_URL: testDb.url, RELAIS_OWNER_DATABASE_URL: testDb.ownerUrl } : { DATABASE_URL: testDb.url };
}

export interface TestHandles extends Db {
  /** The app's connection URL (the non-owner role on PostgreSQL). */
  url: string;
  testDb: TestDatabase;
  /** The owner's handle (schema changes); on SQLite the app's handle. */
  owner: Kysely<Database>;
  /**
   * No isolation: a PostgreSQL superuser without the tenant guard, or SQLite without the
   * tenant guard. For tests that read or tamper with raw rows, never for the code under test.
   */
  raw: Kysely<Database>;
}

/**
 * Opens a test database as the app would: migrated by the owner (which grants the app's
 * role), then connected as the app's role. Closes every handle it opened in `close`.
 */
export async function openTestDatabase(testDb: TestDatabase, options: { migrate?: boolean; poolSize?: number } = {}): Promise<TestHandles> {
  const urls = { databaseUrl: testDb.url, ownerDatabaseUrl: testDb.ownerUrl };
  const extra: Db[] = [];
  let owner: Db | undefined;
  if (options.migrate ?? true) owner = await openOperatorDatabase(urls, { poolSize: 2 });
  else if (testDb.ownerUrl) owner = openDatabase(testDb.ownerUrl, { poolSize: 2 });
  const app = openDatabase(testDb.url, { poolSize: options.poolSize });
  if (owner && testDb.dialect === 'postgres') extra.push(owner);
  else await owner?.close();
  let raw = app.db.withoutPlugins();
  if (testDb.dialect === 'postgres') {
    const admin = openDatabase(testDb.adminUrl, { poolSize: 2 });
    extra.push(admin);
    raw = admin.db.withoutPlugins();
  }
  return {
    ...app,
    url: testDb.url,
    testDb,
    owner: testDb.dialect === 'postgres' ? owner!.db : app.db,
    raw,
    async close() {
      await app.close();
      for (const e of extra) await e.close().catch(() => {});
    }
  };
}

/**
 * For a `describe` block: `open()` gives a fresh, empty database (migrated unless asked not
 * to be), closed and dropped after each test, however many a test opens.
 */
export function freshDatabases(dialect: Dialect): (options?: { migrate?: boolean; poolSize?: number }) => Promise<TestHandles> {
  const opened: Array<{ handle: TestHandles; testDb: TestDatabase }> = [];
  afterEach(async () => {
    for (const { handle, testDb } of opened.splice(0)) {
      await handle.close().catch(() => {});
      await testDb.drop();
    }
  });
  return async ({ migrate = true, poolSize }: { migrate?: boolean; poolSize?: number } = {}) => {
    const testDb = await createTestDatabase(dialect);
    const handle = await openTestDatabase(testDb, { migrate, poolSize });
    opened.push({ handle, testDb });
    return handle;
  };
}
