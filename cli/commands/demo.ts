import { DomainError } from '../../src/lib/errors';
import { generateDemoCases, MAX_GENERATED_PERSONS } from '../../src/lib/server/demo/generate-cases';
import { EXIT_OK, UsageError, printJson, type Command } from '../command';
import { withInstance } from './accounts';
import { loadParticipationDemo } from '../../src/lib/server/demo/participation-demo';

/** A positive whole number written in digits (underscores or commas allowed: 100_000, 100,000). */
function parseCount(value: unknown): number {
  if (typeof value !== 'string' || !value.trim()) throw new UsageError('--persons is required');
  const digits = value.trim().replace(/[_,]/g, '');
  if (!/^\d+$/.test(digits) || Number(digits) < 1) throw new UsageError(`--persons must be a positive whole number, not "${value.slice(0, 40)}"`);
  const n = Number(digits);
  if (n > MAX_GENERATED_PERSONS) throw new UsageError(`--persons must be at most ${MAX_GENERATED_PERSONS.toLocaleString('en')}`);
  return n;
}

export const demoGenerateCommand: Command = {
  name: 'demo generate',
  summary: 'fill an organization with generated people, procedures and deadlines (benchmarks, demonstrations)',
  usage: 'relais demo generate --persons <N> [--org <organization id>] [--json]',
  options: { persons: { type: 'string' }, org: { type: 'string' } },
  async run({ values, io }) {
    const persons = parseCount(values.persons);
    const org = values.org;
    if (org !== undefined && (typeof org !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(org))) throw new UsageError('--org must be an organization id');
    let lastTenth = -1;
    const summary = await withInstance(
      async ({ db, masterKey }) => {
        try {
          return await generateDemoCases(db, masterKey, {
            persons,
            organizationId: org as string | undefined,
            onProgress: (done, total) => {
              const tenth = Math.floor((done / total) * 10);
              if (tenth === lastTenth && done !== total) return;
              lastTenth = tenth;
              io.err(`generated ${done.toLocaleString('en')}/${total.toLocaleString('en')} people`);
            }
          });
        } catch (error) {
          if (error instanceof DomainError && error.code === 'not_found') throw new UsageError(`--org ${org}: no such organization`);
          throw error;
        }
      },
      { createKeyIfFirst: true, io: { out: (text) => io.err(text) } }
    );
    if (values.json) printJson(io, summary);
    else {
      io.out(`Generated ${summary.persons} people (${summary.open} open, ${summary.closed} closed) in organization ${summary.organizationId}${summary.organizationCreated ? ' (new)' : ''} in ${summary.seconds} s.`);
      io.out(`${summary.procedures} procedures, ${summary.steps} steps, ${summary.openDeadlines} open deadlines: ${summary.overdue} overdue, ${summary.due48h} within 48 h, ${summary.dueWeek} within a week.`);
      io.out(`Helpers: ${summary.helpers.map((h) => `${h.accountId} (${h.role})`).join(', ')}`);
    }
    return EXIT_OK;
  }
};

export const demoParticipationCommand: Command = {
  name: 'demo participation',
  summary: 'load a demo consultation that replays a survivors\' association\'s answer to a UN call for input (ten fictional members)',
  usage: 'relais demo participation [--org <organization id>] [--json]',
  options: { org: { type: 'string' } },
  async run({ values, io }) {
    const org = values.org;
    if (org !== undefined && (typeof org !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(org))) throw new UsageError('--org must be an organization id');
    const summary = await withInstance(
      async ({ db, masterKey }) => {
        try {
          return await loadParticipationDemo(db, masterKey, { organizationId: org as string | undefined });
        } catch (error) {
          if (error instanceof DomainError && error.code === 'not_found' && org) throw new UsageError(`--org ${org}: no such organization`);
          throw error;
        }
      },
      { createKeyIfFirst: true, io: { out: (text) => io.err(text) } }
    );
    if (values.json) printJson(io, summary);
    else {
      io.out(`Loaded the demo consultation ${summary.consultationId} in organization ${summary.organizationId}${summary.organizationCreated ? ' (new)' : ''}: "${summary.title}".`);
      io.out(`${summary.members} fictional members (${summary.languages.join(', ')}), ${summary.workshops} workshops, questions ${summary.questions.chosen.join(', ')} chosen of ${summary.questions.total}.`);
      io.out(`Contributions: ${summary.contributions.typed} typed, ${summary.contributions.recorded} recorded, ${summary.contributions.paper} from flip charts; ${summary.themes} themes, ${summary.statements} statements, ${summary.recommendations.adopted} recommendations adopted.`);
      io.out('Sign in as an admin or a coordinator of that organization to see it under Participation.');
    }
    return EXIT_OK;
  }
};
