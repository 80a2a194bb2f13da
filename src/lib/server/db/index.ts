import { appConfig } from '../app-config';
import { openDatabase, prepareDatabase, type Db } from './connect';

let ready: Promise<Db> | undefined;

/**
 * The app's database, opened once per process from DATABASE_URL, after migrations are
 * applied (idempotent; several processes on PostgreSQL take Kysely's migration lock) — by
 * the owner's role when RELAIS_OWNER_DATABASE_URL is set, which then grants the app's role.
 */
export function database(): Promise<Db> {
  ready ??= (async () => {
    const config = appConfig();
    await prepareDatabase(config);
    return openDatabase(config.databaseUrl);
  })().catch((error) => {
    ready = undefined;
    throw error;
  });
  return ready;
}
