import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { seedConsultation } from '../../../../tests/support/deliberation';
import type { Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { createOrganization } from '../accounts/organization.service';
import { acceptInvitation, inviteAccount } from '../accounts/account.service';
import { dumpDatabase } from './backup';

/**
 * A backup must not keep the order in which contributions, statements and votes were
 * written (docs/security.md "Participation"): that order, next to the sessions' activity,
 * would narrow down who wrote what. Rows are inserted in descending id order here; the
 * backup must list them by id.
 */
describe.each(testDialects())('backup order of participation rows on %s', (dialect) => {
  const open = freshDatabases(dialect);

  it('lists contributions, statements, votes and confirmations by key, not in the order they were written', async () => {
    const handle = await open();
    const db = handle.db as Kysely<Database>;
    const masterKey = randomBytes(32);
    const org = await createOrganization(db, masterKey, { name: 'Mist', actor: { id: 'cli' } });
    const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: 'c@example.test', role: 'coordinator', actor: { id: 'cli' } });
    const { accountId } = await acceptInvitation(db, masterKey, invitation.token);
    const seeded = await seedConsultation(db, org.id, accountId);
    const ids = ['f0', 'c0', '90', '50', '10'].map((p) => `${p}000000-0000-4000-8000-000000000000`);
    await inTenant(db, org.id, async (trx) => {
      for (const id of ids) {
        await trx
          .insertInto('contribution')
          .values({ id, organization_id: org.id, consultation_id: seeded.consultationId, question_id: null, source: 'member', workshop_id: null, present_count: null, language: 'fr', text_encrypted: null, translation_encrypted: null, translation_language: null, translation_by: null, audio_encrypted: null, audio_type: null, content_note: null, consent: 'summarise', status: 'submitted', author_tag: id.slice(0, 2).repeat(32), created_on: '2024-01-15', updated_on: '2024-01-15', withdrawn_on: null })
          .execute();
        await trx.insertInto('statement').values({ id, organization_id: org.id, consultation_id: seeded.consultationId, theme_id: null, text: 'x', language: 'fr', proposed_by: 'member', status: 'open', created_on: '2024-01-15' }).execute();
      }
      for (const id of ids) {
        await trx.insertInto('statement_vote').values({ organization_id: org.id, statement_id: ids[0]!, voter_tag: id, vote: 'agree', group_language: 'fr', group_workshop: null, voted_on: '2024-01-15' }).execute();
        await trx.insertInto('contribution_confirmation').values({ organization_id: org.id, contribution_id: id, account_id: accountId, verdict: 'confirmed', at: '2024-01-15' }).execute();
      }
    });
    const content = await dumpDatabase(db, dialect);
    const sorted = [...ids].sort();
    expect(content.tables.contribution.map((r) => r.id)).toEqual(sorted);
    expect(content.tables.statement.map((r) => r.id)).toEqual(sorted);
    expect(content.tables.statement_vote.map((r) => r.voter_tag)).toEqual(sorted);
    expect(content.tables.contribution_confirmation.map((r) => r.contribution_id)).toEqual(sorted);
  });
});
