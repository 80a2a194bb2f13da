import fs from 'node:fs';
import { sql } from 'kysely';
import { ConfigError, readConfig, type Config } from '../../src/lib/server/config';
import { openDatabase, pendingMigrations } from '../../src/lib/server/db/connect';
import { appRoleProblems } from '../../src/lib/server/db/roles';
import { masterKeyStatus, nextKeyFile, previousKeyFile } from '../../src/lib/server/crypto/master-key';
import { EXIT_FAILURE, EXIT_OK, printJson, type Command } from '../command';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

async function checkDatabase(config: Config): Promise<Check[]> {
  const checks: Check[] = [];
  let handle;
  try {
    handle = openDatabase(config.databaseUrl, { poolSize: 1 });
    await sql`select 1 as one`.execute(handle.db);
    checks.push({ name: 'database', status: 'ok', detail: `${handle.dialect} reachable` });
  } catch (error) {
    checks.push({
      name: 'database',
      status: 'fail',
      detail: `cannot open the ${config.dialect} database: ${(error as Error).message.split('\n')[0]}`,
      fix: config.dialect === 'postgres' ? 'check DATABASE_URL, that PostgreSQL runs and that the role may connect' : 'check that the folder of DATABASE_URL is writable'
    });
    await handle?.close().catch(() => {});
    return checks;
  }
  try {
    const pending = await pendingMigrations(handle.db);
    checks.push(
      pending.length
        ? { name: 'migrations', status: 'warn', detail: `${pending.length} migration(s) not applied`, fix: 'run `npx relais migrate` (serve applies them too)' }
        : { name: 'migrations', status: 'ok', detail: 'all applied' }
    );
    if (handle.dialect === 'postgres') checks.push(...(await checkAppRole(handle.db, Boolean(config.ownerDatabaseUrl))));
    if (handle.dialect === 'sqlite') {
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(handle.db);
      const mode = journal.rows[0]?.journal_mode;
      checks.push(
        mode === 'wal'
          ? { name: 'sqlite-wal', status: 'ok', detail: 'write-ahead log on' }
          : { name: 'sqlite-wal', status: 'warn', detail: `journal mode is ${mode}`, fix: 'open the database with Relais once; it turns WAL on' }
      );
    }
  } finally {
    await handle.close();
  }
  return checks;
}

/**
 * PostgreSQL: the app (DATABASE_URL) must connect as a role that owns no table and cannot
 * bypass row-level security, or tenant isolation rests on the data layer alone.
 */
async function checkAppRole(db: Parameters<typeof appRoleProblems>[0], ownerConfigured: boolean): Promise<Check[]> {
  const fix = ownerConfigured
    ? 'connect DATABASE_URL as a role created NOSUPERUSER NOBYPASSRLS that owns no table (docs/deploy.md, "PostgreSQL roles")'
    : 'create an owner role and an app role (docs/deploy.md, "PostgreSQL roles"); set RELAIS_OWNER_DATABASE_URL to the owner, DATABASE_URL to the app role';
  const problems = await appRoleProblems(db);
  if (problems.length === 0) return [{ name: 'tenant-isolation', status: 'ok', detail: 'the app’s role owns no table and obeys row-level security on every tenant table' }];
  return problems.map((p) => ({ name: 'tenant-isolation', status: 'warn', detail: p.detail, fix: p.problem === 'not_isolated' ? 'run `npx relais migrate`' : fix }));
}

