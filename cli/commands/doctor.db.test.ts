import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main';
import type { Io } from '../command';
import { ensureMasterKey } from '../../src/lib/server/crypto/master-key';
import { createTestDatabase, openTestDatabase, testDialects, type TestDatabase } from '../../tests/support/databases';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

describe('relais doctor', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-doctor-'));
    process.env.RELAIS_DATA_DIR = dir;
    delete process.env.DATABASE_URL;
    delete process.env.RELAIS_MASTER_KEY_FILE;
  });
  afterEach(() => {
    process.env = { ...saved };
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function doctor() {
    const io = capture();
    const code = await main(['doctor', '--json'], io);
    const report = JSON.parse(io.stdout.join('')) as { ok: boolean; checks: Array<{ name: string; status: string; fix?: string }> };
    return { code, report, check: (name: string) => report.checks.find((c) => c.name === name) };
  }

  it('passes on a fresh data folder, and says the master key is missing until first start', async () => {
    const { code, report, check } = await doctor();
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(check('master-key')?.status).toBe('warn');
    expect(check('database')?.status).toBe('ok');
  });

  it('fails when the master key is readable by others, and says how to fix it', async () => {
    const key = path.join(dir, 'master.key');
    ensureMasterKey(key);
    fs.chmodSync(key, 0o644);
    const { code, check } = await doctor();
    expect(code).toBe(1);
    expect(check('master-key')?.status).toBe('fail');
    expect(check('master-key')?.fix).toBe(`chmod 600 ${key}`);
  });

  it('fails on an interrupted key rotation', async () => {
    ensureMasterKey(path.join(dir, 'master.key'));
    fs.writeFileSync(path.join(dir, 'master.key.next'), 'x', { mode: 0o600 });
    const { code, check } = await doctor();
    expect(code).toBe(1);
    expect(check('key-rotation')?.status).toBe('fail');
  });

  it('says reminder emails are off without SMTP, and shows no SMTP password once configured', async () => {
    delete process.env.RELAIS_SMTP_URL;
    expect((await doctor()).check('smtp')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/RELAIS_SMTP_URL/) });
    process.env.RELAIS_SMTP_URL = 'smtp://relais:s3cret-pass@mail.example.org:587';
    process.env.RELAIS_MAIL_FROM = 'Relais <relais@association.example>';
    const { code, report, check } = await doctor();
    expect(code).toBe(0);
    expect(check('smtp')).toMatchObject({ status: 'ok', detail: expect.stringContaining('smtp://mail.example.org:587') });
    expect(JSON.stringify(report)).not.toContain('s3cret-pass');
  });

  it('names a wrong variable without a stack trace', async () => {
    process.env.PORT = 'eighty';
    const { code, check } = await doctor();
    expect(code).toBe(1);
    expect(check('config')?.fix).toBe('correct PORT');
  });
});

describe.runIf(testDialects().includes('postgres'))('relais doctor on PostgreSQL: the app’s role', () => {
  let dir: string;
  let testDb: TestDatabase;
  const saved = { ...process.env };
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-doctor-'));
    process.env.RELAIS_DATA_DIR = dir;
    delete process.env.RELAIS_MASTER_KEY_FILE;
    testDb = await createTestDatabase('postgres');
    await (await openTestDatabase(testDb)).close(); // migrated by the owner, the app's role granted
  });
  afterEach(async () => {
    process.env = { ...saved };
    fs.rmSync(dir, { recursive: true, force: true });
    await testDb.drop();
  });
  async function isolation(databaseUrl: string) {
    process.env.DATABASE_URL = databaseUrl;
    const io = capture();
    await main(['doctor', '--json'], io);
    const report = JSON.parse(io.stdout.join('')) as { checks: Array<{ name: string; status: string; detail: string; fix?: string }> };
    return report.checks.filter((c) => c.name === 'tenant-isolation');
  }

  it('is content with a role that owns nothing and obeys row-level security', async () => {
    expect(await isolation(testDb.url)).toEqual([expect.objectContaining({ status: 'ok' })]);
  });

  it('warns when the app connects as a superuser', async () => {
    const checks = await isolation(testDb.adminUrl);
    expect(checks.map((c) => c.status)).toEqual(['warn', 'warn']);
    expect(checks[0]!.detail).toMatch(/superuser: row-level security does not apply/);
    expect(checks[1]!.detail).toMatch(/BYPASSRLS/);
    expect(checks[0]!.fix).toMatch(/RELAIS_OWNER_DATABASE_URL/);
  });

  it('warns when the app connects as the tables’ owner', async () => {
    const checks = await isolation(testDb.ownerUrl!);
    expect(checks).toEqual([expect.objectContaining({ status: 'warn', detail: expect.stringMatching(/owns \(or may act as the owner of\) \d+ table/) })]);
  });
});
