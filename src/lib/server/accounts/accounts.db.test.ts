import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { freshDatabases, testDialects, type TestHandles } from '../../../../tests/support/databases';
import { openDatabase } from '../db/connect';
import { inTenant } from '../db/tenant';
import { hashToken } from '../crypto/envelope';
import { verifyAudit } from '../audit/audit';
import { BACKUP_TABLES, dumpDatabase, loadDatabase, openBackup, sealBackup } from '../backup/backup';
import { createOrganization, dataKeyOf, rotateMasterKey } from './organization.service';
import {
  acceptInvitation,
  disableAccount,
  findAccountsByEmail,
  inviteAccount,
  readAccountEmail,
  readTotpSecret,
  startSession,
  storeTotpSecret
} from './account.service';
import { findLiveSessionByHash } from './session.repository';

const cli = { id: 'cli' };
// Obviously fake, and distinctive enough that finding them anywhere means a leak.
const SECRET_EMAIL = 'Zorblax.Quenthorpe.Fake@example.test';
const SECRET_TOTP = 'JBSWY3DPEHPK3PXPQUIXOTEFAKE';

describe.each(testDialects())('accounts on %s', (dialect) => {
  const fresh = freshDatabases(dialect);
  // The app's handle (on PostgreSQL its non-owner role, under row-level security); `raw`
  // reads and alters rows without isolation, as someone holding the database would.
  let handle: TestHandles;
  let raw: TestHandles['raw'];
  async function open() {
    handle = await fresh();
    raw = handle.raw;
    return handle.db;
  }
  /** An organization with one active account that has a TOTP secret and a session. */
  async function seed(db: TestHandles['db'], masterKey: Buffer) {
    const org = await createOrganization(db, masterKey, { name: 'Association Test', actor: cli });
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: SECRET_EMAIL, role: 'social_worker', actor: cli });
    const account = await acceptInvitation(db, masterKey, invitation.token);
    await storeTotpSecret(db, masterKey, { organizationId: org.id, accountId: account.accountId, secret: SECRET_TOTP });
    const session = await startSession(db, { organizationId: org.id, accountId: account.accountId });
    return { org, invitation, account, session };
  }

  it('invites with a one-time link whose token is stored only as a hash', async () => {
    const db = await open();
    const masterKey = randomBytes(32);
    const { org, invitation, account } = await seed(db, masterKey);
    const row = await raw.selectFrom('invitation').selectAll().executeTakeFirstOrThrow();
    // The link names its organization, then the secret; only the secret's hash is kept.
    const [orgPart, secret] = invitation.token.split('.');
    expect(orgPart).toBe(org.id);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.token_hash).toBe(hashToken(secret!));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(72 * 3600_000);
    expect(account).toMatchObject({ organizationId: org.id, role: 'social_worker' });
    // One time only, and the same answer as an unknown token.
    await expect(acceptInvitation(db, masterKey, invitation.token)).rejects.toMatchObject({ code: 'not_found' });
    await expect(acceptInvitation(db, masterKey, 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('answers a link or a cookie whose organization was changed like an unknown one', async () => {
    const db = await open();
    const masterKey = randomBytes(32);
    const other = await createOrganization(db, masterKey, { name: 'Other', actor: cli });
    const { org, account, session } = await seed(db, masterKey);
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: 'second.fake@example.test', role: 'member', actor: cli });
    const moved = (token: string) => `${other.id}.${token.split('.')[1]}`;
    await expect(acceptInvitation(db, masterKey, moved(invitation.token))).rejects.toMatchObject({ code: 'not_found' });
    await expect(acceptInvitation(db, masterKey, `${other.id}.${'A'.repeat(43)}`)).rejects.toMatchObject({ code: 'not_found' });
    const now = new Date().toISOString();
    expect(await inTenant(db, other.id, (trx) => findLiveSessionByHash(trx, other.id, session.sessionId, now))).toBeUndefined();
    expect(await inTenant(db, org.id, (trx) => findLiveSessionByHash(trx, org.id, session.sessionId, now))).toMatchObject({ account_id: account.accountId });
    // The real link still works: nothing was spent by the attempts.
    await expect(acceptInvitation(db, masterKey, invitation.token)).resolves.toMatchObject({ organizationId: org.id });
  });

  it('refuses an expired invitation', async () => {
    const db = await open();
    const masterKey = randomBytes(32);
    const org = await createOrganization(db, masterKey, { name: 'A', actor: cli });
    const now = new Date('2026-12-01T10:00:00Z');
    const { token } = await inviteAccount(db, masterKey, { organizationId: org.id, email: 'a.fake@example.test', role: 'member', actor: cli, now });
    await expect(acceptInvitation(db, masterKey, token, new Date('2026-12-04T10:00:01Z'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(acceptInvitation(db, masterKey, token, new Date('2026-12-04T09:59:59Z'))).resolves.toMatchObject({ role: 'member' });
  });

  it('finds an account by email through the blind index, in its organization only', async () => {
    const db = await open();
    const masterKey = randomBytes(32);
    const { account } = await seed(db, masterKey);
    await createOrganization(db, masterKey, { name: 'Other', actor: cli });
    const found = await findAccountsByEmail(db, masterKey, '  zorblax.quenthorpe.fake@EXAMPLE.test ');
    expect(found.map((a) => a.id)).toEqual([account.accountId]);
    expect(await readAccountEmail(db, masterKey, found[0]!)).toBe(SECRET_EMAIL);
    expect(await readTotpSecret(db, masterKey, found[0]!)).toBe(SECRET_TOTP);
  });

  it('does not decrypt an email copied into another account’s row', async () => {
    const db = await open();
    const masterKey = randomBytes(32);
    const { org } = await seed(db, masterKey);
    const other = await inviteAccount(db, masterKey, { organizationId: org.id, email: 'other.fake@example.test', role: 'member', actor: cli });
    const otherAccount = await acceptInvitation(db, masterKey, other.token);
    const victim = await raw.selectFrom('person_account').selectAll().where('id', '!=', otherAccount.accountId).executeTakeFirstOrThrow();
    await raw.updateTable('person_account').set({ email_encrypted: victim.email_encrypted }).where('id', '=', otherAccount.accountId).execute();
    const moved = await raw.selectFrom('person_account').selectAll().where('id', '=', otherAccount.accountId).executeTakeFirstOrThrow();
    await expect(readAccountEmail(db, masterKey, moved)).rejects.toThrow(/decryption failed/);
  });

  it('disabling an account ends its sessions at once and refuses new ones', async () => {
    const db = await open();
    const masterKey = randomBytes(32);
    const { org, account, session } = await seed(db, masterKey);
    const now = new Date().toISOString();
    const live = () => inTenant(db, org.id, (trx) => findLiveSessionByHash(trx, org.id, session.sessionId, now));
    expect(session.sessionId).toBe(hashToken(session.token.split('.')[1]!));
    expect(await live()).toBeDefined();
    expect(await disableAccount(db, { organizationId: org.id, accountId: account.accountId, actor: cli })).toEqual({ sessionsEnded: 1 });
    expect(await live()).toBeUndefined();
    await expect(startSession(db, { organizationId: org.id, accountId: account.accountId })).rejects.toMatchObject({ code: 'forbidden' });
    // Another organization cannot name this account: the same answer as no account.
    const other = await createOrganization(db, masterKey, { name: 'Other', actor: cli });
    await expect(disableAccount(db, { organizationId: other.id, accountId: account.accountId, actor: cli })).rejects.toMatchObject({ code: 'not_found' });
    await expect(disableAccount(db, { organizationId: other.id, accountId: '00000000-0000-4000-8000-000000000000', actor: cli })).rejects.toMatchObject({ code: 'not_found' });
    const report = await verifyAudit(db);
    expect(report.ok).toBe(true);
    const actions = await raw.selectFrom('audit_entry').select('action').where('organization_id', '=', org.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['organization.create', 'invitation.create', 'invitation.accept', 'account.disable']);
  });

  it('keeps everything readable after a master key rotation', async () => {
    const db = await open();
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const { org } = await seed(db, oldKey);
    const before = await raw.selectFrom('person_account').selectAll().execute();
    expect(await rotateMasterKey(db, oldKey, newKey, cli)).toBe(1);
    const after = await raw.selectFrom('person_account').selectAll().execute();
    expect(after).toEqual(before); // field ciphertexts untouched
    expect(await readAccountEmail(db, newKey, after[0]!)).toBe(SECRET_EMAIL);
    expect(await readTotpSecret(db, newKey, after[0]!)).toBe(SECRET_TOTP);
    await expect(dataKeyOf(db, oldKey, org.id)).rejects.toThrow(/another master key/);
    // Re-running (an interrupted rotation) changes nothing.
    expect(await rotateMasterKey(db, oldKey, newKey, cli)).toBe(0);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('backs up and restores the same data into an empty database, and refuses a non-empty one', async () => {
    const db = await open();
    const masterKey = randomBytes(32);
    await seed(db, masterKey);
    const file = sealBackup(masterKey, await dumpDatabase(db, dialect));
    expect(file.includes(Buffer.from('Zorblax'))).toBe(false);
    expect(file.includes(Buffer.from(masterKey.toString('base64')))).toBe(false);
    expect(() => openBackup(randomBytes(32), file)).toThrow(/another master key/);
    const altered = Buffer.from(file);
    altered[altered.length - 20] = altered[altered.length - 20]! ^ 1;
    expect(() => openBackup(masterKey, altered)).toThrow(/altered/);

    const targetHandle = await fresh();
    const target = targetHandle.db;
    await loadDatabase(target, openBackup(masterKey, file));
    for (const table of BACKUP_TABLES) {
      const a = await raw.selectFrom(table).selectAll().execute();
      const b = await targetHandle.raw.selectFrom(table).selectAll().execute();
      const order = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
      expect(order(b), table).toEqual(order(a));
      if (table === 'person_account' || table === 'audit_entry') expect(a.length, table).toBeGreaterThan(0);
    }
    const restored = await targetHandle.raw.selectFrom('person_account').selectAll().executeTakeFirstOrThrow();
    expect(await readAccountEmail(target, masterKey, restored)).toBe(SECRET_EMAIL);
    expect((await verifyAudit(target)).ok).toBe(true);
    await expect(loadDatabase(target, openBackup(masterKey, file))).rejects.toThrow(/not empty/);
  });

  it('backs up every table there is', async () => {
    await open();
    const tables = (await raw.introspection.getTables()).map((t) => t.name);
    const skipped = tables.filter((t) => t.startsWith('kysely_') || t.startsWith('directory_service_fts'));
    expect(tables.filter((t) => !skipped.includes(t)).sort()).toEqual([...BACKUP_TABLES].sort());
  });

  it('leaves no email or TOTP secret in clear in the raw database', async () => {
    const db = await open();
    const masterKey = randomBytes(32);
    const { invitation } = await seed(db, masterKey);
    const testDb = handle.testDb;
    const secrets = [SECRET_EMAIL, SECRET_EMAIL.toLowerCase(), 'Zorblax', 'Quenthorpe', SECRET_TOTP, invitation.token, masterKey.toString('base64'), masterKey.toString('hex')];
    if (dialect === 'sqlite') {
      const scan = () => {
        for (const file of [testDb.url, `${testDb.url}-wal`]) {
          if (!fs.existsSync(file)) continue;
          const bytes = fs.readFileSync(file);
          for (const secret of secrets) {
            for (const encoding of ['utf8', 'utf16le'] as const) {
              expect(bytes.includes(Buffer.from(secret, encoding)), `${secret} in ${file}`).toBe(false);
            }
          }
        }
      };
      expect(fs.existsSync(`${testDb.url}-wal`)).toBe(true);
      scan(); // while open: the recent writes are in the write-ahead log
      await handle.close();
      scan(); // after the checkpoint: everything is in the main file
      // The scan must be able to see: a value stored in clear is found.
      const probe = openDatabase(testDb.url);
      await probe.db.insertInto('instance_setting').values({ key: 'probe', value: 'Zorblax-probe', updated_at: 'x' }).execute();
      await probe.close();
      const all = Buffer.concat([fs.readFileSync(testDb.url), fs.existsSync(`${testDb.url}-wal`) ? fs.readFileSync(`${testDb.url}-wal`) : Buffer.alloc(0)]);
      expect(all.includes(Buffer.from('Zorblax-probe'))).toBe(true);
    } else {
      // A superuser: every row, whatever the tenant.
      const client = new pg.Client({ connectionString: testDb.adminUrl });
      await client.connect();
      try {
        const tables = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
        expect(tables.rows.length).toBeGreaterThan(10);
        let text = '';
        for (const { tablename } of tables.rows) {
          const rows = await client.query(`SELECT row_to_json(t)::text AS j FROM "${tablename}" t`);
          text += rows.rows.map((r) => r.j).join('\n');
        }
        expect(text).toContain('Association Test'); // the scan sees the rows
        for (const secret of secrets) expect(text.toLowerCase().includes(secret.toLowerCase()), secret).toBe(false);
      } finally {
        await client.end();
      }
    }
  });

  it('keeps personal data out of the audit log', async () => {
    const db = await open();
    const masterKey = randomBytes(32);
    await seed(db, masterKey);
    const rows = await raw.selectFrom('audit_entry').selectAll().execute();
    expect(rows.length).toBeGreaterThan(2);
    expect(JSON.stringify(rows)).not.toMatch(/zorblax|quenthorpe|example\.test/i);
    await expect(sql`select 1`.execute(db)).resolves.toBeDefined();
  });
});
