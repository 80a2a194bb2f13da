import { appConfig } from '../app-config';
import { openDatabase, prepareDatabase, type Db } from './connect';
import { searchMemory } from '../directory/search-memory';

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
    const db = openDatabase(config.databaseUrl);
    // The directory search's index is read now, in the background, rather than by the
    // first woman who searches; a failure here is met again, and told, by that search.
    void searchMemory(db.db).catch(() => {});
    return db;
  })().catch((error) => {
    ready = undefined;
    throw error;
  });
  return ready;
}
