import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { migrateDownAll, migrateToLatest, pendingMigrations } from './connect';
import { migrations } from './migrations/index';

describe.each(testDialects())('database on %s', (dialect) => {
  const fresh = freshDatabases(dialect);
  // Schema changes are the owner's (on PostgreSQL the app's role may not create a table).
  const open = async () => {
    const handle = await fresh({ migrate: false });
    return { ...handle, db: handle.owner };
  };

  it('opens the dialect the URL names', async () => {
    const { dialect: opened } = await open();
    expect(opened).toBe(dialect);
  });

  it('applies every migration, then none is pending, and a second run changes nothing', async () => {
    const { db } = await open();
    const first = await migrateToLatest(db);
    expect(first.results?.map((r) => r.migrationName)).toEqual(Object.keys(migrations).sort());
    expect(await pendingMigrations(db)).toEqual([]);
    const second = await migrateToLatest(db);
    expect(second.results).toEqual([]);
  });

  it('stores and reads back instance settings', async () => {
    const { db } = await open();
    await migrateToLatest(db);
    await db.insertInto('instance_setting').values({ key: 'k', value: 'v', updated_at: '2026-11-29T00:00:00Z' }).execute();
    const row = await db.selectFrom('instance_setting').selectAll().where('key', '=', 'k').executeTakeFirstOrThrow();
    expect(row.value).toBe('v');
  });

  it('undoes every migration down to an empty schema', async () => {
    const { db } = await open();
    await migrateToLatest(db);
    await migrateDownAll(db);
    expect(await pendingMigrations(db)).toEqual(Object.keys(migrations).sort());
    const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_'));
    expect(tables).toEqual([]);
  });

  if (dialect === 'sqlite') {
    it('runs SQLite in WAL mode with foreign keys enforced', async () => {
      const { db } = await open();
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    });
  }
});
