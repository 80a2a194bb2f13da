/**
 * Consistent, encrypted backups (`relais backup` / `relais restore`), the same format on
 * SQLite and PostgreSQL: every table read in ONE transaction (REPEATABLE READ on
 * PostgreSQL; a single read snapshot in SQLite's WAL mode, so the server keeps writing),
 * as JSON, gzipped, then encrypted with AES-256-GCM under a key derived from the master key
 * with a random salt. The file never holds the master key; it holds the data keys only
 * wrapped by it, so a backup is useless without the master key — keep them apart
 * (docs/security.md).
 *
 * Tenant tables are read and written organization by organization (and the instance's
 * audit chain), each inside `inTenant`, within that one transaction: row-level security and
 * the tenant guard apply to backups as to everything else.
 *
 * File: `RELAIS-BACKUP 1\n` + a JSON header line + ciphertext‖tag; both first lines are
 * authenticated as associated data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { INSTANCE_TENANT, TENANT_TABLES, inTenant } from '../db/tenant';
import type { Dialect } from '../db/connect';
import { migrations } from '../db/migrations/index';
import { deriveFromMasterKey, masterKeyId } from '../crypto/envelope';
import { replaceSearchText } from '../directory/full-text';

const MAGIC = 'RELAIS-BACKUP 1\n';

/**
 * Every table a backup holds, parents before children. Not here: Kysely's migration
 * tables and SQLite's full-text index, rebuilt on restore. A database test checks this
 * list covers every table.
 */
export const BACKUP_TABLES = [
  'instance_setting',
  'directory_organization',
  'directory_service',
  'directory_service_translation',
  'directory_service_tag',
  'directory_location',
  'directory_phone',
  'directory_service_version',
  'directory_notice',
  'directory_revision',
  'directory_service_removed',
  'organization',
  'person_account',
  'invitation',
  'session',
  'recovery_code',
  'passkey',
  'webauthn_challenge',
  'audit_head',
  'audit_entry',
  // The case tracker (issue 6), parents first; documents hold bytes (see `bytesToJson`).
  'case_person',
  'case_assignment',
  'case_access',
  'case_consent',
  'case_procedure',
  'case_step',
  'case_deadline',
  'case_reminder',
  'calendar_feed',
  'case_document',
  'case_statistic',
  'case_appointment',
  // Participation (issue 7), parents first.
  'participation_member',
  'member_sign_in_code',
  'proxy_session',
  'training_module',
  'training_completion',
  'consultation',
  'consultation_phase',
  'consultation_question',
  'workshop',
  'workshop_attendance',
  'contribution',
  'contribution_confirmation',
  'theme',
  'theme_contribution',
  'theme_decision',
  'question_theme',
  'statement',
  'statement_vote',
  'recommendation',
  'recommendation_version',
  'recommendation_statement',
  'recommendation_vote',
  'participation_setting',
  'pay_entry',
  'payment'
] as const satisfies readonly (keyof Database)[];

export type BackupTable = (typeof BACKUP_TABLES)[number];

export interface BackupContent {
  format: 1;
  createdAt: string;
  dialect: Dialect;
  migrations: string[];
  tables: Record<BackupTable, Record<string, unknown>[]>;
}

export class BackupError extends Error {}

/** The column that names a tenant table's tenant; undefined for a table of the instance. */
function tenantColumn(table: BackupTable): string | undefined {
  return TENANT_TABLES[table];
}

/** Every tenant there is: each organization, and the instance (its audit chain). */
async function tenants(db: Kysely<Database>): Promise<string[]> {
  const organizations = await db.selectFrom('organization').select('id').orderBy('id').execute();
  return [...organizations.map((o) => o.id), INSTANCE_TENANT];
}

