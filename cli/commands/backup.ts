import fs from 'node:fs';
import path from 'node:path';
import { appendAudit } from '../../src/lib/server/audit/audit';
import { BackupError, dumpDatabase, loadDatabase, openBackup, sealBackup, writePrivateFileAtomically } from '../../src/lib/server/backup/backup';
import { CommandFailure, EXIT_OK, UsageError, printJson, type Command } from '../command';
import { withInstance } from './accounts';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write a consistent, encrypted backup while Relais runs (it needs the master key to be read back)',
  usage: 'relais backup --out <file> [--json]',
  options: { out: { type: 'string' } },
  async run({ values, io }) {
    if (typeof values.out !== 'string' || !values.out) throw new UsageError('--out is required');
    const out = path.resolve(values.out);
    const result = await withInstance(async ({ db, dialect, masterKey }) => {
      const content = await dumpDatabase(db, dialect);
      try {
        writePrivateFileAtomically(out, sealBackup(masterKey, content));
      } catch (error) {
        if (error instanceof BackupError) throw new CommandFailure(error.message);
        throw error;
      }
      await appendAudit(db, { organizationId: null, actorId: 'cli', action: 'backup.create' });
      const rows = Object.values(content.tables).reduce((sum, t) => sum + t.length, 0);
      return { file: out, rows, bytes: fs.statSync(out).size };
    });
    if (values.json) printJson(io, result);
    else io.out(`backup written to ${result.file} (${result.rows} rows, encrypted); keep the master key apart from it`);
    return EXIT_OK;
  }
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a backup into an EMPTY database (refuses a database that holds data)',
  usage: 'relais restore --from <file> [--json]',
  options: { from: { type: 'string' } },
  async run({ values, io }) {
    if (typeof values.from !== 'string' || !values.from) throw new UsageError('--from is required');
    const from = path.resolve(values.from);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(from);
    } catch {
      throw new CommandFailure(`cannot read ${from}`);
    }
    const counts = await withInstance(async ({ db, masterKey }) => {
      try {
        const restored = await loadDatabase(db, openBackup(masterKey, bytes));
        await appendAudit(db, { organizationId: null, actorId: 'cli', action: 'backup.restore' });
        return restored;
      } catch (error) {
        if (error instanceof BackupError) throw new CommandFailure(error.message);
        throw error;
      }
    });
    const rows = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (values.json) printJson(io, { file: from, rows, tables: counts });
    else io.out(`restored ${rows} rows from ${from}`);
    return EXIT_OK;
  }
};
