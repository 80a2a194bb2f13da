import { readConfig } from '../../src/lib/server/config';
import { openDatabase, migrateToLatest, pendingMigrations } from '../../src/lib/server/db/connect';
import { grantAppRole, roleOf } from '../../src/lib/server/db/roles';
import { EXIT_OK, printJson, type Command } from '../command';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply the database migrations that have not run yet (as RELAIS_OWNER_DATABASE_URL when set, then grant the app’s role)',
  usage: 'relais migrate [--status] [--json]',
  options: { status: { type: 'boolean' } },
  async run({ values, io }) {
    const config = readConfig();
    // PostgreSQL with two roles: the owner migrates, then grants DATABASE_URL's role its rights.
    const { db, dialect, close } = openDatabase(config.ownerDatabaseUrl ?? config.databaseUrl, { poolSize: 1 });
    try {
      if (values.status) {
        const pending = await pendingMigrations(db);
        if (values.json) printJson(io, { dialect, pending });
        else io.out(pending.length ? `${pending.length} pending: ${pending.join(', ')}` : 'up to date');
        return EXIT_OK;
      }
      const result = await migrateToLatest(db);
      if (config.ownerDatabaseUrl) await grantAppRole(db, roleOf(config.databaseUrl));
      const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      if (values.json) printJson(io, { dialect, applied });
      else io.out(applied.length ? `applied ${applied.length} migration(s) on ${dialect}: ${applied.join(', ')}` : `${dialect} database is up to date`);
      if (!values.json && config.ownerDatabaseUrl) io.out(`granted the app's role ${roleOf(config.databaseUrl)} its rights`);
      return EXIT_OK;
    } finally {
      await close();
    }
  }
};
