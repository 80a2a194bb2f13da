import { sql, type Kysely } from 'kysely';
import { readConfig } from '../../src/lib/server/config';
import { openOperatorDatabase } from '../../src/lib/server/db/connect';
import type { Database } from '../../src/lib/server/db/schema';
import { purgeDue } from '../../src/lib/server/accompaniment/rights.service';
import { log } from '../../src/lib/server/http/log';
import { EXIT_OK, printJson, type Command } from '../command';

/**
 * After a purge on PostgreSQL, as the owner: VACUUM marks the space of the erased rows'
 * old versions (which still held her wrapped key) free for reuse. It does not overwrite
 * them at once, and the write-ahead log and backups keep them longer (docs/data.md).
 * Skipped (a warning, not an error) when the role does not own the tables.
 */
async function vacuumCaseTables(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`vacuum case_person, case_step, case_document, case_access, case_consent, case_deadline, case_procedure, case_assignment`.execute(db.withoutPlugins()).catch(() => {});
}

export const casesPurgeCommand: Command = {
  name: 'cases purge',
  summary: 'erase the closed case records whose retention has passed (the server also does it every RELAIS_PURGE_EVERY_HOURS)',
  usage: 'relais cases purge [--dry-run] [--json]',
  options: { 'dry-run': { type: 'boolean' } },
  async run({ values, io }) {
    const { db, dialect, close } = await openOperatorDatabase(readConfig());
    try {
      const report = await purgeDue(db, { dryRun: Boolean(values['dry-run']), actor: 'cli' });
      if (!report.dryRun && report.people.length) await vacuumCaseTables(db, dialect);
      if (values.json) printJson(io, report);
      else if (report.dryRun) {
        io.out(`${report.people.length} closed record(s) past their retention would be erased:`);
        for (const p of report.people) io.out(`  ${p.organizationId}  ${p.personId}  due ${p.purgeAfter}`);
      } else io.out(`erased ${report.people.length} closed record(s) past their retention`);
      return EXIT_OK;
    } finally {
      await close();
    }
  }
};

/**
 * The server's own purge (`relais serve`): a first run a minute after start, then every
 * `everyHours`, never two at once in this process; several processes may run it together
 * (each record is claimed by one). Logs counts only. Returns a function that stops it.
 */
export function schedulePurge(db: Kysely<Database>, everyHours: number): () => void {
  if (everyHours <= 0) return () => {};
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    purgeDue(db, { actor: 'system' })
      .then((report) => {
        if (report.people.length) log('info', 'purge', { erased: report.people.length });
      })
      .catch((error: unknown) => log('error', 'purge failed', { name: error instanceof Error ? error.name : typeof error }))
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(run, 60_000);
  const every = setInterval(run, everyHours * 3_600_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
