import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture, cliSandbox } from '../tests/support/cli';
import { sql } from 'kysely';
import { createTestDatabase, databaseEnv, testDialects, type TestDatabase } from '../tests/support/databases';
import { openDatabase } from '../src/lib/server/db/connect';
import { readMasterKey } from '../src/lib/server/crypto/master-key';
import { acceptInvitation, findAccountsByEmail, readAccountEmail, startSession } from '../src/lib/server/accounts/account.service';
import { main } from './main';

const EMAIL = 'Wendeline.Fake@example.test';

describe.each(testDialects())('relais accounts, audit, keys and backups on %s', (dialect) => {
  let testDb: TestDatabase;
  let dir: string;
  cliSandbox(
    dialect,
    (db, d) => {
      testDb = db;
      dir = d;
    }, { masterKey: true, origin: 'https://relais.example.test' }
  );
  async function run(...argv: string[]) {
    const io = capture();
    const code = await main(argv, io);
    // No command ever prints the address it was given (the invitation link is the one secret it shows).
    expect([...io.stdout, ...io.stderr].join('\n')).not.toMatch(/wendeline/i);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  }
  async function withDb<T>(work: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> {
    const handle = openDatabase(process.env.DATABASE_URL!);
    try {
      return await work(handle.db);
    } finally {
      await handle.close();
    }
  }
  /** Rows without isolation (a PostgreSQL superuser; SQLite without the tenant guard). */
  async function withRaw<T>(database: TestDatabase, work: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> {
    const handle = openDatabase(database.adminUrl);
    try {
      return await work(handle.db.withoutPlugins());
    } finally {
      await handle.close();
    }
  }

  it('creates the master key with the first organization, and never once data may need the old one', async () => {
    const keyFile = process.env.RELAIS_MASTER_KEY_FILE!;
    fs.rmSync(keyFile);
    const first = await run('org', 'create', '--name', 'Première', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out).name).toBe('Première');
    expect(first.err).toMatch(/Created the master key/);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    fs.rmSync(keyFile);
    const second = await run('org', 'create', '--name', 'Deuxième');
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/cannot read the master key/);
    expect(fs.existsSync(keyFile)).toBe(false);
  });

  it('creates an organization, invites, disables, verifies the audit log', async () => {
    const created = await run('org', 'create', '--name', 'Association Test', '--json');
    expect(created.code).toBe(0);
    const orgId = JSON.parse(created.out).id as string;

    expect((await run('user', 'invite', '--org', orgId, '--email', EMAIL, '--role', 'king')).code).toBe(2);
    expect((await run('user', 'invite', '--org', orgId, '--email', 'nope', '--role', 'member')).code).toBe(2);
    expect((await run('user', 'invite', '--org', 'no-such-org', '--email', EMAIL, '--role', 'member')).code).toBe(1);
    const invited = await run('user', 'invite', '--org', orgId, '--email', EMAIL, '--role', 'lawyer', '--json');
    expect(invited.code).toBe(0);
    const link = JSON.parse(invited.out).link as string;
    expect(link).toMatch(new RegExp(`^https://relais\\.example\\.test/invite/${orgId}\\.[A-Za-z0-9_-]{43}$`));
    const token = link.split('/').pop()!;
    const masterKey = readMasterKey(process.env.RELAIS_MASTER_KEY_FILE!);
    const session = await withDb(async (db) => {
      const { accountId } = await acceptInvitation(db, masterKey, token);
      return startSession(db, { organizationId: orgId, accountId });
    });
    expect(session.token).toBeTruthy();

    expect((await run('user', 'disable', 'nobody.fake@example.test')).code).toBe(1);
    const disabled = await run('user', 'disable', EMAIL.toUpperCase());
    expect(disabled).toMatchObject({ code: 0, out: expect.stringMatching(/1 session\(s\) ended/) });
    expect(disabled.out).not.toContain('Wendeline');
    await withRaw(testDb, async (db) => {
      expect(await db.selectFrom('session').selectAll().execute()).toHaveLength(1);
      const open = await db.selectFrom('session').selectAll().where('ended_at', 'is', null).execute();
      expect(open).toEqual([]);
    });

    const verified = await run('audit', 'verify', '--json');
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ ok: true, entries: 4 });
    await withRaw(testDb, (db) => sql`UPDATE audit_entry SET action = 'session.end' WHERE seq = 2`.execute(db));
    const tampered = await run('audit', 'verify');
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/entry 2 edited/);
  });

  it('rotates the master key: old kept as .previous, everything still readable', async () => {
    const orgId = JSON.parse((await run('org', 'create', '--name', 'A', '--json')).out).id as string;
    const link = JSON.parse((await run('user', 'invite', '--org', orgId, '--email', EMAIL, '--role', 'member', '--json')).out).link as string;
    const keyFile = process.env.RELAIS_MASTER_KEY_FILE!;
    const oldKey = readMasterKey(keyFile);
    await withDb((db) => acceptInvitation(db, oldKey, link.split('/').pop()!));

    const rotated = await run('keys', 'rotate', '--json');
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.out).rewrapped).toBe(1);
    const newKey = readMasterKey(keyFile);
    expect(newKey.equals(oldKey)).toBe(false);
    expect(readMasterKey(`${keyFile}.previous`).equals(oldKey)).toBe(true);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    await withDb(async (db) => {
      const [account] = await findAccountsByEmail(db, newKey, EMAIL);
      expect(await readAccountEmail(db, newKey, account!)).toBe(EMAIL);
    });
    // Until the operator has dealt with .previous, a second rotation is refused.
    expect((await run('keys', 'rotate')).code).toBe(1);
    expect((await run('audit', 'verify')).code).toBe(0);
  });

  it('backs up while running and restores into an empty database only', async () => {
    const orgId = JSON.parse((await run('org', 'create', '--name', 'A', '--json')).out).id as string;
    await run('user', 'invite', '--org', orgId, '--email', EMAIL, '--role', 'member');
    const out = path.join(dir, 'relais.backup');
    const backup = await run('backup', '--out', out);
    expect(backup.code).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(out).includes(Buffer.from('Wendeline'))).toBe(false);
    expect((await run('backup', '--out', out)).code).toBe(1); // never overwrites

    expect((await run('restore', '--from', out)).code).toBe(1); // not empty
    const target = await createTestDatabase(dialect);
    try {
      Object.assign(process.env, databaseEnv(target));
      const restored = await run('restore', '--from', out, '--json');
      expect(restored.code).toBe(0);
      expect(JSON.parse(restored.out).tables).toMatchObject({ organization: 1, invitation: 1 });
      const key = readMasterKey(process.env.RELAIS_MASTER_KEY_FILE!);
      await withRaw(target, async (db) => {
        const invitation = await db.selectFrom('invitation').selectAll().executeTakeFirstOrThrow();
        expect(invitation.organization_id).toBe(orgId);
        expect(key.length).toBe(32);
      });
      expect((await run('audit', 'verify')).code).toBe(0);
    } finally {
      Object.assign(process.env, databaseEnv(testDb));
      await target.drop();
    }
  });

  it('answers bad usage with exit code 2', async () => {
    expect((await run('org', 'create')).code).toBe(2);
    expect((await run('backup')).code).toBe(2);
    expect((await run('restore')).code).toBe(2);
    expect((await run('user', 'disable')).code).toBe(2);
  });
});
