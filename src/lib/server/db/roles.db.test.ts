import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, freshDatabases, openTestDatabase, testDialects, TEST_APP_ROLE } from '../../../../tests/support/databases';
import { openDatabase, pendingMigrations, prepareDatabase } from './connect';
import { appRoleProblems, grantAppRole, roleOf } from './roles';

describe.runIf(testDialects().includes('postgres'))('PostgreSQL roles: the owner migrates, the app owns nothing', () => {
  const fresh = freshDatabases('postgres');

  it('reads the role a URL logs in as', () => {
    expect(roleOf('postgres://relais_app:pw@db:5432/relais')).toBe('relais_app');
  });

  it('the app’s role, without the owner’s URL, starts on an up-to-date database and cannot migrate one', async () => {
    const ready = await fresh();
    await expect(prepareDatabase({ databaseUrl: ready.url })).resolves.toBeUndefined();
    const testDb = await createTestDatabase('postgres');
    try {
      await expect(prepareDatabase({ databaseUrl: testDb.url })).rejects.toThrow(/permission denied/);
      await expect(prepareDatabase({ databaseUrl: testDb.url, ownerDatabaseUrl: testDb.ownerUrl })).resolves.toBeUndefined();
      const handle = await openTestDatabase(testDb, { migrate: false });
      try {
        expect(await appRoleProblems(handle.db)).toEqual([]);
      } finally {
        await handle.close();
      }
    } finally {
      await testDb.drop();
    }
  });

  it('grants cover a table the owner creates later, and granting again changes nothing', async () => {
    const { db, owner } = await fresh();
    await sql`create table later_table (id text primary key)`.execute(owner);
    await sql`insert into later_table values ('x')`.execute(db);
    expect((await sql<{ id: string }>`select id from later_table`.execute(db)).rows).toEqual([{ id: 'x' }]);
    await grantAppRole(owner, TEST_APP_ROLE);
    await grantAppRole(owner, TEST_APP_ROLE);
    await expect(sql`insert into kysely_migration (name, timestamp) values ('x', 'y')`.execute(db)).rejects.toThrow(/permission denied/);
    expect(await appRoleProblems(db)).toEqual([]);
  });

  it('the app’s role reads the migrations, so that it can tell none is pending', async () => {
    const { url } = await fresh();
    const app = openDatabase(url, { poolSize: 1 });
    try {
      expect(await pendingMigrations(app.db)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
