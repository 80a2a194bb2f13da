import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { domainErrorCode as codeOf, twoOrganizations } from '../../../../tests/support/organizations';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import type { Database } from '../db/schema';
import { createOrganization } from '../accounts/organization.service';
import { inTenant } from '../db/tenant';
import { addMember } from './member.repository';
import { chooseQuestion, createConsultation, switchPhase, PhaseRefusedError } from './consultation.service';
import { consultationOf, listConsultations } from './consultation.repository';
import {
  changeOwnConsent,
  confirmTranscription,
  contributionAudio,
  contributionsForFacilitator,
  ContributionRefusedError,
  enterWorkshopBatch,
  memberConsultation,
  ownAudio,
  transcribeContribution,
  translateAsFacilitator,
  translateOwn,
  usableContributions,
  withdrawOnRequest,
  withdrawOwn,
  writeContribution,
  type MemberContext,
  type WriteInput
} from './contribution.service';

// Obviously fake and distinctive: finding them where they should not be means a leak.
const ANSWER = 'Zorblewick answer about housing';
const OTHER_ANSWER = 'Quintaflor answer about papers';
const PSEUDONYM = 'Marvelline Testpseudo';
const NOW = new Date('2026-12-01T09:00:00Z');
const cli = { id: 'cli' };

/** A browser's cookie jar: what `ensureAuthorKey` sets, `readAuthorKey` reads. */
function jar() {
  const values = new Map<string, string>();
  return { values, get: (name: string) => values.get(name), set: (name: string, value: string) => void values.set(name, value) };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e
  );
}

