import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { appendAudit, verifyAudit, type AuditInput } from './audit';

describe.each(testDialects())('audit log on %s', (dialect) => {
  const open = freshDatabases(dialect);
  async function seeded(count = 5) {
    const handle = await open();
    for (let i = 0; i < count; i++) {
      await appendAudit(handle.db, { organizationId: 'org-a', actorId: 'cli', action: 'invitation.create', target: { kind: 'invitation', id: `inv-${i}` } });
    }
    await appendAudit(handle.db, { organizationId: 'org-b', actorId: 'cli', action: 'organization.create' });
    return handle.db;
  }

  it('chains entries per organization and verifies an untouched log', async () => {
    const db = await seeded();
    const report = await verifyAudit(db);
    expect(report).toEqual({ ok: true, chains: 2, entries: 6, problems: [] });
    const rows = await db.selectFrom('audit_entry').selectAll().where('chain', '=', 'org-a').orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
  });

  it('finds an edited entry', async () => {
    const db = await seeded();
    await sql`UPDATE audit_entry SET target_id = 'inv-x' WHERE chain = 'org-a' AND seq = 3`.execute(db);
    const report = await verifyAudit(db);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ chain: 'org-a', seq: 3, kind: 'edited' })]);
  });

  it('finds a deleted entry, in the middle and at the end', async () => {
    const db = await seeded();
    await sql`DELETE FROM audit_entry WHERE chain = 'org-a' AND seq = 2`.execute(db);
    expect((await verifyAudit(db)).problems).toEqual([expect.objectContaining({ chain: 'org-a', seq: 2, kind: 'deleted' })]);
    await sql`DELETE FROM audit_entry WHERE chain = 'org-b'`.execute(db);
    expect((await verifyAudit(db)).problems).toContainEqual(expect.objectContaining({ chain: 'org-b', seq: 1, kind: 'deleted' }));
  });

  it('finds two swapped entries', async () => {
    const db = await seeded();
    await sql`UPDATE audit_entry SET seq = -1 WHERE chain = 'org-a' AND seq = 2`.execute(db);
    await sql`UPDATE audit_entry SET seq = 2 WHERE chain = 'org-a' AND seq = 4`.execute(db);
    await sql`UPDATE audit_entry SET seq = 4 WHERE chain = 'org-a' AND seq = -1`.execute(db);
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

  it('refuses anything but an id as a target', async () => {
    const db = await seeded(0);
    await expect(appendAudit(db, { organizationId: 'org-a', actorId: 'cli', action: 'account.disable', target: { kind: 'person_account', id: 'jane doe@example.test' } })).rejects.toThrow(/ids only/);
  });
});
