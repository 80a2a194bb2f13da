import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type MigrationResultSet,
  type SqliteDialectConfig,
  type TransactionSettings
} from 'kysely';
import type { Database } from './schema';
import { migrations } from './migrations/index';
import { TenantGuardPlugin } from './tenant-guard';
import { grantAppRole, roleOf } from './roles';

export type Dialect = 'sqlite' | 'postgres';
export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

export function dialectOf(databaseUrl: string): Dialect {
  return /^postgres(ql)?:\/\//.test(databaseUrl) ? 'postgres' : 'sqlite';
}

/**
 * SQLite: a transaction that reads, then writes, fails at once (SQLITE_BUSY_SNAPSHOT) if
 * another process wrote in between, and every use case runs in a transaction (`inTenant`).
 * So a read-write transaction takes the write lock when it begins (`begin immediate`,
 * waiting up to busy_timeout); a read-only one (a backup) stays a plain snapshot, and the
 * server keeps writing meanwhile.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin' : 'begin immediate'));
  }
}

class RelaisSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * Opens the database named by a path (SQLite, created with its folder if missing) or a
 * postgres:// URL. SQLite runs in WAL mode with foreign keys enforced. Every handle has the
 * tenant guard (tenant-guard.ts): a query on a tenant table runs only inside `inTenant`.
 */
export function openDatabase(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  if (dialectOf(databaseUrl) === 'postgres') {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new TenantGuardPlugin()] });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  fs.mkdirSync(path.dirname(databaseUrl), { recursive: true });
  const file = new Sqlite(databaseUrl);
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  file.pragma('synchronous = NORMAL');
  // Deleted content is overwritten with zeros, not left in free pages: an erased woman's
  // key and ciphertexts do not linger in the file (her rights, docs/data.md).
  file.pragma('secure_delete = ON');
  // The directory (100,000 services is a few hundred MB) is read far more than written:
  // the default 2 MB page cache rereads index pages on every search. 64 MB of cache per
  // connection, and the file memory-mapped (read through the OS page cache, shared).
  file.pragma('cache_size = -65536');
  file.pragma('mmap_size = 1073741824');
  const db = new Kysely<Database>({ dialect: new RelaisSqliteDialect({ database: file }), plugins: [new TenantGuardPlugin()] });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function migrator(db: Kysely<Database>): Migrator {
  // Migrations change the schema, not a tenant's rows: they run without the tenant guard
  // (a migration that moves tenant rows sets the tenant itself, organization by organization).
  return new Migrator({ db: db.withoutPlugins(), provider: { getMigrations: async () => migrations } });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  return result;
}

/** Undoes every migration (tests and `relais migrate --down-all` on an empty instance). */
export async function migrateDownAll(db: Kysely<Database>): Promise<void> {
  const down = migrator(db);
  for (;;) {
    const result = await down.migrateDown();
    if (result.error) throw result.error;
    if (!result.results?.length) return;
  }
}

export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

/** Where the app's database is: the app's URL and, on PostgreSQL, optionally the owner's. */
export interface DatabaseUrls {
  databaseUrl: string;
  ownerDatabaseUrl?: string;
}

/**
 * Brings the schema up to date before the app connects: as the owner when
 * RELAIS_OWNER_DATABASE_URL is set (then grants the app's role its rights), otherwise
 * through the app's own connection (SQLite, or a PostgreSQL app role that owns its tables:
 * `relais doctor` warns about that).
 */
export async function prepareDatabase(urls: DatabaseUrls): Promise<void> {
  const handle = await openOperatorDatabase(urls, { poolSize: 1 });
  await handle.close();
}

/**
 * The operator's handle (command line): the owner's connection when configured, else the
 * app's, migrated, with the app's role granted. Tenant rows are still reached only through
 * `inTenant`: the owner obeys forced row-level security like the app (unless it is a
 * superuser), and the tenant guard is on.
 */
export async function openOperatorDatabase(urls: DatabaseUrls, options: { poolSize?: number } = {}): Promise<Db> {
  const handle = openDatabase(urls.ownerDatabaseUrl ?? urls.databaseUrl, options);
  try {
    await migrateToLatest(handle.db);
    if (urls.ownerDatabaseUrl) await grantAppRole(handle.db, roleOf(urls.databaseUrl));
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  return handle;
}
