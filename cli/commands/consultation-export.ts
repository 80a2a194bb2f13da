/**
 * `relais consultation export <id> --format docx|csv --out <path>` (issue 7): the
 * association's submission as a Word document, or its statements and votes as Pol.is CSV.
 *
 * - docx: writes the document to `<out>` (a file path).
 * - csv: writes two files. `<out>` ending in `.csv`: the statements to `<out>` and the votes
 *   to `<out without .csv>-votes.csv`; any other `<out>`: a folder (created if needed) that
 *   receives `comments.csv` and `votes.csv`, Pol.is's own names.
 * The consultation is looked up in every organization (its id is unique); the export is
 * audited as `submission.export` with the actor `cli`. It does not apply the facilitator's
 * "I reviewed the flags" gate: the operator gets the count of disclosure flags in the
 * summary, and the facilitators' page lists them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { appendAudit } from '../../src/lib/server/audit/audit';
import { inTenant } from '../../src/lib/server/db/tenant';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { buildSubmission, statementsCsv, submissionDocx, votesCsv } from '../../src/lib/server/participation/submission';
import { CommandFailure, EXIT_OK, UsageError, printJson, type Command } from '../command';
import { withInstance } from './accounts';

const FORMATS = ['docx', 'csv'] as const;

async function organizationOf(db: Kysely<Database>, consultationId: string): Promise<string | null> {
  const organizations = await db.selectFrom('organization').select('id').orderBy('id').execute();
  for (const { id } of organizations) {
    const found = await inTenant(db, id, (trx) => trx.selectFrom('consultation').select('id').where('organization_id', '=', id).where('id', '=', consultationId).executeTakeFirst());
    if (found) return id;
  }
  return null;
}

/** Where the CSV files go: `[statements, votes]`. */
export function csvPaths(out: string): [string, string] {
  if (out.toLowerCase().endsWith('.csv')) return [out, `${out.slice(0, -4)}-votes.csv`];
  return [path.join(out, 'comments.csv'), path.join(out, 'votes.csv')];
}

export const consultationExportCommand: Command = {
  name: 'consultation export',
  summary: "export a consultation's submission (DOCX) or its statements and votes (Pol.is CSV)",
  usage: 'relais consultation export <consultation id> --format docx|csv --out <path> [--json]',
  options: { format: { type: 'string' }, out: { type: 'string' } },
  allowPositionals: true,
  async run({ values, positionals, io }) {
    const [id, ...extra] = positionals;
    if (!id || extra.length) throw new UsageError('give one consultation id');
    if (!/^[A-Za-z0-9_-]{1,60}$/.test(id)) throw new UsageError('the consultation id is not an id');
    const format = values.format as string | undefined;
    if (!format || !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const out = values.out as string | undefined;
    if (!out) throw new UsageError('--out is required');
    const summary = await withInstance(async ({ db, masterKey }) => {
      const organizationId = await organizationOf(db, id);
      if (!organizationId) throw new CommandFailure(`no consultation ${id}`);
      const submission = await buildSubmission(db, masterKey, organizationId, id);
      const files: string[] = [];
      if (format === 'docx') {
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        fs.writeFileSync(out, await submissionDocx(submission), { mode: 0o600 });
        files.push(out);
      } else {
        const [statementsFile, votesFile] = csvPaths(out);
        fs.mkdirSync(path.dirname(path.resolve(statementsFile)), { recursive: true });
        fs.writeFileSync(statementsFile, await statementsCsv(db, organizationId, id), { mode: 0o600 });
        fs.writeFileSync(votesFile, await votesCsv(db, organizationId, id), { mode: 0o600 });
        files.push(statementsFile, votesFile);
      }
      await appendAudit(db, { organizationId, actorId: 'cli', action: 'submission.export', target: { kind: 'consultation', id } });
      return {
        ok: true,
        consultationId: id,
        organizationId,
        format,
        files,
        questions: submission.questions.length,
        themes: submission.questions.reduce((n, q) => n + q.themes.length, 0),
        recommendations: submission.questions.reduce((n, q) => n + q.themes.reduce((m, t) => m + t.recommendations.length, 0), 0) + submission.otherRecommendations.length,
        disclosureFlags: submission.disclosure.length,
        doNotPublish: submission.consultation.doNotPublish
      };
    });
    if (values.json) printJson(io, summary);
    else {
      io.out(`Exported consultation ${id} (${format}) to ${summary.files.join(' and ')}.`);
      if (summary.disclosureFlags) io.out(`The disclosure check has ${summary.disclosureFlags} flag(s): review them on the submission page before sending.`);
      if (summary.doNotPublish) io.out('Marked "do not publish".');
    }
    return EXIT_OK;
  }
};
