import { describe, expect, it } from 'vitest';
import { capture, cliSandbox } from '../tests/support/cli';
import { testDialects, type TestDatabase } from '../tests/support/databases';
import { openDatabase, openOperatorDatabase } from '../src/lib/server/db/connect';
import { readMasterKey } from '../src/lib/server/crypto/master-key';
import { createOrganization } from '../src/lib/server/accounts/organization.service';
import { acceptInvitation, inviteAccount } from '../src/lib/server/accounts/account.service';
import { chooseQuestion, createConsultation, switchPhase } from '../src/lib/server/participation/consultation.service';
import { consultationOf } from '../src/lib/server/participation/consultation.repository';
import { transcribeContribution } from '../src/lib/server/participation/contribution.service';
import { main } from './main';

const TEXT = 'Flibbertone transcribed words';

describe.each(testDialects())('relais consultation list on %s', (dialect) => {
  let testDb: TestDatabase;
  let dir: string;
  cliSandbox(
    dialect,
    (db, d) => {
      testDb = db;
      dir = d;
    }, { masterKey: true }
  );

  it('lists every organization’s consultations with phase and counts, and never a text', async () => {
    const operator = await openOperatorDatabase({ databaseUrl: testDb.url, ownerDatabaseUrl: testDb.ownerUrl });
    await operator.close();
    const { db, close } = openDatabase(testDb.url);
    let id = '';
    let orgId = '';
    try {
      const masterKey = readMasterKey(process.env.RELAIS_MASTER_KEY_FILE!);
      const org = await createOrganization(db, masterKey, { name: 'Association', actor: { id: 'cli' } });
      orgId = org.id;
      const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: 'coord@example.test', role: 'coordinator', actor: { id: 'cli' } });
      const { accountId } = await acceptInvitation(db, masterKey, invitation.token);
      const ctx = { db, masterKey, who: { sessionId: 's', organizationId: org.id, accountId, role: 'coordinator' as const } };
      ({ id } = await createConsultation(ctx, { title: 'Call', requester: 'Rapporteur', callUrl: null, deadline: '2027-01-15', summary: null, language: 'en', questions: [{ label: '13', text: 'Q13?' }, { label: '14', text: 'Q14?' }] }));
      const question = (await consultationOf(db, org.id, id))!.questions[0]!;
      await chooseQuestion(ctx, id, question.id, true);
      await switchPhase(ctx, id, { kind: 'open', phase: 'collect' });
      await transcribeContribution(ctx, id, { questionId: question.id, language: 'en', text: TEXT, contentNote: null, consent: 'internal' });
    } finally {
      await close();
    }
    const io = capture();
    expect(await main(['consultation', 'list', '--json'], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(JSON.parse(out)).toEqual({
      consultations: [expect.objectContaining({ organizationId: orgId, id, title: 'Call', requester: 'Rapporteur', deadline: '2027-01-15', phase: 'collect', questions: 2, chosenQuestions: 1, contributions: 1, withdrawn: 0 })]
    });
    expect(out).not.toContain('Flibbertone');
    const text = capture();
    expect(await main(['consultation', 'list'], text)).toBe(0);
    expect(text.stdout.join('\n')).toMatch(/phase collect; questions 1 chosen of 2; contributions 1 sent, 0 withdrawn/);
    const none = capture();
    expect(await main(['consultation', 'list', '--org', 'nope', '--json'], none)).toBe(0);
    expect(JSON.parse(none.stdout.join(''))).toEqual({ consultations: [] });
  });
});
