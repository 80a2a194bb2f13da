import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { inTenant } from '../db/tenant';
import { appendAudit, verifyAudit, type AuditInput } from './audit';

describe.each(testDialects())('audit log on %s', (dialect) => {
  const fresh = freshDatabases(dialect);
  /** A database with the organizations the chains belong to (verify reads one tenant at a time). */
  async function open(options?: { poolSize?: number }) {
    const handle = await fresh(options);
    for (const id of ['org-a', 'org-b']) {
      await handle.db.insertInto('organization').values({ id, name: id, wrapped_data_key: 'x', created_at: '2026-11-30T00:00:00Z' }).execute();
    }
    return handle;
  }
  async function seeded(count = 5) {
    const handle = await open();
    for (let i = 0; i < count; i++) {
      await appendAudit(handle.db, { organizationId: 'org-a', actorId: 'cli', action: 'invitation.create', target: { kind: 'invitation', id: `inv-${i}` } });
    }
    await appendAudit(handle.db, { organizationId: 'org-b', actorId: 'cli', action: 'organization.create' });
    // Tampering is done without isolation (a PostgreSQL superuser): the app's role may not.
    return Object.assign(handle.db, { raw: handle.raw });
  }

  it('chains entries per organization and verifies an untouched log', async () => {
    const db = await seeded();
    const report = await verifyAudit(db);
    expect(report).toEqual({ ok: true, chains: 2, entries: 6, problems: [] });
    const rows = await db.raw.selectFrom('audit_entry').selectAll().where('chain', '=', 'org-a').orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
  });

  it('finds an edited entry', async () => {
    const db = await seeded();
    await sql`UPDATE audit_entry SET target_id = 'inv-x' WHERE chain = 'org-a' AND seq = 3`.execute(db.raw);
    const report = await verifyAudit(db);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ chain: 'org-a', seq: 3, kind: 'edited' })]);
  });

  it('finds a deleted entry, in the middle and at the end', async () => {
    const db = await seeded();
    await sql`DELETE FROM audit_entry WHERE chain = 'org-a' AND seq = 2`.execute(db.raw);
    expect((await verifyAudit(db)).problems).toEqual([expect.objectContaining({ chain: 'org-a', seq: 2, kind: 'deleted' })]);
    await sql`DELETE FROM audit_entry WHERE chain = 'org-b'`.execute(db.raw);
    expect((await verifyAudit(db)).problems).toContainEqual(expect.objectContaining({ chain: 'org-b', seq: 1, kind: 'deleted' }));
  });

  it('finds two swapped entries', async () => {
    const db = await seeded();
    await sql`UPDATE audit_entry SET seq = -1 WHERE chain = 'org-a' AND seq = 2`.execute(db.raw);
    await sql`UPDATE audit_entry SET seq = 2 WHERE chain = 'org-a' AND seq = 4`.execute(db.raw);
    await sql`UPDATE audit_entry SET seq = 4 WHERE chain = 'org-a' AND seq = -1`.execute(db.raw);
    expect((await verifyAudit(db)).problems).toEqual([expect.objectContaining({ chain: 'org-a', seq: 2, kind: 'reordered' })]);
  });

  it('does not fork a chain when two processes append at once', async () => {
    const handle = await open({ poolSize: 8 });
    const entry: AuditInput = { organizationId: 'org-a', actorId: 'cli', action: 'session.end' };
    // Another process, as the command line writes while the server runs. (Two SQLite
    // handles in one process would deadlock: better-sqlite3 waits synchronously.)
    let exited: number | null = null;
    const other = new Promise<number>((resolve) => {
      const child = spawn(path.resolve('node_modules/.bin/tsx'), ['tests/support/append-audit.ts', handle.url, '20'], { stdio: 'inherit' });
      child.on('exit', (code) => resolve((exited = code ?? 1)));
    });
    // Keep writing until the other process has finished, so the two overlap.
    let mine = 0;
    while (exited === null) {
      await Promise.all([appendAudit(handle.db, entry), appendAudit(handle.db, entry)]);
      mine += 2;
      // better-sqlite3 answers synchronously: let the child's exit event through.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await other).toBe(0);
    const report = await verifyAudit(handle.db);
    expect(report).toEqual({ ok: true, chains: 1, entries: mine + 20, problems: [] });
  }, 90_000);

  it('each chain is its own tenant; the instance chain too', async () => {
    const db = await seeded(2);
    await appendAudit(db, { organizationId: null, actorId: 'cli', action: 'keys.rotate' });
    expect(await verifyAudit(db)).toMatchObject({ ok: true, chains: 3, entries: 4 });
    const chainsSeen = await inTenant(db, 'org-a', (trx) => trx.selectFrom('audit_entry').select('chain').where('chain', '=', 'org-a').execute());
    expect(chainsSeen.map((r) => r.chain)).toEqual(['org-a', 'org-a']);
    // Inside org-a's transaction, an entry of the instance chain is written in its own tenant,
    // and the transaction is back in org-a afterwards.
    await inTenant(db, 'org-a', async (trx) => {
      await appendAudit(trx, { organizationId: null, actorId: 'cli', action: 'backup.create' });
      await appendAudit(trx, { organizationId: 'org-a', actorId: 'cli', action: 'session.end' });
    });
    expect(await verifyAudit(db)).toMatchObject({ ok: true, chains: 3, entries: 6 });
  });

  if (dialect === 'postgres') {
    it('the app’s role may append to the log, never edit or delete an entry', async () => {
      const db = await seeded(2);
      const app = db.withoutPlugins();
      await expect(inTenant(app, 'org-a', (trx) => sql`UPDATE audit_entry SET action = 'x' WHERE chain = 'org-a'`.execute(trx))).rejects.toThrow(/permission denied/);
      await expect(inTenant(app, 'org-a', (trx) => sql`DELETE FROM audit_entry WHERE chain = 'org-a'`.execute(trx))).rejects.toThrow(/permission denied/);
      await expect(inTenant(app, 'org-a', (trx) => sql`DELETE FROM audit_head WHERE chain = 'org-a'`.execute(trx))).rejects.toThrow(/permission denied/);
      await expect(inTenant(app, 'org-a', (trx) => sql`TRUNCATE audit_entry`.execute(trx))).rejects.toThrow(/permission denied/);
      expect((await verifyAudit(db)).ok).toBe(true);
    });
  }

  it('refuses anything but an id as a target', async () => {
    const db = await seeded(0);
    await expect(appendAudit(db, { organizationId: 'org-a', actorId: 'cli', action: 'account.disable', target: { kind: 'person_account', id: 'jane doe@example.test' } })).rejects.toThrow(/ids only/);
  });
});
