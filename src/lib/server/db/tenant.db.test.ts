import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabases, testDialects, TEST_OWNER_ROLE } from '../../../../tests/support/databases';
import { createOrganization } from '../accounts/organization.service';
import { acceptInvitation, inviteAccount, startSession } from '../accounts/account.service';
import { TENANT_TABLES, inTenant } from './tenant';
import { TenantIsolationError } from './tenant-guard';
import { openPerson, openProcedure, recordStep, type CaseContext } from '../accompaniment/person.service';
import { createCalendarFeed } from '../accompaniment/calendar.service';
import { parisDateKey } from '../../time/paris-time';

const cli = { id: 'cli' };
/** Tables with an `organization_id` that are NOT tenant tables, and why. */
const PUBLIC_TABLES = {
  // The public directory: its organization is a directory organization, not a tenant.
  directory_service: 'organization_id names a directory organization',
  // A sign-in challenge is made before any organization is known (hashes and ids only).
  webauthn_challenge: 'organization_id says which organization a registration challenge is for'
};

describe.each(testDialects())('tenant isolation on %s', (dialect) => {
  const fresh = freshDatabases(dialect);

  /**
   * Two organizations, each with one account, a session, a recovery code and a passkey, and
   * a row in every case table (a record with a task due in a month, a reminder, a calendar
   * feed, a broken glass, a document, a statistic, an appointment).
   */
  async function twoOrganizations() {
    const handle = await fresh({ poolSize: 1 });
    const { db } = handle;
    const masterKey = randomBytes(32);
    const member = async (organizationId: string, email: string) => {
      const { token } = await inviteAccount(db, masterKey, { organizationId, email, role: 'social_worker', actor: cli });
      const { accountId } = await acceptInvitation(db, masterKey, token);
      const session = await startSession(db, { organizationId, accountId });
      await inTenant(db, organizationId, async (trx) => {
        await trx.insertInto('recovery_code').values({ code_hash: randomBytes(32).toString('hex'), organization_id: organizationId, account_id: accountId, created_at: 'x', used_at: null }).execute();
        await trx
          .insertInto('passkey')
          .values({ id: randomBytes(16).toString('hex'), organization_id: organizationId, account_id: accountId, credential_id: randomBytes(16).toString('base64url'), public_key: 'x', counter: 0, transports: '[]', user_handle: 'x', name_encrypted: 'x', device_type: 'singleDevice', backed_up: 0, created_at: 'x', last_used_at: null })
          .execute();
      });
      const ctx: CaseContext = { db, masterKey, who: { sessionId: 'seed', organizationId, accountId, role: 'social_worker' } };
      const profile = { languages: [], nationality: null, birthYear: null, contactRules: null, referredBy: null, minor: false, inDanger: false, noContactWith: null };
      const person = await openPerson(ctx, { pseudonym: `Fake ${email}`, realName: null, profile, consent: { scopes: ['procedures'], retentionMonths: 24, language: 'fr' } });
      const procedure = await openProcedure(ctx, person.id, 'other');
      const inAMonth = parisDateKey(new Date(Date.now() + 30 * 86_400_000));
      await recordStep(ctx, procedure.id, { transition: 'start', at: parisDateKey(new Date()), fields: { other_category: 'health', due_date: inAMonth } }, null);
      await createCalendarFeed(ctx, 'http://localhost:3000', 'fr');
      await inTenant(db, organizationId, (trx) =>
        trx
          .insertInto('case_access')
          .values({ id: randomBytes(8).toString('hex'), organization_id: organizationId, person_id: person.id, account_id: accountId, reason_encrypted: 'f1.x', opened_at: 'x', expires_at: 'x' })
          .execute()
      );
      // A document and an anonymous statistic (her rights).
      await inTenant(db, organizationId, async (trx) => {
        await trx
          .insertInto('case_document')
          .values({ id: randomBytes(8).toString('hex'), organization_id: organizationId, person_id: person.id, media_type: 'application/pdf', size: 1, name_encrypted: 'f1.x', uploaded_by: accountId, uploaded_at: 'x', content_encrypted: Buffer.from('x') })
          .execute();
        await trx
          .insertInto('case_statistic')
          .values({ id: randomBytes(8).toString('hex'), organization_id: organizationId, kind: 'other', state: 'open', terminal: 0, opened_month: '2026-11', steps_json: '[]', kept_month: '2026-11' })
          .execute();
      });
      // An appointment with her.
      await inTenant(db, organizationId, (trx) =>
        trx
          .insertInto('case_appointment')
          .values({ id: randomBytes(8).toString('hex'), organization_id: organizationId, person_id: person.id, starts_at: 'x', duration_minutes: null, place_encrypted: 'f1.x', purpose_encrypted: null, attendee_id: accountId, created_by: accountId, created_at: 'x', cancelled_at: null, cancelled_by: null })
          .execute()
      );
      // A row in every participation table (issue 7).
      await inTenant(db, organizationId, async (trx) => {
        const o = organizationId;
        const r = () => randomBytes(8).toString('hex');
        const [moduleId, consultationId, questionId, workshopId, contributionId, themeId, statementId, recommendationId] = [r(), r(), r(), r(), r(), r(), r(), r()];
        await trx.insertInto('participation_member').values({ account_id: accountId, organization_id: o, pseudonym_encrypted: 'f1.x', pseudonym_index: r(), language: 'fr', enrolled_by: accountId, enrolled_at: 'x', left_at: null }).execute();
        await trx.insertInto('member_sign_in_code').values({ code_hash: r(), organization_id: o, account_id: accountId, created_by: accountId, created_at: 'x', expires_at: 'x', used_at: null }).execute();
        await trx.insertInto('proxy_session').values({ id: r(), organization_id: o, facilitator_id: accountId, member_id: accountId, reason_encrypted: 'f1.x', session_id_hash: r(), started_at: 'x', expires_at: 'x', ended_at: null }).execute();
        await trx.insertInto('training_module').values({ id: moduleId, organization_id: o, title: 't', content: 'c', language: 'fr', duration_minutes: 60, created_by: accountId, created_at: 'x', archived_at: null }).execute();
        await trx.insertInto('training_completion').values({ organization_id: o, module_id: moduleId, account_id: accountId, completed_at: 'x', recorded_by: accountId }).execute();
        await trx
          .insertInto('consultation')
          .values({ id: consultationId, organization_id: o, title: 't', requester: 'r', call_url: null, deadline: null, summary: null, language: 'fr', phase: 'collect', required_module_id: moduleId, presentation: null, do_not_publish: 0, submitted_at: null, outcome: null, created_by: accountId, created_at: 'x', updated_at: 'x' })
          .execute();
        await trx.insertInto('consultation_phase').values({ id: r(), organization_id: o, consultation_id: consultationId, phase: 'collect', opened_at: 'x', opened_by: accountId, closed_at: null, closed_by: null }).execute();
        await trx.insertInto('consultation_question').values({ id: questionId, organization_id: o, consultation_id: consultationId, position: 1, label: '1', text: 'q', chosen: 1 }).execute();
        await trx
          .insertInto('workshop')
          .values({ id: workshopId, organization_id: o, consultation_id: consultationId, title: 'w', starts_at: 'x', duration_minutes: 120, place: 'p', format: 'debate', facilitators_json: '[]', services_json: '[]', attendance_code_hash: null, minutes_encrypted: null, created_by: accountId, created_at: 'x', cancelled_at: null })
          .execute();
        await trx.insertInto('workshop_attendance').values({ organization_id: o, workshop_id: workshopId, account_id: accountId, checked_in_at: 'x', method: 'code', recorded_by: accountId }).execute();
        await trx
          .insertInto('contribution')
          .values({ id: contributionId, organization_id: o, consultation_id: consultationId, question_id: questionId, source: 'member', workshop_id: null, present_count: null, language: 'fr', text_encrypted: 'f1.x', translation_encrypted: null, translation_language: null, audio_encrypted: null, audio_type: null, content_note: null, consent: 'internal', status: 'submitted', author_tag: r(), created_on: 'x', updated_on: 'x', withdrawn_on: null })
          .execute();
        await trx.insertInto('contribution_confirmation').values({ organization_id: o, contribution_id: contributionId, account_id: accountId, verdict: 'confirmed', at: 'x' }).execute();
        await trx.insertInto('theme').values({ id: themeId, organization_id: o, consultation_id: consultationId, title: 't', summary: null, position: 1, status: 'suggested', merged_into: null, origin: 'suggested', created_by: accountId, created_at: 'x' }).execute();
        await trx.insertInto('theme_contribution').values({ organization_id: o, theme_id: themeId, contribution_id: contributionId }).execute();
        await trx.insertInto('theme_decision').values({ id: r(), organization_id: o, theme_id: themeId, action: 'confirm', detail: null, workshop_id: workshopId, decided_by: accountId, decided_at: 'x' }).execute();
        await trx.insertInto('question_theme').values({ organization_id: o, question_id: questionId, theme_id: themeId }).execute();
        await trx.insertInto('statement').values({ id: statementId, organization_id: o, consultation_id: consultationId, theme_id: themeId, text: 's', language: 'fr', proposed_by: 'member', status: 'open', created_on: 'x' }).execute();
        await trx.insertInto('statement_vote').values({ organization_id: o, statement_id: statementId, voter_tag: r(), vote: 'agree', group_language: 'fr', group_workshop: workshopId, voted_on: 'x' }).execute();
        await trx.insertInto('recommendation').values({ id: recommendationId, organization_id: o, consultation_id: consultationId, theme_id: themeId, position: 1, status: 'draft', current_version: 1, adopted_at: null, created_by: accountId, created_at: 'x' }).execute();
        await trx.insertInto('recommendation_version').values({ organization_id: o, recommendation_id: recommendationId, version: 1, text: 't', note: null, changed_by: accountId, changed_at: 'x' }).execute();
        await trx.insertInto('recommendation_statement').values({ organization_id: o, recommendation_id: recommendationId, statement_id: statementId }).execute();
        await trx.insertInto('recommendation_vote').values({ organization_id: o, recommendation_id: recommendationId, version: 1, voter_tag: r(), vote: 'agree', reason_encrypted: null, voted_on: 'x' }).execute();
        await trx.insertInto('participation_setting').values({ organization_id: o, hourly_rate_cents: 1500, currency: 'EUR', updated_by: accountId, updated_at: 'x' }).execute();
        await trx
          .insertInto('pay_entry')
          .values({ id: r(), organization_id: o, account_id: accountId, kind: 'attendance', workshop_id: workshopId, module_id: null, worked_on: 'x', minutes: 120, rate_cents: 1500, amount_cents: 3000, recorded_by: accountId, recorded_at: 'x' })
          .execute();
        await trx.insertInto('payment').values({ id: r(), organization_id: o, account_id: accountId, amount_cents: 3000, paid_on: 'x', method: 'transfer', recorded_by: accountId, recorded_at: 'x' }).execute();
      });
      return { accountId, session };
    };
    const a = await createOrganization(db, masterKey, { name: 'A', actor: cli });
    const b = await createOrganization(db, masterKey, { name: 'B', actor: cli });
    return { ...handle, a: { ...a, ...(await member(a.id, 'a.fake@example.test')) }, b: { ...b, ...(await member(b.id, 'b.fake@example.test')) } };
  }

  it('every table that belongs to an organization is a tenant table', async () => {
    const { raw } = await fresh();
    const tables = await raw.introspection.getTables();
    const owned = tables.filter((t) => t.columns.some((c) => c.name === 'organization_id' || (c.name === 'chain' && t.name.startsWith('audit_')))).map((t) => t.name);
    expect(owned.filter((t) => !(t in PUBLIC_TABLES)).sort()).toEqual(Object.keys(TENANT_TABLES).sort());
    for (const [table, column] of Object.entries(TENANT_TABLES)) {
      expect(tables.find((t) => t.name === table)?.columns.map((c) => c.name), table).toContain(column);
    }
    if (dialect === 'postgres') {
      const rls = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
        select relname, relrowsecurity, relforcerowsecurity from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'`.execute(raw);
      const isolated = rls.rows.filter((r) => r.relrowsecurity && r.relforcerowsecurity).map((r) => r.relname);
      expect(isolated.sort()).toEqual(Object.keys(TENANT_TABLES).sort());
      const policies = await sql<{ tablename: string; policyname: string; permissive: string; qual: string; with_check: string }>`
        select tablename, policyname, permissive, qual, with_check from pg_policies where schemaname = 'public' order by tablename, policyname`.execute(raw);
      for (const [table, column] of Object.entries(TENANT_TABLES)) {
        const mine = policies.rows.filter((p) => p.tablename === table);
        expect(mine.map((p) => `${p.policyname}:${p.permissive}`), table).toEqual(['tenant_isolation:RESTRICTIVE', 'tenant_rows:PERMISSIVE']);
        for (const p of mine) {
          expect(p.qual).toContain(column);
          expect(p.qual).toContain("current_setting('app.tenant_id'::text, true)");
          expect(p.with_check).toBe(p.qual);
        }
      }
    }
  });

  describe('the data layer refuses a query that is not bound to its tenant', () => {
    it('refuses any query on a tenant table outside inTenant, and allows the other tables', async () => {
      const { db, a } = await twoOrganizations();
      await expect(db.selectFrom('person_account').selectAll().where('organization_id', '=', a.id).execute()).rejects.toThrow(TenantIsolationError);
      await expect(db.selectFrom('session').selectAll().execute()).rejects.toThrow(/outside inTenant/);
      await expect(db.deleteFrom('audit_entry').where('chain', '=', a.id).execute()).rejects.toThrow(/outside inTenant/);
      await expect(sql`select count(*) from session`.execute(db)).rejects.toThrow(/raw SQL names the tenant table session/);
      expect(await db.selectFrom('organization').select('id').execute()).toHaveLength(2);
    });

    it('inside a tenant: refuses an unbound, widened or foreign filter, a foreign insert and a move', async () => {
      const { db, a, b } = await twoOrganizations();
      const refused = (work: Parameters<typeof inTenant>[2]) => expect(inTenant(db, a.id, work)).rejects.toThrow(TenantIsolationError);
      await refused((trx) => trx.selectFrom('person_account').selectAll().execute());
      await refused((trx) => trx.selectFrom('person_account').selectAll().where('organization_id', '=', b.id).execute());
      await refused((trx) => trx.selectFrom('person_account').selectAll().where((eb) => eb.or([eb('organization_id', '=', a.id), eb('id', '=', b.accountId)])).execute());
      await refused((trx) => trx.selectFrom('person_account').selectAll().where('organization_id', '!=', b.id).execute());
      await refused((trx) => trx.updateTable('session').set({ ended_at: 'x' }).where('account_id', '=', b.accountId).execute());
      await refused((trx) => trx.updateTable('person_account').set({ organization_id: b.id }).where('organization_id', '=', a.id).execute());
      await refused((trx) => trx.deleteFrom('recovery_code').where('account_id', '=', a.accountId).execute());
      await refused((trx) =>
        trx.insertInto('session').values({ id_hash: 'h'.repeat(64), organization_id: b.id, account_id: b.accountId, created_at: 'x', last_seen_at: 'x', expires_at: 'x', ended_at: null }).execute()
      );
      await refused((trx) => trx.insertInto('audit_head').values({ chain: b.id, seq: 0, hash: '0' }).execute());
      // A join or a sub-query on a tenant table is checked on its own.
      await refused((trx) =>
        trx.selectFrom('session').innerJoin('person_account', 'person_account.id', 'session.account_id').selectAll('session').where('session.organization_id', '=', a.id).execute()
      );
      await refused((trx) =>
        trx
          .selectFrom('session')
          .select('id_hash')
          .where('organization_id', '=', a.id)
          .where('account_id', 'in', (eb) => eb.selectFrom('person_account').select('id'))
          .execute()
      );
    });

    it('lets a bound query through, and finds nothing of another organization', async () => {
      const { db, a, b } = await twoOrganizations();
      const rows = await inTenant(db, a.id, (trx) =>
        trx
          .selectFrom('session')
          .innerJoin('person_account as p', (join) => join.onRef('p.id', '=', 'session.account_id').on('p.organization_id', '=', a.id))
          .select(['session.account_id', 'p.role'])
          .where('session.organization_id', '=', a.id)
          .execute()
      );
      expect(rows).toEqual([{ account_id: a.accountId, role: 'social_worker' }]);
      const foreign = await inTenant(db, a.id, (trx) => trx.selectFrom('person_account').select('id').where('organization_id', '=', a.id).where('id', '=', b.accountId).execute());
      expect(foreign).toEqual([]);
    });
  });

  if (dialect === 'postgres') {
    describe('PostgreSQL row-level security, alone (the app’s role, without the data layer)', () => {
      it('a query without the tenant set sees no row, though the rows are there', async () => {
        const { db, raw } = await twoOrganizations();
        const app = db.withoutPlugins();
        for (const table of Object.keys(TENANT_TABLES)) {
          const seen = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(app);
          const there = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(raw);
          expect(Number(seen.rows[0]!.n), table).toBe(0);
          expect(Number(there.rows[0]!.n), table).toBeGreaterThan(0);
        }
      });

      it('the tenant is set per transaction: the pooled connection does not keep it', async () => {
        const { db, a } = await twoOrganizations();
        const app = db.withoutPlugins();
        // One connection in the pool: the next query runs on the very same connection.
        const inside = await inTenant(app, a.id, (trx) => sql<{ n: string }>`select count(*) as n from person_account`.execute(trx));
        expect(Number(inside.rows[0]!.n)).toBe(1);
        const setting = await sql<{ t: string | null }>`select current_setting('app.tenant_id', true) as t`.execute(app);
        expect(setting.rows[0]!.t ?? '').toBe('');
        const after = await sql<{ n: string }>`select count(*) as n from person_account`.execute(app);
        expect(Number(after.rows[0]!.n)).toBe(0);
      });

      it('organization A’s transaction cannot read or write organization B’s rows', async () => {
        const { db, raw, a, b } = await twoOrganizations();
        const app = db.withoutPlugins();
        await inTenant(app, a.id, async (trx) => {
          const accounts = await sql<{ id: string }>`select id from person_account`.execute(trx);
          expect(accounts.rows.map((r) => r.id)).toEqual([a.accountId]);
          const updated = await sql`update person_account set role = 'admin' where id = ${b.accountId}`.execute(trx);
          expect(Number(updated.numAffectedRows)).toBe(0);
          const ended = await sql`update session set ended_at = 'now' where organization_id = ${b.id}`.execute(trx);
          expect(Number(ended.numAffectedRows)).toBe(0);
          const deleted = await sql`delete from recovery_code where organization_id = ${b.id}`.execute(trx);
          expect(Number(deleted.numAffectedRows)).toBe(0);
        });
        // WITH CHECK: a row written for B, or moved to B, is refused.
        await expect(
          inTenant(app, a.id, (trx) =>
            sql`insert into session (id_hash, organization_id, account_id, created_at, last_seen_at, expires_at) values (${'h'.repeat(64)}, ${b.id}, ${b.accountId}, 'x', 'x', 'x')`.execute(trx)
          )
        ).rejects.toThrow(/row-level security/);
        await expect(inTenant(app, a.id, (trx) => sql`update person_account set organization_id = ${b.id} where id = ${a.accountId}`.execute(trx))).rejects.toThrow(
          /row-level security/
        );
        await expect(inTenant(app, a.id, (trx) => sql`insert into audit_head (chain, seq, hash) values (${b.id}, 0, 'x')`.execute(trx))).rejects.toThrow(/row-level security/);
        const bRows = await raw.selectFrom('person_account').select(['role', 'organization_id']).where('id', '=', b.accountId).executeTakeFirstOrThrow();
        expect(bRows).toEqual({ role: 'social_worker', organization_id: b.id });
      });

      it('the app’s role cannot switch isolation off, nor become the owner', async () => {
        const { db, a } = await twoOrganizations();
        const app = db.withoutPlugins();
        const attempts: Array<[string, RegExp]> = [
          ['alter table person_account disable row level security', /must be owner/],
          ['alter table person_account no force row level security', /must be owner/],
          ['drop policy tenant_isolation on person_account', /must be owner/],
          ['create policy everything on person_account using (true)', /must be owner/],
          [`set role ${TEST_OWNER_ROLE}`, /permission denied/],
          ['create table escape (id text)', /permission denied/],
          ['create view escape as select * from person_account', /permission denied/]
        ];
        for (const [statement, error] of attempts) {
          await expect(inTenant(app, a.id, (trx) => sql.raw(statement).execute(trx)), statement).rejects.toThrow(error);
        }
        // row_security = off does not turn policies off for her: the query is refused.
        await expect(
          app.transaction().execute(async (trx) => {
            await sql`set local row_security = off`.execute(trx);
            return sql`select count(*) from person_account`.execute(trx);
          })
        ).rejects.toThrow(/row-level security/);
      });

      it('the tables’ owner obeys the policies too (forced)', async () => {
        const { owner } = await twoOrganizations();
        const seen = await sql<{ n: string }>`select count(*) as n from person_account`.execute(owner.withoutPlugins());
        expect(Number(seen.rows[0]!.n)).toBe(0);
      });
    });
  }
});