/**
 * Tables whose rows a backup lists by these columns rather than in the database's own order:
 * that order (SQLite's rowid, PostgreSQL's heap) is the order they were written in, and the
 * order in which members wrote, proposed, voted or confirmed — next to the sessions' activity —
 * would narrow down who did it (docs/security.md "Participation"). Restored in this order,
 * the new database no longer holds it either.
 */
const UNORDERED: Partial<Record<BackupTable, readonly string[]>> = {
  contribution: ['id'],
  contribution_confirmation: ['contribution_id', 'account_id'],
  theme_contribution: ['theme_id', 'contribution_id'],
  statement: ['id'],
  statement_vote: ['statement_id', 'voter_tag'],
  recommendation_vote: ['recommendation_id', 'version', 'voter_tag']
};

function byColumns(columns: readonly string[]) {
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const c of columns) {
      const x = String(a[c]);
      const y = String(b[c]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

/** One tenant's rows of one tenant table (`db` is a transaction). */
function selectTenantRows(db: Kysely<Database>, table: BackupTable, tenant: string): Promise<Record<string, unknown>[]> {
  const column = tenantColumn(table)!;
  return inTenant(db, tenant, (trx) =>
    trx
      .selectFrom(table)
      .selectAll()
      .where(column as never, '=', tenant as never)
      .execute()
  ) as Promise<Record<string, unknown>[]>;
}

/** Binary columns (a document's encrypted bytes) as `{ "$base64": … }` in the JSON, and back. */
function bytesToJson(row: Record<string, unknown>): Record<string, unknown> {
  for (const [column, value] of Object.entries(row)) if (Buffer.isBuffer(value)) row[column] = { $base64: value.toString('base64') };
  return row;
}

function bytesFromJson(row: Record<string, unknown>): Record<string, unknown> {
  const out = { ...row };
  for (const [column, value] of Object.entries(out)) {
    if (value && typeof value === 'object' && typeof (value as { $base64?: unknown }).$base64 === 'string') out[column] = Buffer.from((value as { $base64: string }).$base64, 'base64');
  }
  return out;
}

/** Reads every table in one consistent snapshot. */
export async function dumpDatabase(db: Kysely<Database>, dialect: Dialect, now: Date = new Date()): Promise<BackupContent> {
  let transaction = db.transaction().setAccessMode('read only');
  if (dialect === 'postgres') transaction = transaction.setIsolationLevel('repeatable read');
  const tables = await transaction.execute(async (trx) => {
    const result = {} as BackupContent['tables'];
    const all = await tenants(trx);
    for (const table of BACKUP_TABLES) {
      if (!tenantColumn(table)) {
        result[table] = (await trx.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
        continue;
      }
      result[table] = [];
      for (const tenant of all) {
        const rows = await selectTenantRows(trx, table, tenant);
        const order = UNORDERED[table];
        if (order) rows.sort(byColumns(order));
        result[table].push(...rows.map(bytesToJson));
      }
    }
    return result;
  });
  return { format: 1, createdAt: now.toISOString(), dialect, migrations: Object.keys(migrations).sort(), tables };
}

/** True when no table a backup holds has a row (tenant tables: in any tenant). */
export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
  const all = await tenants(db);
  for (const table of BACKUP_TABLES) {
    const column = tenantColumn(table);
    if (!column) {
      const row = await db.selectFrom(table).select((eb) => eb.lit(1).as('one')).limit(1).executeTakeFirst();
      if (row) return false;
      continue;
    }
    for (const tenant of all) {
      const row = await inTenant(db, tenant, (trx) =>
        trx
          .selectFrom(table)
          .select((eb) => eb.lit(1).as('one'))
          .where(column as never, '=', tenant as never)
          .limit(1)
          .executeTakeFirst()
      );
      if (row) return false;
    }
  }
  return true;
}

/**
 * Loads a backup into an EMPTY, migrated database, in one transaction. Throws BackupError
 * if the database holds data or the backup was made at another schema version.
 */
export async function loadDatabase(db: Kysely<Database>, content: BackupContent): Promise<Record<BackupTable, number>> {
  const current = Object.keys(migrations).sort();
  if (JSON.stringify(content.migrations) !== JSON.stringify(current)) {
    throw new BackupError('the backup was made by another version of Relais (its migrations differ)');
  }
  return db.transaction().execute(async (trx) => {
    if (!(await isDatabaseEmpty(trx))) throw new BackupError('the database is not empty: restore only into an empty database');
    const counts = {} as Record<BackupTable, number>;
    for (const table of BACKUP_TABLES) {
      const rows = content.tables[table] ?? [];
      const column = tenantColumn(table);
      // Tenant rows go back in their own tenant (row-level security checks every row).
      const groups = new Map<string | undefined, Record<string, unknown>[]>();
      for (const stored of rows) {
        const row = bytesFromJson(stored);
        const tenant = column ? String(row[column]) : undefined;
        const group = groups.get(tenant);
        if (group) group.push(row);
        else groups.set(tenant, [row]);
      }
      for (const [tenant, group] of groups) {
        const insert = async (target: Kysely<Database>) => {
          // Documents one by one (up to 10 MB each), other rows 200 at a time.
          const batch = table === 'case_document' ? 1 : 200;
          for (let i = 0; i < group.length; i += batch) {
            await target.insertInto(table).values(group.slice(i, i + batch) as never).execute();
          }
        };
        if (tenant === undefined) await insert(trx);
        else await inTenant(trx, tenant, insert);
      }
      counts[table] = rows.length;
    }
    const services = (content.tables.directory_service ?? []) as Array<{ id: string; search_text: string }>;
    await replaceSearchText(trx, services.map((s) => ({ service_id: s.id, body: s.search_text })));
    return counts;
  });
}

/** Encrypts a backup's content under a key derived from the master key. */
export function sealBackup(masterKey: Buffer, content: BackupContent): Buffer {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header = JSON.stringify({ format: 1, createdAt: content.createdAt, keyId: masterKeyId(masterKey), salt: salt.toString('base64'), iv: iv.toString('base64') }) + '\n';
  const aad = Buffer.from(MAGIC + header, 'utf8');
  const cipher = createCipheriv('aes-256-gcm', deriveFromMasterKey(masterKey, 'backup', salt), iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(gzipSync(Buffer.from(JSON.stringify(content), 'utf8'))), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([aad, body]);
}

/** Decrypts a backup file's bytes; throws BackupError with a reason an operator can act on. */
export function openBackup(masterKey: Buffer, bytes: Buffer): BackupContent {
  if (!bytes.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new BackupError('not a Relais backup file');
  const end = bytes.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw new BackupError('the backup file is truncated');
  let header: { keyId: string; salt: string; iv: string };
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length, end).toString('utf8'));
  } catch {
    throw new BackupError('the backup header is damaged');
  }
  if (header.keyId !== masterKeyId(masterKey)) {
    throw new BackupError(`the backup was made under another master key (id ${header.keyId}); set RELAIS_MASTER_KEY_FILE to that key`);
  }
  const body = bytes.subarray(end + 1);
  if (body.length < 16) throw new BackupError('the backup file is truncated');
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveFromMasterKey(masterKey, 'backup', Buffer.from(header.salt, 'base64')), Buffer.from(header.iv, 'base64'));
    decipher.setAAD(bytes.subarray(0, end + 1));
    decipher.setAuthTag(body.subarray(body.length - 16));
    const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
    return JSON.parse(gunzipSync(plain).toString('utf8')) as BackupContent;
  } catch {
    throw new BackupError('the backup file was altered or is damaged');
  }
}

/** Writes a file with mode 0600 through a temporary name and a rename; never overwrites. */
export function writePrivateFileAtomically(file: string, bytes: Buffer): void {
  if (fs.existsSync(file)) throw new BackupError(`${file} exists already: choose another name`);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temporary, 'wx', 0o600);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}
