import { verifyAudit } from '../../src/lib/server/audit/audit';
import { EXIT_FAILURE, EXIT_OK, printJson, type Command } from '../command';
import { withInstance } from './accounts';

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'check the audit log’s hash chains; exit 1 and say where if an entry was edited, deleted or reordered',
  usage: 'relais audit verify [--json]',
  options: {},
  async run({ values, io }) {
    const report = await withInstance(({ db }) => verifyAudit(db));
    if (values.json) printJson(io, report);
    else if (report.ok) io.out(`audit log intact: ${report.entries} entries in ${report.chains} chain(s)`);
    else for (const p of report.problems) io.err(`audit log TAMPERED: chain ${p.chain}, entry ${p.seq} ${p.kind}: ${p.detail}`);
    return report.ok ? EXIT_OK : EXIT_FAILURE;
  }
};
