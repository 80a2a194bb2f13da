import { appConfig } from '../app-config';
import { migrateToLatest, openDatabase, type Db } from './connect';

let ready: Promise<Db> | undefined;

/**
 * The app's database, opened once per process from DATABASE_URL, with migrations applied
 * (idempotent; several processes on PostgreSQL take Kysely's migration lock).
 */
export function database(): Promise<Db> {
  ready ??= (async () => {
    const handle = openDatabase(appConfig().databaseUrl);
    await migrateToLatest(handle.db);
    return handle;
  })().catch((error) => {
    ready = undefined;
    throw error;
  });
  return ready;
}