function checkFiles(config: Config): Check[] {
  const checks: Check[] = [];
  try {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.accessSync(config.dataDir, fs.constants.W_OK);
    checks.push({ name: 'data-dir', status: 'ok', detail: config.dataDir });
  } catch {
    checks.push({ name: 'data-dir', status: 'fail', detail: `${config.dataDir} is not writable`, fix: 'set RELAIS_DATA_DIR to a folder the service user owns' });
  }
  const key = masterKeyStatus(config.masterKeyFile);
  if (!key.exists) {
    checks.push({ name: 'master-key', status: 'warn', detail: `no master key at ${config.masterKeyFile}`, fix: '`npx relais serve` creates it on first start; or set RELAIS_MASTER_KEY_FILE' });
  } else if (!key.validLength) {
    checks.push({ name: 'master-key', status: 'fail', detail: 'the master key file does not hold 32 bytes in base64', fix: 'restore the key from its backup' });
  } else if (!key.privateToOwner) {
    checks.push({ name: 'master-key', status: 'fail', detail: `the master key file is readable by others (mode ${key.mode!.toString(8)})`, fix: `chmod 600 ${config.masterKeyFile}` });
  } else {
    checks.push({
      name: 'master-key',
      status: 'warn',
      detail: 'master key present, mode 600 — BACK IT UP apart from the database: without it, encrypted data is lost for ever',
      fix: 'copy the key file to an offline place (see docs/deploy.md)'
    });
  }
  if (fs.existsSync(nextKeyFile(config.masterKeyFile))) {
    checks.push({ name: 'key-rotation', status: 'fail', detail: 'a key rotation was interrupted (master.key.next exists)', fix: 'run `npx relais keys rotate` again to finish it' });
  } else if (fs.existsSync(previousKeyFile(config.masterKeyFile))) {
    checks.push({
      name: 'key-rotation',
      status: 'warn',
      detail: 'the previous master key is still on disk after a rotation',
      fix: `once the new key is backed up and every server restarted, delete ${previousKeyFile(config.masterKeyFile)}`
    });
  }
  return checks;
}

function checkOrigin(config: Config): Check {
  const url = new URL(config.origin);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !local) {
    return { name: 'origin', status: 'warn', detail: `ORIGIN ${config.origin} is not HTTPS`, fix: 'serve Relais behind a reverse proxy with HTTPS and set ORIGIN=https://…' };
  }
  return { name: 'origin', status: 'ok', detail: config.origin };
}

/** Reminder emails: configured or not (never shows the SMTP URL: it may hold a password). */
function checkSmtp(config: Config): Check {
  if (!config.smtpUrl) {
    return {
      name: 'smtp',
      status: 'warn',
      detail: 'reminder emails are off: RELAIS_SMTP_URL is not set (the worker does nothing; calendar feeds still work)',
      fix: 'set RELAIS_SMTP_URL and RELAIS_MAIL_FROM (docs/deploy.md, "Reminder emails")'
    };
  }
  const url = new URL(config.smtpUrl);
  return { name: 'smtp', status: 'ok', detail: `reminder emails through ${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}, from ${config.mailFrom}` };
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the configuration, the database and the master key, and say how to fix what is wrong',
  usage: 'relais doctor [--json]',
  options: {},
  async run({ values, io }) {
    const checks: Check[] = [];
    const major = Number(process.versions.node.split('.')[0]);
    checks.push(
      major >= 20 ? { name: 'node', status: 'ok', detail: process.versions.node } : { name: 'node', status: 'fail', detail: process.versions.node, fix: 'install Node.js 20' }
    );
    let config: Config | undefined;
    try {
      config = readConfig();
      checks.push({ name: 'config', status: 'ok', detail: `${config.dialect}, listening on ${config.host}:${config.port}` });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      checks.push({ name: 'config', status: 'fail', detail: error.message, fix: `correct ${error.variable}` });
    }
    if (config) {
      checks.push(checkOrigin(config), checkSmtp(config), ...checkFiles(config), ...(await checkDatabase(config)));
    }
    const failed = checks.some((c) => c.status === 'fail');
    if (values.json) {
      printJson(io, { ok: !failed, checks });
    } else {
      for (const c of checks) {
        io.out(`${c.status === 'ok' ? 'ok  ' : c.status === 'warn' ? 'WARN' : 'FAIL'}  ${c.name}: ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ''}`);
      }
      io.out(failed ? 'Something must be fixed before Relais can run.' : 'Relais can run.');
    }
    return failed ? EXIT_FAILURE : EXIT_OK;
  }
};