describe.each(testDialects())('consultations and contributions on %s', (dialect) => {
  const open = freshDatabases(dialect);

  async function setup() {
    const handle = await open();
    const db = handle.db as Kysely<Database>;
    const { masterKey, orgA: orgAId, orgB: orgBId, account } = await twoOrganizations(db);
    const orgA = { id: orgAId };
    const orgB = { id: orgBId };
    async function member(organizationId: string, pseudonym: string, enrolledBy: string): Promise<MemberContext & { jar: ReturnType<typeof jar> }> {
      const ctx = await account(organizationId, 'member');
      await addMember(db, masterKey, { organizationId, accountId: ctx.who.accountId, pseudonym, language: 'pcm', enrolledBy });
      const cookies = jar();
      return { ...ctx, cookies, jar: cookies, secure: false };
    }
    const coordinator = await account(orgA.id, 'coordinator');
    const admin = await account(orgA.id, 'admin');
    const t = {
      handle,
      db,
      masterKey,
      orgA: orgA.id,
      orgB: orgB.id,
      coordinator,
      admin,
      social: await account(orgA.id, 'social_worker'),
      alice: await member(orgA.id, PSEUDONYM, coordinator.who.accountId),
      bea: await member(orgA.id, 'Bellatrice Testpseudo', coordinator.who.accountId),
      outsider: await member(orgB.id, 'Outsidera Testpseudo', coordinator.who.accountId)
    };
    const { id } = await createConsultation(
      coordinator,
      {
        title: 'Call for input on trafficking',
        requester: 'UN Special Rapporteur',
        callUrl: 'https://example.test/call',
        deadline: '2027-01-15',
        summary: null,
        language: 'en',
        questions: [
          { label: '13', text: 'What measures protect survivors?' },
          { label: '14', text: 'What should change?' },
          { label: '15', text: 'Not chosen' }
        ]
      },
      NOW
    );
    const consultation = (await consultationOf(db, orgA.id, id))!;
    await chooseQuestion(coordinator, id, consultation.questions[0]!.id, true, NOW);
    await chooseQuestion(coordinator, id, consultation.questions[1]!.id, true, NOW);
    await switchPhase(coordinator, id, { kind: 'open', phase: 'collect' }, NOW);
    return { ...t, consultationId: id, q13: consultation.questions[0]!.id, q14: consultation.questions[1]!.id, q15: consultation.questions[2]!.id };
  }
  type Setup = Awaited<ReturnType<typeof setup>>;

  const answer = (t: Setup, overrides: Partial<WriteInput> = {}): WriteInput => ({
    questionId: t.q13,
    language: 'pcm',
    text: ANSWER,
    contentNote: null,
    consent: 'internal',
    audio: null,
    intent: 'send',
    ...overrides
  });

  const auditRows = (t: Setup) => t.handle.raw.selectFrom('audit_entry').selectAll().where('chain', '=', t.orgA).orderBy('seq').execute();

  it('creates a consultation with the call’s numbers, lists it with counts, and switches phases by the rules, audited', async () => {
    const t = await setup();
    const consultation = await consultationOf(t.db, t.orgA, t.consultationId);
    expect(consultation?.questions.map((q) => [q.label, q.chosen])).toEqual([
      ['13', true],
      ['14', true],
      ['15', false]
    ]);
    expect(consultation?.phase).toBe('collect');
    expect(await consultationOf(t.db, t.orgB, t.consultationId)).toBeNull();
    await writeContribution(t.alice, t.consultationId, answer(t), NOW);
    const list = await listConsultations(t.db, t.orgA);
    expect(list).toEqual([expect.objectContaining({ id: t.consultationId, questions: 3, chosenQuestions: 2, contributions: 1, withdrawn: 0, phase: 'collect' })]);
    expect(await listConsultations(t.db, t.orgB)).toEqual([]);

    const refused = await failureOf(switchPhase(t.coordinator, t.consultationId, { kind: 'open', phase: 'group' }, NOW));
    expect(refused).toBeInstanceOf(PhaseRefusedError);
    expect((refused as PhaseRefusedError).reason).toBe('another_open');
    await switchPhase(t.admin, t.consultationId, { kind: 'close', phase: 'collect' }, NOW);
    expect((await consultationOf(t.db, t.orgA, t.consultationId))?.phase).toBeNull();
    expect(await codeOf(switchPhase(t.social, t.consultationId, { kind: 'open', phase: 'group' }, NOW))).toBe('forbidden');
    expect(await codeOf(switchPhase(t.alice, t.consultationId, { kind: 'open', phase: 'group' }, NOW))).toBe('forbidden');
    const actions = (await auditRows(t)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['consultation.create', 'consultation.question_choose', 'consultation.phase_open', 'consultation.phase_close']));
  });

  it('lets a member write, pause, come back to her draft, send, change consent, translate and withdraw her own', async () => {
    const t = await setup();
    const draft = await writeContribution(t.alice, t.consultationId, answer(t, { intent: 'pause' }), NOW);
    expect(draft.status).toBe('draft');
    // The author key was set in her browser's cookie.
    expect(t.alice.jar.values.size).toBe(1);
    let page = await memberConsultation(t.alice, t.consultationId);
    expect(page.own).toEqual([expect.objectContaining({ id: draft.id, status: 'draft', text: ANSWER, consent: 'internal' })]);
    expect(page.consultation.questions.map((q) => q.label)).toEqual(['13', '14']);
    // A draft is not usable, nor shown to facilitators.
    expect(await usableContributions(t.db, t.masterKey, t.orgA, t.consultationId)).toEqual([]);
    expect((await contributionsForFacilitator(t.coordinator, t.consultationId)).contributions).toEqual([]);

    await writeContribution(t.alice, t.consultationId, answer(t, { contributionId: draft.id, text: `${ANSWER} (sent)`, intent: 'send' }), NOW);
    await changeOwnConsent(t.alice, t.consultationId, draft.id, 'quote', NOW);
    await translateOwn(t.alice, t.consultationId, draft.id, { language: 'en', translation: 'My translation' }, NOW);
    let usable = await usableContributions(t.db, t.masterKey, t.orgA, t.consultationId);
    expect(usable).toEqual([
      { id: draft.id, questionId: t.q13, language: 'pcm', text: `${ANSWER} (sent)`, translation: 'My translation', translationLanguage: 'en', consent: 'quote', source: 'member', workshopId: null, presentCount: null }
    ]);
    const row = await t.handle.raw.selectFrom('contribution').selectAll().where('id', '=', draft.id).executeTakeFirstOrThrow();
    expect(row.created_on).toBe('2026-12-01');
    expect(row.translation_by).toBe('member');
    expect(row.author_tag).toMatch(/^[0-9a-f]{64}$/);

    await withdrawOwn(t.alice, t.consultationId, draft.id, true, NOW);
    usable = await usableContributions(t.db, t.masterKey, t.orgA, t.consultationId);
    expect(usable).toEqual([]);
    page = await memberConsultation(t.alice, t.consultationId);
    expect(page.own).toEqual([expect.objectContaining({ id: draft.id, status: 'withdrawn', text: null, withdrawnOn: '2026-12-01' })]);
    const facilitator = await contributionsForFacilitator(t.coordinator, t.consultationId);
    expect(facilitator.contributions).toEqual([expect.objectContaining({ id: draft.id, status: 'withdrawn', text: null })]);
  });

  it('refuses bad input with the field and her message: an empty answer, an unknown consent, a question not chosen', async () => {
    const t = await setup();
    const empty = await failureOf(writeContribution(t.alice, t.consultationId, answer(t, { text: '   ' }), NOW));
    expect(empty).toBeInstanceOf(ContributionRefusedError);
    expect([(empty as ContributionRefusedError).field, (empty as ContributionRefusedError).key]).toEqual([`${t.q13}-text`, 'participation.contribution.error.empty']);
    const consent = await failureOf(writeContribution(t.alice, t.consultationId, answer(t, { consent: 'publish' }), NOW));
    expect((consent as ContributionRefusedError).key).toBe('participation.contribution.error.consent');
    const question = await failureOf(writeContribution(t.alice, t.consultationId, answer(t, { questionId: t.q15 }), NOW));
    expect((question as ContributionRefusedError).key).toBe('participation.contribution.error.question');
    const audio = await failureOf(writeContribution(t.alice, t.consultationId, answer(t, { audio: { bytes: Buffer.from('<html>'), type: 'text/html' } }), NOW));
    expect((audio as ContributionRefusedError).key).toBe('participation.contribution.error.audio_type');
    expect(await t.handle.raw.selectFrom('contribution').select('id').execute()).toEqual([]);
  });

  it('lets no other member, coordinator or admin find, edit or withdraw hers; and members write only while collect is open', async () => {
    const t = await setup();
    const { id } = await writeContribution(t.alice, t.consultationId, answer(t), NOW);
    await writeContribution(t.bea, t.consultationId, answer(t, { text: OTHER_ANSWER }), NOW);
    // Bea finds only hers.
    const bea = await memberConsultation(t.bea, t.consultationId);
    expect(bea.own.map((c) => c.text)).toEqual([OTHER_ANSWER]);
    expect(await codeOf(withdrawOwn(t.bea, t.consultationId, id, true, NOW))).toBe('not_found');
    expect(await codeOf(changeOwnConsent(t.bea, t.consultationId, id, 'quote', NOW))).toBe('not_found');
    expect(await codeOf(writeContribution(t.bea, t.consultationId, answer(t, { contributionId: id, text: 'taken over' }), NOW))).toBe('not_found');
    expect(await codeOf(translateOwn(t.bea, t.consultationId, id, { language: 'en', translation: 'x' }, NOW))).toBe('not_found');
    // Even with Alice's cookie copied into her browser, Bea's account opens nothing.
    const copied = { ...t.bea, cookies: t.alice.jar };
    expect(await codeOf(withdrawOwn(copied, t.consultationId, id, false, NOW))).toBe('not_found');
    // Alice on a new device (no cookie): she cannot find it either.
    const newDevice = { ...t.alice, cookies: jar() };
    expect((await memberConsultation(newDevice, t.consultationId)).own).toEqual([]);
    expect(await codeOf(withdrawOwn(newDevice, t.consultationId, id, false, NOW))).toBe('not_found');
    // Staff are not members: none of her use cases is theirs.
    for (const staff of [t.admin, t.coordinator]) {
      const asMember = { ...staff, cookies: jar(), secure: false };
      expect(await codeOf(memberConsultation(asMember, t.consultationId))).toBe('forbidden');
      expect(await codeOf(withdrawOwn(asMember, t.consultationId, id, false, NOW))).toBe('forbidden');
    }
    // Another organization's member: not found.
    expect(await codeOf(memberConsultation(t.outsider, t.consultationId))).toBe('not_found');
    const usable = await usableContributions(t.db, t.masterKey, t.orgA, t.consultationId);
    expect(usable.map((c) => c.text).sort()).toEqual([ANSWER, OTHER_ANSWER].sort());

    await switchPhase(t.coordinator, t.consultationId, { kind: 'close', phase: 'collect' }, NOW);
    const closed = await failureOf(writeContribution(t.alice, t.consultationId, answer(t, { text: 'late' }), NOW));
    expect((closed as ContributionRefusedError).key).toBe('participation.contribution.error.closed_write');
    // Her consent and her withdrawal stay hers after collect.
    await changeOwnConsent(t.alice, t.consultationId, id, 'summarise', NOW);
    await withdrawOwn(t.alice, t.consultationId, id, false, NOW);
    expect((await usableContributions(t.db, t.masterKey, t.orgA, t.consultationId)).map((c) => c.text)).toEqual([OTHER_ANSWER]);
  });

  it('writes with no author tag during a facilitator’s proxy, and no cookie is set', async () => {
    const t = await setup();
    await inTenant(t.db, t.orgA, (trx) =>
      trx
        .insertInto('proxy_session')
        .values({
          id: randomUUID(),
          organization_id: t.orgA,
          facilitator_id: t.coordinator.who.accountId,
          member_id: t.alice.who.accountId,
          reason_encrypted: 'sealed',
          session_id_hash: t.alice.who.sessionId,
          started_at: NOW.toISOString(),
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          ended_at: null
        })
        .execute()
    );
    const paused = await failureOf(writeContribution(t.alice, t.consultationId, answer(t, { intent: 'pause' }), NOW));
    expect((paused as ContributionRefusedError).key).toBe('participation.contribution.error.proxy_pause');
    const { id, status } = await writeContribution(t.alice, t.consultationId, answer(t), NOW);
    expect(status).toBe('submitted');
    const row = await t.handle.raw.selectFrom('contribution').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.author_tag).toBeNull();
    expect(row.source).toBe('facilitator');
    expect(t.alice.jar.values.size).toBe(0);
    expect((await memberConsultation(t.alice, t.consultationId)).own).toEqual([]);
  });

  it('never makes her author key in a session opened as a proxy, even once the proxy ended or ran out (the request that crosses its limit)', async () => {
    const t = await setup();
    for (const ended of [{ expires_at: new Date(Date.now() - 1000).toISOString(), ended_at: null }, { expires_at: new Date(Date.now() + 3600_000).toISOString(), ended_at: NOW.toISOString() }]) {
      await inTenant(t.db, t.orgA, (trx) => trx.deleteFrom('proxy_session').where('organization_id', '=', t.orgA).execute());
      await inTenant(t.db, t.orgA, (trx) =>
        trx
          .insertInto('proxy_session')
          .values({ id: randomUUID(), organization_id: t.orgA, facilitator_id: t.coordinator.who.accountId, member_id: t.alice.who.accountId, reason_encrypted: 'sealed', session_id_hash: t.alice.who.sessionId, started_at: NOW.toISOString(), ...ended })
          .execute()
      );
      const { id } = await writeContribution(t.alice, t.consultationId, answer(t), NOW);
      const row = await t.handle.raw.selectFrom('contribution').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.author_tag).toBeNull();
      expect(row.source).toBe('facilitator');
      expect(t.alice.jar.values.size).toBe(0);
    }
  });

  it('transcribes, enters a workshop batch, counts confirmations by members present, withdraws on request and translates as the facilitator', async () => {
    const t = await setup();
    const workshopId = randomUUID();
    await inTenant(t.db, t.orgA, async (trx) => {
      await trx
        .insertInto('workshop')
        .values({
          id: workshopId,
          organization_id: t.orgA,
          consultation_id: t.consultationId,
          title: 'Film then debate',
          starts_at: NOW.toISOString(),
          duration_minutes: 120,
          place: 'Room',
          format: 'film_debate',
          facilitators_json: '[]',
          services_json: '[]',
          attendance_code_hash: null,
          minutes_encrypted: null,
          created_by: t.coordinator.who.accountId,
          created_at: NOW.toISOString(),
          cancelled_at: null
        })
        .execute();
      await trx.insertInto('workshop_attendance').values({ organization_id: t.orgA, workshop_id: workshopId, account_id: t.alice.who.accountId, checked_in_at: NOW.toISOString(), method: 'code', recorded_by: t.coordinator.who.accountId }).execute();
    });
    const { id: transcribed } = await transcribeContribution(t.coordinator, t.consultationId, { questionId: t.q14, language: 'fr', text: 'Dit au téléphone', contentNote: 'police', consent: 'summarise' }, NOW);
    const badCount = await failureOf(enterWorkshopBatch(t.coordinator, t.consultationId, { workshopId, presentCount: 0, questionId: t.q13, language: 'en', lines: ['x'], consent: 'summarise' }, NOW));
    expect((badCount as ContributionRefusedError).field).toBe('present_count');
    const { ids } = await enterWorkshopBatch(t.coordinator, t.consultationId, { workshopId, presentCount: 7, questionId: t.q13, language: 'en', lines: ['Housing first', 'Papers take too long'], consent: 'summarise' }, NOW);
    expect(ids).toHaveLength(2);
    const rows = await t.handle.raw.selectFrom('contribution').selectAll().execute();
    for (const row of rows) expect(row.author_tag).toBeNull();
    expect(rows.filter((r) => r.source === 'workshop').map((r) => [r.workshop_id, Number(r.present_count)])).toEqual([
      [workshopId, 7],
      [workshopId, 7]
    ]);

    // Alice attended: she confirms; Bea did not: not found.
    const alice = await memberConsultation(t.alice, t.consultationId);
    expect(alice.toConfirm).toEqual([expect.objectContaining({ workshopId, contributions: expect.arrayContaining([expect.objectContaining({ id: ids[0], text: 'Housing first' })]) })]);
    await confirmTranscription(t.alice, t.consultationId, ids[0]!, 'confirmed', NOW);
    expect(await codeOf(confirmTranscription(t.bea, t.consultationId, ids[0]!, 'confirmed', NOW))).toBe('not_found');
    const page = await contributionsForFacilitator(t.admin, t.consultationId);
    expect(page.contributions.find((c) => c.id === ids[0])).toMatchObject({ source: 'workshop', presentCount: 7 });
    // One confirmation is "fewer than 5", even in the page's data (never the number 1).
    expect(page.contributions.find((c) => c.id === ids[0])!.confirmed).toEqual({ key: 'participation.count.fewer_than_5', values: { count: 5 } });
    expect(page.contributions.find((c) => c.id === ids[0])!.corrected).toEqual({ key: 'participation.count.fewer_than_5', values: { count: 5 } });

    await translateAsFacilitator(t.coordinator, t.consultationId, transcribed, { language: 'en', translation: 'Said on the phone' }, NOW);
    expect((await t.handle.raw.selectFrom('contribution').select('translation_by').where('id', '=', transcribed).executeTakeFirstOrThrow()).translation_by).toBe('facilitator');
    await withdrawOnRequest(t.coordinator, t.consultationId, ids[1]!, false, NOW);
    const usable = await usableContributions(t.db, t.masterKey, t.orgA, t.consultationId);
    expect(usable.map((c) => c.text)).not.toContain('Papers take too long');
    // Withdrawn without erasing: facilitators see that it was withdrawn, not its words.
    const afterWithdrawal = await contributionsForFacilitator(t.coordinator, t.consultationId);
    expect(afterWithdrawal.contributions.find((c) => c.id === ids[1])).toMatchObject({ status: 'withdrawn', text: null, withdrawnOn: '2026-12-01' });
    expect(JSON.stringify(afterWithdrawal)).not.toContain('Papers take too long');
    expect(usable.find((c) => c.id === transcribed)).toMatchObject({ source: 'facilitator', translation: 'Said on the phone', consent: 'summarise' });
    expect(await codeOf(transcribeContribution(t.social, t.consultationId, { questionId: t.q14, language: 'fr', text: 'x', contentNote: null, consent: 'internal' }, NOW))).toBe('forbidden');
    const other = await createOrganization(t.db, t.masterKey, { name: 'C', actor: cli });
    void other;
    expect(await codeOf(withdrawOnRequest({ ...t.coordinator, who: { ...t.coordinator.who, organizationId: t.orgB } }, t.consultationId, ids[0]!, false, NOW))).toBe('not_found');
  });

  it('keeps a recording encrypted: the stored value holds none of its bytes; she and facilitators hear it, nobody else', async () => {
    const t = await setup();
    const bytes = Buffer.concat([Buffer.from('OggS'), randomBytes(4096)]);
    const { id } = await writeContribution(t.alice, t.consultationId, answer(t, { text: '', audio: { bytes, type: 'audio/ogg; codecs=opus' } }), NOW);
    const row = await t.handle.raw.selectFrom('contribution').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.audio_type).toBe('audio/ogg');
    expect(row.text_encrypted).toBeNull();
    const stored = Buffer.from(row.audio_encrypted!, 'base64');
    expect(stored.includes(bytes.subarray(0, 64))).toBe(false);
    expect(row.audio_encrypted!.includes(bytes.subarray(0, 48).toString('base64'))).toBe(false);
    expect((await ownAudio(t.alice, t.consultationId, id)).bytes.equals(bytes)).toBe(true);
    expect((await contributionAudio(t.coordinator, t.consultationId, id)).bytes.equals(bytes)).toBe(true);
    expect(await codeOf(ownAudio(t.bea, t.consultationId, id))).toBe('not_found');
    expect(await codeOf(contributionAudio(t.social, t.consultationId, id))).toBe('forbidden');
    await withdrawOwn(t.alice, t.consultationId, id, false, NOW);
    expect(await codeOf(contributionAudio(t.coordinator, t.consultationId, id))).toBe('not_found');
    expect((await ownAudio(t.alice, t.consultationId, id)).bytes.equals(bytes)).toBe(true);
  });

  it('keeps the raw database from linking a contribution to its author: no row holds both, no stored value derives the tag, the audit names no one', async () => {
    const t = await setup();
    const written = [
      await writeContribution(t.alice, t.consultationId, answer(t), NOW),
      await writeContribution(t.alice, t.consultationId, answer(t, { questionId: t.q14, intent: 'pause' }), NOW),
      await writeContribution(t.bea, t.consultationId, answer(t, { text: OTHER_ANSWER }), NOW)
    ];
    await changeOwnConsent(t.alice, t.consultationId, written[0]!.id, 'quote', NOW);
    await withdrawOwn(t.bea, t.consultationId, written[2]!.id, false, NOW);
    const contributions = await t.handle.raw.selectFrom('contribution').select(['id', 'author_tag']).execute();
    const tags = contributions.map((c) => c.author_tag!).filter(Boolean);
    expect(tags).toHaveLength(3);
    const memberIds = [t.alice.who.accountId, t.bea.who.accountId];

    // Every row of every table, as a raw reader sees them.
    const tables =
      dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(t.handle.raw)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(t.handle.raw)).rows.map((r) => r.name);
    const everything: Array<{ table: string; text: string; values: string[] }> = [];
    for (const table of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.handle.raw)).rows;
      for (const row of rows) {
        const values = Object.values(row)
          .filter((v) => v !== null && v !== undefined)
          .map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : String(v)));
        everything.push({ table, text: values.join('\u0000'), values });
      }
    }
    expect(everything.length).toBeGreaterThan(20);
    for (const row of everything) {
      const namesContribution = written.some((w) => row.text.includes(w.id)) || tags.some((tag) => row.text.includes(tag));
      const namesMember = memberIds.some((id) => row.text.includes(id));
      expect(namesContribution && namesMember, `a row of ${row.table} links a contribution to a member`).toBe(false);
    }
    // No stored value, used as an HMAC key, gives a contribution's tag.
    const candidates = new Set<string>();
    for (const row of everything) for (const v of row.values) if (v.length >= 8 && v.length <= 4096) candidates.add(v);
    for (const id of memberIds) candidates.add(id);
    const keyForms = (v: string): Buffer[] => {
      const forms = [Buffer.from(v, 'utf8')];
      if (/^[0-9a-f]+$/i.test(v) && v.length % 2 === 0) forms.push(Buffer.from(v, 'hex'));
      if (/^[A-Za-z0-9+/_-]+=*$/.test(v)) forms.push(Buffer.from(v, 'base64'));
      return forms;
    };
    for (const candidate of candidates) {
      for (const key of keyForms(candidate)) {
        for (const c of contributions) {
          if (!c.author_tag) continue;
          const tag = createHmac('sha256', key).update(`contribution:${c.id}`, 'utf8').digest('hex');
          expect(tag === c.author_tag, 'a stored value derives an author tag').toBe(false);
        }
      }
    }
    // The audit log: what members did to their own is not there at all (its order would name
    // them); what facilitators did has no account as actor and no instant finer than the day.
    const audit = (await auditRows(t)).filter((e) => e.action.startsWith('contribution.'));
    expect(audit.filter((e) => written.some((w) => w.id === e.target_id))).toEqual([]);
    for (const entry of audit) {
      expect(entry.actor_id).toBe('facilitator');
      expect(entry.at).toBe('2026-11-30T23:00:00.000Z');
      expect(memberIds.some((id) => JSON.stringify(entry).includes(id))).toBe(false);
    }
    // Her pseudonym and her words are nowhere in clear.
    for (const row of everything) {
      expect(row.text).not.toContain(ANSWER);
      expect(row.text).not.toContain(PSEUDONYM);
    }
  });
});
