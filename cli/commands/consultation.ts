import { listOrganizations } from '../../src/lib/server/accounts/organization.repository';
import { listConsultations } from '../../src/lib/server/participation/consultation.repository';
import { EXIT_OK, printJson, type Command } from '../command';
import { withInstance } from './accounts';

/**
 * `relais consultation list`: every organization's consultations (or one's, with --org): id,
 * title, who asks, deadline, phase, how many questions (and chosen), how many contributions
 * sent and withdrawn. Never a contribution's text.
 */
export const consultationListCommand: Command = {
  name: 'consultation list',
  summary: 'list the consultations (calls for input): phase, questions, contribution counts — no texts',
  usage: 'relais consultation list [--org <organization id>] [--json]',
  options: { org: { type: 'string' } },
  async run({ values, io }) {
    const org = typeof values.org === 'string' ? values.org : null;
    const consultations = await withInstance(async ({ db }) => {
      const organizations = (await listOrganizations(db)).filter((o) => org === null || o.id === org);
      const all = [];
      for (const organization of organizations) {
        for (const c of await listConsultations(db, organization.id)) all.push({ organizationId: organization.id, ...c });
      }
      return all;
    });
    if (values.json) printJson(io, { consultations });
    else if (consultations.length === 0) io.out('no consultation');
    else {
      for (const c of consultations) {
        io.out(
          `${c.id}  ${c.title}  — ${c.requester}; deadline ${c.deadline ?? 'none'}; phase ${c.phase ?? 'none'}; questions ${c.chosenQuestions} chosen of ${c.questions}; contributions ${c.contributions} sent, ${c.withdrawn} withdrawn`
        );
      }
    }
    return EXIT_OK;
  }
};
