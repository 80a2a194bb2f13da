import fs from 'node:fs';
import { readConfig } from '../../src/lib/server/config';
import { openOperatorDatabase } from '../../src/lib/server/db/connect';
import { exportFormats, exportToPath, importFormats, importServices, parseImport, type ExportFormat, type ImportFormat } from '../../src/lib/server/directory/transfer';
import { CommandFailure, EXIT_FAILURE, EXIT_OK, UsageError, printJson, type Command, type Io } from '../command';

function progressBar(io: Io, enabled: boolean) {
  let last = -1;
  return (done: number, total: number) => {
    if (!enabled) return;
    const percent = Math.floor((done / total) * 100);
    if (percent === last) return;
    last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

export const directoryImportCommand: Command = {
  name: 'directory import',
  summary: 'import help services (validates everything first; all or nothing; same ids update)',
  usage: 'relais directory import <file|folder> --format hsds-json|hsds-datapackage|data-inclusion [--dry-run] [--json]',
  options: { format: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals, io }) {
    const format = values.format as string | undefined;
    if (!format || !(importFormats as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${importFormats.join(', ')}`);
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw new UsageError('give exactly one file (or datapackage folder)');
    if (!fs.existsSync(file)) throw new CommandFailure(`${file}: no such file or folder`);
    const parsed = parseImport(file, format as ImportFormat);
    if (parsed.issues.length > 0) {
      if (values.json) printJson(io, { ok: false, imported: 0, errors: parsed.issues });
      else {
        io.err(`Nothing imported: ${parsed.issues.length} error(s) in ${file}.`);
        for (const i of parsed.issues.slice(0, 200)) io.err(`  record ${i.record}, field ${i.field}: ${i.message}`);
        if (parsed.issues.length > 200) io.err(`  … and ${parsed.issues.length - 200} more`);
      }
      return EXIT_FAILURE;
    }
    if (values['dry-run']) {
      if (values.json) printJson(io, { ok: true, dryRun: true, valid: parsed.services.length });
      else io.out(`${parsed.services.length} service(s) are valid; nothing written (--dry-run).`);
      return EXIT_OK;
    }
    const config = readConfig();
    const { db, close } = await openOperatorDatabase(config);
    try {
      const showProgress = !values.json && process.stderr.isTTY === true && parsed.services.length >= 500;
      const report = await importServices(db, parsed, { actor: `import:${file.split(/[\\/]/).pop()}`, onProgress: progressBar(io, showProgress) });
      if (values.json) printJson(io, { ok: true, created: report.created, updated: report.updated, unchanged: report.unchanged });
      else io.out(`Imported ${parsed.services.length} service(s): ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged.`);
      return EXIT_OK;
    } finally {
      await close();
    }
  }
};

export const directoryExportCommand: Command = {
  name: 'directory export',
  summary: 'export every help service as HSDS 3.0 (confidential addresses redacted)',
  usage: 'relais directory export --format hsds-json|hsds-datapackage --out <file|folder> [--json]',
  options: { format: { type: 'string' }, out: { type: 'string' } },
  async run({ values, io }) {
    const format = values.format as string | undefined;
    if (!format || !(exportFormats as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${exportFormats.join(', ')}`);
    const out = values.out as string | undefined;
    if (!out) throw new UsageError('--out is required');
    const config = readConfig();
    const { db, close } = await openOperatorDatabase(config);
    try {
      const count = await exportToPath(db, format as ExportFormat, out);
      if (values.json) printJson(io, { ok: true, format, out, services: count });
      else io.out(`Exported ${count} service(s) to ${out} (${format}).`);
      return EXIT_OK;
    } finally {
      await close();
    }
  }
};
