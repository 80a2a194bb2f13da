import { describe, expect, it } from 'vitest';
import { capture, cliSandbox } from '../tests/support/cli';
import { testDialects, type TestDatabase } from '../tests/support/databases';
import { openDatabase, openOperatorDatabase } from '../src/lib/server/db/connect';
import { readMasterKey } from '../src/lib/server/crypto/master-key';
import { createOrganization } from '../src/lib/server/accounts/organization.service';
import { acceptInvitation, inviteAccount } from '../src/lib/server/accounts/account.service';
import { openPerson, readPerson, withdrawConsent, type CaseContext } from '../src/lib/server/accompaniment/person.service';
import { closePerson } from '../src/lib/server/accompaniment/rights.service';
import { inTenant } from '../src/lib/server/db/tenant';
import { main } from './main';

const PSEUDONYM = 'Purgelina Fakename';

describe.each(testDialects())('relais cases purge on %s', (dialect) => {
  let testDb: TestDatabase;
  let dir: string;
  cliSandbox(
    dialect,
    (db, d) => {
      testDb = db;
      dir = d;
    }, { masterKey: true }
  );
  async function run(...argv: string[]) {
    const io = capture();
    const code = await main(argv, io);
    const all = [...io.stdout, ...io.stderr].join('\n');
    expect(all).not.toContain('Purgelina');
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  }

  it('lists with --dry-run, then erases the records past their retention, once; audited as the command line', async () => {
    // Migrated by the owner, then used as the app's role, like the server.
    const operator = await openOperatorDatabase({ databaseUrl: testDb.url, ownerDatabaseUrl: testDb.ownerUrl });
    await operator.close();
    const { db, close } = openDatabase(testDb.url);
    try {
      const masterKey = readMasterKey(process.env.RELAIS_MASTER_KEY_FILE!);
      const org = await createOrganization(db, masterKey, { name: 'Association', actor: { id: 'cli' } });
      const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: 'purge@example.test', role: 'social_worker', actor: { id: 'cli' } });
      const { accountId } = await acceptInvitation(db, masterKey, invitation.token);
      const ctx: CaseContext = { db, masterKey, who: { sessionId: 's', organizationId: org.id, accountId, role: 'social_worker' } };
      const profile = { languages: [], nationality: null, birthYear: null, contactRules: null, referredBy: null, minor: false, inDanger: false, noContactWith: null };
      const consent = { scopes: ['procedures' as const], retentionMonths: 24, language: 'fr' };
      // One withdrew her consent (due now), one closed today (due in 24 months), one open.
      const withdrawn = await openPerson(ctx, { pseudonym: PSEUDONYM, realName: null, profile, consent });
      await withdrawConsent(ctx, withdrawn.id, (await readPerson(ctx, withdrawn.id)).consents[0]!.id);
      const closed = await openPerson(ctx, { pseudonym: 'Closed Fake', realName: null, profile, consent });
      await closePerson(ctx, closed.id, 'completed');
      const open = await openPerson(ctx, { pseudonym: 'Open Fake', realName: null, profile, consent });

      const dry = await run('cases', 'purge', '--dry-run', '--json');
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.out)).toEqual({ dryRun: true, people: [{ organizationId: org.id, personId: withdrawn.id, purgeAfter: expect.any(String) }] });
      expect((await readPerson(ctx, withdrawn.id)).status).toBe('closed');

      const real = await run('cases', 'purge');
      expect(real.code).toBe(0);
      expect(real.out).toBe('erased 1 closed record(s) past their retention');
      await expect(readPerson(ctx, withdrawn.id)).rejects.toMatchObject({ code: 'not_found' });
      expect((await readPerson(ctx, closed.id)).status).toBe('closed');
      expect((await readPerson(ctx, open.id)).status).toBe('open');
      expect((await run('cases', 'purge')).out).toBe('erased 0 closed record(s) past their retention');
      const audit = await inTenant(db, org.id, (trx) => trx.selectFrom('audit_entry').selectAll().where('chain', '=', org.id).where('action', '=', 'person.purge').execute());
      expect(audit.map((e) => [e.actor_id, e.target_id])).toEqual([['cli', withdrawn.id]]);
      expect((await run('cases', 'purge', '--bogus')).code).toBe(2);
    } finally {
      await close();
    }
  });
});
