import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { strFromU8, unzipSync } from 'fflate';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { attend, insertContribution, seedConsultation, setContributionStatus, setPhase, TOPIC_CONTRIBUTIONS } from '../../../../tests/support/deliberation';
import type { Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { createOrganization } from '../accounts/organization.service';
import { acceptInvitation, inviteAccount } from '../accounts/account.service';
import type { Role } from '../accounts/roles';
import type { SignedIn } from '../accounts/sign-in.service';
import { renderShown } from '../../participation/results';
import { addMember } from './member.repository';
import type { ParticipationContext } from './deliberation';
import { ParticipationRefusedError, readUsableContributions } from './deliberation';
import { decideTheme, mapQuestionThemes, placeContribution, summariseTheme, suggestThemesFor, themesPage } from './themes.service';
import { ballotScreen, castStatementVote, proposeStatement, statementResults } from './statements.service';
import { amendRecommendation, castAdoptionVote, draftRecommendation, listRecommendations, memberRecommendations, setRecommendationStage, trainingGate } from './recommendations.service';
import { buildSubmission, markSubmitted, recordOutcome, statementsCsv, submissionDocx, votesCsv } from './submission';

const cli = { id: 'cli' };
const words = { fewer: 'fewer than 5', withheld: 'not shown' };
const NOW = new Date('2024-01-20T10:00:00Z');

function docxText(buffer: Buffer): string {
  const files = unzipSync(new Uint8Array(buffer));
  const xml = strFromU8(files['word/document.xml']!);
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(
    () => null,
    (x: unknown) => x
  );
  expect(e).toBeInstanceOf(ParticipationRefusedError);
  return (e as ParticipationRefusedError).key;
}

describe.each(testDialects())('deliberation on %s', (dialect) => {
  const open = freshDatabases(dialect);

  async function setup() {
    const handle = await open();
    const db = handle.db as Kysely<Database>;
    const masterKey = randomBytes(32);
    const org = await createOrganization(db, masterKey, { name: 'Mist', actor: cli });
    let n = 0;
    async function account(role: Role): Promise<ParticipationContext> {
      n += 1;
      const invitation = await inviteAccount(db, masterKey, { organizationId: org.id, email: `p${n}@example.test`, role, actor: cli });
      const accepted = await acceptInvitation(db, masterKey, invitation.token);
      const who: SignedIn = { sessionId: `s${n}`, organizationId: org.id, accountId: accepted.accountId, role };
      return { db, masterKey, who, now: NOW };
    }
    const facilitator = await account('coordinator');
    const seeded = await seedConsultation(db, org.id, facilitator.who.accountId);
    const members: ParticipationContext[] = [];
    async function member(pseudonym: string, language: string, workshop: 0 | 1 | null = 0) {
      const ctx = await account('member');
      await addMember(db, masterKey, { organizationId: org.id, accountId: ctx.who.accountId, pseudonym, language, enrolledBy: facilitator.who.accountId });
      if (workshop !== null) await attend(db, org.id, seeded.workshopIds[workshop], ctx.who.accountId, facilitator.who.accountId);
      members.push(ctx);
      return ctx;
    }
    const contribution = (seed: Parameters<typeof insertContribution>[4]) => insertContribution(db, masterKey, org.id, seeded.consultationId, seed);
    return { handle, db, masterKey, org: org.id, facilitator, member, members, contribution, ...seeded };
  }

  async function seedTopics(t: Awaited<ReturnType<typeof setup>>) {
    const ids: Record<string, string[]> = {};
    for (const [topic, seeds] of Object.entries(TOPIC_CONTRIBUTIONS)) {
      ids[topic] = [];
      for (const seed of seeds) ids[topic]!.push(await t.contribution(seed));
    }
    return ids as Record<keyof typeof TOPIC_CONTRIBUTIONS, string[]>;
  }

  it('suggests themes over the seeded contributions, topic by topic, and records members\' decisions', async () => {
    const t = await setup();
    const ids = await seedTopics(t);
    const created = await suggestThemesFor(t.facilitator, t.consultationId);
    expect(created.length).toBe(4);
    const page = await themesPage(t.facilitator, t.consultationId);
    for (const topic of Object.values(ids)) {
      const holding = page.themes.filter((th) => th.contributions.some((c) => topic.includes(c.id)));
      expect(holding).toHaveLength(1);
      expect(holding[0]!.contributions.map((c) => c.id).sort()).toEqual([...topic].sort());
    }
    expect(page.unthemed).toEqual([]);
    expect(page.questions.map((q) => q.label)).toEqual(['13', '14', '15']);

    // Running it again replaces the undecided suggestions instead of piling them up.
    await suggestThemesFor(t.facilitator, t.consultationId);
    expect((await themesPage(t.facilitator, t.consultationId)).themes).toHaveLength(4);

    const [first, second] = (await themesPage(t.facilitator, t.consultationId)).themes;
    await decideTheme(t.facilitator, t.consultationId, first!.id, { action: 'rename', title: 'Stigma and loneliness', workshopId: t.workshopIds[1] });
    await decideTheme(t.facilitator, t.consultationId, first!.id, { action: 'confirm', workshopId: t.workshopIds[1] });
    expect(await refusal(decideTheme(t.facilitator, t.consultationId, second!.id, { action: 'merge', into: second!.id }))).toBe('participation.theme.error.into');
    expect(await refusal(decideTheme(t.facilitator, t.consultationId, second!.id, { action: 'explode' }))).toBe('participation.theme.error.action');
    expect(await refusal(decideTheme(t.facilitator, t.consultationId, second!.id, { action: 'rename', title: '  ' }))).toBe('participation.deliberation.error.required');
    const after = await themesPage(t.facilitator, t.consultationId);
    const renamed = after.themes.find((th) => th.id === first!.id)!;
    expect(renamed.title).toBe('Stigma and loneliness');
    expect(renamed.status).toBe('confirmed');
    expect(renamed.decisions.map((d) => [d.action, d.workshopTitle])).toEqual([
      ['rename', 'Debate after a film'],
      ['confirm', 'Debate after a film']
    ]);
    // Suggesting again keeps decided themes.
    await suggestThemesFor(t.facilitator, t.consultationId);
    expect((await themesPage(t.facilitator, t.consultationId)).themes.find((th) => th.id === first!.id)?.title).toBe('Stigma and loneliness');

    // Merge: contributions move, the theme is marked merged.
    const [, other, third] = (await themesPage(t.facilitator, t.consultationId)).themes;
    await decideTheme(t.facilitator, t.consultationId, third!.id, { action: 'merge', into: other!.id });
    const merged = await themesPage(t.facilitator, t.consultationId);
    expect(merged.themes.find((th) => th.id === third!.id)?.status).toBe('merged');
    expect(merged.themes.find((th) => th.id === other!.id)?.contributions).toHaveLength(6);
  });

  it('a withdrawn contribution disappears from themes, statements\' evidence and the DOCX', async () => {
    const t = await setup();
    const ids = await seedTopics(t);
    const secret = await t.contribution({ text: 'Glimmerstone shelter: nobody helped us with housing permits.', language: 'en', consent: 'quote' });
    await suggestThemesFor(t.facilitator, t.consultationId);
    let page = await themesPage(t.facilitator, t.consultationId);
    const home = page.themes.find((th) => th.contributions.some((c) => c.id === secret)) ?? page.themes.find((th) => th.contributions.some((c) => ids.migration.includes(c.id)))!;
    if (!home.contributions.some((c) => c.id === secret)) await placeContribution(t.facilitator, t.consultationId, { contributionId: secret, toThemeId: home.id });
    await placeContribution(t.facilitator, t.consultationId, { contributionId: secret, toThemeId: home.id, quoted: true });
    await mapQuestionThemes(t.facilitator, t.consultationId, t.questionIds[0], [home.id]);
    const statement = await proposeStatement(t.facilitator, t.consultationId, { text: 'There is not enough emergency housing.', themeId: home.id }, 'facilitator');
    const before = (await statementResults(t.facilitator, t.consultationId)).find((s) => s.id === statement)!;
    const rec = await draftRecommendation(t.facilitator, t.consultationId, { text: 'Open more emergency housing for women leaving exploitation.', statementIds: [statement] });
    await setRecommendationStage(t.facilitator, t.consultationId, rec, 'open_vote');
    const m = await t.member('Étoile', 'en');
    await setPhase(t.db, t.org, t.consultationId, 'write'); // members adopt while write is open
    await castAdoptionVote(m, t.consultationId, rec, { vote: 'agree' });
    await setRecommendationStage(t.facilitator, t.consultationId, rec, 'close_vote');
    let docx = docxText(await submissionDocx(await buildSubmission(t.db, t.masterKey, t.org, t.consultationId)));
    expect(docx).toContain('Glimmerstone shelter');

    await setContributionStatus(t.db, t.org, secret, 'withdrawn');
    expect((await readUsableContributions(t.db, t.masterKey, t.org, t.consultationId)).map((c) => c.id)).not.toContain(secret);
    page = await themesPage(t.facilitator, t.consultationId);
    expect(JSON.stringify(page)).not.toContain('Glimmerstone');
    expect(page.unthemed.map((c) => c.id)).not.toContain(secret);
    const afterEvidence = (await statementResults(t.facilitator, t.consultationId)).find((s) => s.id === statement)!;
    // 4 in the theme before (3 + the secret one), 3 after: both "fewer than 5"; compare raw links instead.
    expect(before.evidence).not.toBeNull();
    expect(afterEvidence.evidence?.kind).toBe('fewer');
    const submission = await buildSubmission(t.db, t.masterKey, t.org, t.consultationId);
    expect(JSON.stringify(submission)).not.toContain('Glimmerstone');
    docx = docxText(await submissionDocx(submission));
    expect(docx).not.toContain('Glimmerstone');
    expect(docx).toContain('Open more emergency housing');
    // Suggesting again does not bring it back.
    await suggestThemesFor(t.facilitator, t.consultationId);
    expect(JSON.stringify(await themesPage(t.facilitator, t.consultationId))).not.toContain('Glimmerstone');
  });

  it('never shows a count under 5: four voters read "fewer than 5"', async () => {
    const t = await setup();
    const statement = await proposeStatement(t.facilitator, t.consultationId, { text: 'Survivors must be paid for their time.' }, 'facilitator');
    const second = await proposeStatement(t.facilitator, t.consultationId, { text: 'Training comes before drafting.' }, 'facilitator');
    for (let i = 0; i < 4; i++) {
      const m = await t.member(`Member ${i}`, i % 2 ? 'pcm' : 'en', i % 2 ? 1 : 0);
      const screen = await ballotScreen(m, t.consultationId);
      expect(screen.current?.id).toBe(statement);
      expect([screen.total, screen.current?.position, screen.next]).toEqual([2, 1, 2]);
      await castStatementVote(m, t.consultationId, statement, 'agree');
      expect((await ballotScreen(m, t.consultationId)).current?.id).toBe(second);
    }
    // Re-voting changes the vote, it does not add one.
    await castStatementVote(t.members[0]!, t.consultationId, statement, 'disagree');
    await castStatementVote(t.members[0]!, t.consultationId, statement, 'agree');
    const result = (await statementResults(t.facilitator, t.consultationId)).find((s) => s.id === statement)!.result;
    const rendered = [result.total, result.agree, result.disagree, result.unsure].map((s) => renderShown(s, words));
    expect(rendered).toEqual(Array(4).fill('fewer than 5'));
    expect(JSON.stringify(result)).not.toMatch(/"value":\s*[0-4]\b/);
    expect(result.consensus.workshop).toEqual({ score: null, reason: 'group_too_small' });

    const fifth = await t.member('Member 5', 'en');
    await castStatementVote(fifth, t.consultationId, statement, 'agree');
    const five = (await statementResults(t.facilitator, t.consultationId)).find((s) => s.id === statement)!.result;
    expect(renderShown(five.agree, words)).toBe('5');
    expect(await refusal(castStatementVote(fifth, t.consultationId, statement, 'maybe'))).toBe('participation.vote.error.choice');
    expect(await refusal(castStatementVote(fifth, t.consultationId, 'nope', 'agree'))).toBe('participation.vote.error.statement');

    // Votes carry her language and her last workshop, under a voter tag, never her account.
    const votes = await inTenant(t.db, t.org, (trx) => trx.selectFrom('statement_vote').selectAll().where('organization_id', '=', t.org).execute());
    expect(new Set(votes.map((v) => v.group_language))).toEqual(new Set(['en', 'pcm']));
    expect(new Set(votes.map((v) => v.group_workshop))).toEqual(new Set(t.workshopIds));
    for (const m of t.members) expect(JSON.stringify(votes)).not.toContain(m.who.accountId);
  });

  it('amends with version history and adopts by the rule; a block stops it with its reason', async () => {
    const t = await setup();
    const statement = await proposeStatement(t.facilitator, t.consultationId, { text: 'Survivors need training and pay.' }, 'facilitator');
    const rec = await draftRecommendation(t.facilitator, t.consultationId, { text: 'Fund training.', statementIds: [statement] });
    expect(await refusal(draftRecommendation(t.facilitator, t.consultationId, { text: 'x', statementIds: ['nope'] }))).toBe('participation.recommendation.error.statements');
    await amendRecommendation(t.facilitator, t.consultationId, rec, { text: 'Fund training and pay survivors for their time.', note: 'Workshop 2' });
    await setRecommendationStage(t.facilitator, t.consultationId, rec, 'open_vote');
    const voters = [];
    for (let i = 0; i < 6; i++) voters.push(await t.member(`Voter ${i}`, 'en'));
    await setPhase(t.db, t.org, t.consultationId, 'write'); // members adopt while write is open
    for (const v of voters.slice(0, 5)) await castAdoptionVote(v, t.consultationId, rec, { vote: 'agree' });
    expect(await refusal(castAdoptionVote(voters[5]!, t.consultationId, rec, { vote: 'block', reason: ' ' }))).toBe('participation.adoption.error.reason');
    await castAdoptionVote(voters[5]!, t.consultationId, rec, { vote: 'block', reason: 'It should say who pays.' });
    expect((await memberRecommendations(voters[5]!, t.consultationId))[0]).toMatchObject({ id: rec, version: 2, myVote: 'block' });
    const blocked = await setRecommendationStage(t.facilitator, t.consultationId, rec, 'close_vote');
    expect(blocked?.status).toBe('blocked');
    expect(blocked?.blockReasons).toEqual(['It should say who pays.']);
    let [view] = await listRecommendations(t.facilitator, t.consultationId);
    expect(view!.status).toBe('draft');
    expect(view!.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(view!.versions[0]!.text).toBe('Fund training.');

    // The raw block reason is encrypted.
    const raw = await inTenant(t.db, t.org, (trx) => trx.selectFrom('recommendation_vote').selectAll().where('organization_id', '=', t.org).execute());
    expect(JSON.stringify(raw)).not.toContain('who pays');

    await amendRecommendation(t.facilitator, t.consultationId, rec, { text: 'The State should fund training and pay survivors for their time.' });
    await setRecommendationStage(t.facilitator, t.consultationId, rec, 'open_vote');
    for (const v of voters) await castAdoptionVote(v, t.consultationId, rec, { vote: 'agree' });
    const adopted = await setRecommendationStage(t.facilitator, t.consultationId, rec, 'close_vote');
    expect(adopted?.status).toBe('adopted');
    [view] = await listRecommendations(t.facilitator, t.consultationId);
    expect(view!.status).toBe('adopted');
    expect(view!.currentVersion).toBe(3);
    expect(renderShown(view!.outcome.agree, words)).toBe('6');
  });

  it('refuses adoption votes without the required training', async () => {
    const t = await setup();
    const moduleId = 'module-1';
    await inTenant(t.db, t.org, async (trx) => {
      await trx
        .insertInto('training_module')
        .values({ id: moduleId, organization_id: t.org, title: 'Speaking for ourselves', content: '…', language: 'en', duration_minutes: 60, created_by: t.facilitator.who.accountId, created_at: NOW.toISOString(), archived_at: null })
        .execute();
      await trx.updateTable('consultation').set({ required_module_id: moduleId }).where('organization_id', '=', t.org).where('id', '=', t.consultationId).execute();
    });
    const rec = await draftRecommendation(t.facilitator, t.consultationId, { text: 'Fund training.', statementIds: [] });
    await setRecommendationStage(t.facilitator, t.consultationId, rec, 'open_vote');
    const m = await t.member('Untrained', 'en');
    expect(await trainingGate(m, t.consultationId)).toEqual({ module: { id: moduleId, title: 'Speaking for ourselves' }, allowed: false });
    await setPhase(t.db, t.org, t.consultationId, 'write'); // members adopt while write is open
    expect(await refusal(castAdoptionVote(m, t.consultationId, rec, { vote: 'agree' }))).toBe('participation.adoption.error.training');
    await inTenant(t.db, t.org, (trx) =>
      trx.insertInto('training_completion').values({ organization_id: t.org, module_id: moduleId, account_id: m.who.accountId, completed_at: NOW.toISOString(), recorded_by: t.facilitator.who.accountId }).execute()
    );
    expect((await trainingGate(m, t.consultationId)).allowed).toBe(true);
    await castAdoptionVote(m, t.consultationId, rec, { vote: 'agree' });
  });

  it('builds the submission: chosen questions in order with their themes and adopted recommendations, flags seeded names and phone numbers', async () => {
    const t = await setup();
    const ids = await seedTopics(t);
    const leaky = await t.contribution({ text: 'Call Blessing on 06 12 34 56 78, she knows the shelter.', language: 'en', consent: 'quote' });
    const unconsented = await t.contribution({ text: 'We are tired of being ignored by the prefecture.', language: 'en', consent: 'summarise' });
    await suggestThemesFor(t.facilitator, t.consultationId);
    const page = await themesPage(t.facilitator, t.consultationId);
    const themeOf = (topic: keyof typeof ids) => page.themes.find((th) => th.contributions.some((c) => ids[topic].includes(c.id)))!;
    const titles = { stigma: 'Stigma and loneliness', power: 'Power and freedom', migration: 'Unfavourable migration policy', children: 'Child welfare system in crisis' };
    for (const [topic, title] of Object.entries(titles)) {
      await decideTheme(t.facilitator, t.consultationId, themeOf(topic as keyof typeof ids).id, { action: 'rename', title, workshopId: t.workshopIds[0] });
      await decideTheme(t.facilitator, t.consultationId, themeOf(topic as keyof typeof ids).id, { action: 'confirm', workshopId: t.workshopIds[0] });
    }
    await summariseTheme(t.facilitator, t.consultationId, themeOf('migration').id, 'There is a lack of assistance for foreign women. Two Nigerian women were arrested in Pigalle on 12 January 2024.');
    await placeContribution(t.facilitator, t.consultationId, { contributionId: leaky, toThemeId: themeOf('stigma').id, quoted: true });
    await placeContribution(t.facilitator, t.consultationId, { contributionId: ids.stigma[1], toThemeId: themeOf('stigma').id, quoted: true });
    expect(await refusal(placeContribution(t.facilitator, t.consultationId, { contributionId: unconsented, toThemeId: themeOf('migration').id, quoted: true }))).toBe('participation.theme.error.no_quote_consent');
    // Quoted with consent, then the member changes her consent: flagged and left out.
    const changed = await t.contribution({ text: 'Nobody believed us at the station.', language: 'en', consent: 'quote' });
    await placeContribution(t.facilitator, t.consultationId, { contributionId: changed, toThemeId: themeOf('migration').id, quoted: true });
    await inTenant(t.db, t.org, (trx) => trx.updateTable('contribution').set({ consent: 'summarise' }).where('organization_id', '=', t.org).where('id', '=', changed).execute());

    await mapQuestionThemes(t.facilitator, t.consultationId, t.questionIds[0], [themeOf('stigma').id]);
    await mapQuestionThemes(t.facilitator, t.consultationId, t.questionIds[1], [themeOf('power').id]);
    await mapQuestionThemes(t.facilitator, t.consultationId, t.questionIds[2], [themeOf('migration').id, themeOf('children').id]);
    expect(await refusal(mapQuestionThemes(t.facilitator, t.consultationId, 'not-chosen', []))).toBe('participation.theme.error.question');

    const voters = [];
    for (let i = 0; i < 5; i++) voters.push(await t.member(`Member ${i}`, i < 3 ? 'en' : 'pcm', i < 3 ? 0 : 1));
    const texts = {
      power: 'Survivors\u2019 associations must have a dedicated place to take part, with training and pay.',
      migration: 'Open enough emergency accommodation and give residence permits to women in exit programmes.',
      children: 'Fund child protection shelters so that traffickers cannot recruit there.',
      rejected: 'A text that was not adopted.'
    };
    await setPhase(t.db, t.org, t.consultationId, 'write'); // members adopt while write is open
    for (const [topic, text] of Object.entries(texts)) {
      const rec = await draftRecommendation(t.facilitator, t.consultationId, { text, statementIds: [], themeId: topic === 'rejected' ? themeOf('power').id : themeOf(topic as keyof typeof ids).id });
      await setRecommendationStage(t.facilitator, t.consultationId, rec, 'open_vote');
      for (const v of voters) await castAdoptionVote(v, t.consultationId, rec, { vote: topic === 'rejected' ? 'disagree' : 'agree' });
      await setRecommendationStage(t.facilitator, t.consultationId, rec, 'close_vote');
    }

    const s = await buildSubmission(t.db, t.masterKey, t.org, t.consultationId);
    expect(s.questions.map((q) => q.label)).toEqual(['13', '14', '15']);
    expect(s.questions[2]!.themes.map((th) => th.title).sort()).toEqual(['Child welfare system in crisis', 'Unfavourable migration policy']);
    expect(s.words.method_text).toContain('Mist');
    expect(renderShown(s.method.members, words)).toBe('5');
    // Workshops are meetings, not people: their number is given as it is.
    expect(renderShown(s.method.workshops, words)).toBe(String(t.workshopIds.length));
    expect(s.method.languages).toEqual(expect.arrayContaining(['English', 'French', 'Nigerian Pidgin']));
    expect(s.words.believe).toBe('Members of Mist believe:');
    const kinds = s.disclosure.map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['name', 'phone', 'place', 'date', 'nationality', 'consent']));
    expect(s.disclosure.find((f) => f.kind === 'phone')!.section).toContain('Stigma and loneliness');
    expect(s.disclosure.some((f) => f.kind === 'name' && f.excerpt.includes('Blessing'))).toBe(true);
    // The quote without consent is left out of the document.
    expect(JSON.stringify(s.questions)).not.toContain('Nobody believed us');

    const text = docxText(await submissionDocx(s));
    const order = [
      'Lessons learned',
      'Special Rapporteur on violence against women and girls',
      'The association was created in 2020',
      '13. What are some of the lessons learned',
      'Stigma and loneliness',
      'We live with loneliness',
      '14. Are frontline organizations',
      'Power and freedom',
      'Members of Mist believe:',
      'dedicated place to take part',
      '15. What recommendations'
    ];
    let at = -1;
    for (const piece of order) {
      const found = text.indexOf(piece, at + 1);
      expect(found, piece).toBeGreaterThan(at);
      at = found;
    }
    const q15 = text.slice(text.indexOf('15. What recommendations'));
    for (const piece of ['Unfavourable migration policy', 'Open enough emergency accommodation', 'Child welfare system in crisis', 'Fund child protection shelters']) expect(q15).toContain(piece);
    expect(text).not.toContain('A text that was not adopted');
    expect(text).not.toContain('Question number 3');
    expect(text).not.toMatch(/\bI (believe|think)\b/);

    // CSV: statements and votes in the Pol.is format.
    const st = await proposeStatement(t.facilitator, t.consultationId, { text: 'Pay, training, power.' }, 'facilitator');
    await setPhase(t.db, t.org, t.consultationId, 'agree');
    await castStatementVote(voters[0]!, t.consultationId, st, 'agree');
    expect((await statementsCsv(t.db, t.org, t.consultationId)).split('\n')[0]).toBe('timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body');
    expect((await votesCsv(t.db, t.org, t.consultationId)).trimEnd().split('\n')[1]).toMatch(/,0,0,1$/);

    // Do not publish, submitted, outcome.
    await inTenant(t.db, t.org, (trx) => trx.updateTable('consultation').set({ do_not_publish: 1 }).where('organization_id', '=', t.org).where('id', '=', t.consultationId).execute());
    expect(docxText(await submissionDocx(await buildSubmission(t.db, t.masterKey, t.org, t.consultationId)))).toContain('Do not publish');
    expect(await refusal(recordOutcome(t.facilitator, t.consultationId, 'Cited in the report.'))).toBe('participation.submission.error.not_submitted');
    await markSubmitted(t.facilitator, t.consultationId);
    await recordOutcome(t.facilitator, t.consultationId, 'Cited in the report, paragraph 42.');
    const done = await buildSubmission(t.db, t.masterKey, t.org, t.consultationId);
    expect(done.consultation.submittedAt).toBe(NOW.toISOString());
    expect(done.consultation.outcome).toBe('Cited in the report, paragraph 42.');
    expect(await refusal(proposeStatement(t.facilitator, t.consultationId, { text: 'Too late.' }, 'facilitator'))).toBe('participation.deliberation.error.submitted');
  });

  it('records a member\'s proposal as "a member", never which one, with a random id, and logs neither it nor her vote', async () => {
    const t = await setup();
    const m = await t.member('Proposer', 'pcm');
    const id = await proposeStatement(m, t.consultationId, { text: 'Make dem pay us for our time.', language: 'pcm' }, 'member');
    await castStatementVote(m, t.consultationId, id, 'agree');
    const row = await inTenant(t.db, t.org, (trx) => trx.selectFrom('statement').selectAll().where('organization_id', '=', t.org).where('id', '=', id).executeTakeFirstOrThrow());
    expect(row).toMatchObject({ proposed_by: 'member', language: 'pcm', status: 'open' });
    expect(JSON.stringify(row)).not.toContain(m.who.accountId);
    const audit = await inTenant(t.db, t.org, (trx) => trx.selectFrom('audit_entry').selectAll().where('chain', '=', t.org).execute());
    // Not audited: in the chain's order, right after her sign-in, it would name her.
    expect(audit.filter((a) => a.target_id === id)).toEqual([]);
    // Its id is random, not ordered by time (a UUID version 4, not 7).
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    // Her account appears only as the one who accepted her invitation.
    expect(audit.filter((a) => a.actor_id === m.who.accountId).map((a) => a.action)).toEqual(['invitation.accept']);
  });

  it('takes statement votes only while the agree phase is open', async () => {
    const t = await setup();
    const m = await t.member('Early', 'fr');
    const statement = await proposeStatement(t.facilitator, t.consultationId, { text: 'Pay us for our time.' }, 'facilitator');
    for (const phase of ['collect', 'group', 'write', null] as const) {
      await inTenant(t.db, t.org, (trx) => trx.updateTable('consultation').set({ phase }).where('organization_id', '=', t.org).where('id', '=', t.consultationId).execute());
      expect(await refusal(castStatementVote(m, t.consultationId, statement, 'agree'))).toBe('participation.vote.error.phase');
    }
    expect(await inTenant(t.db, t.org, (trx) => trx.selectFrom('statement_vote').selectAll().where('organization_id', '=', t.org).execute())).toEqual([]);
    await inTenant(t.db, t.org, (trx) => trx.updateTable('consultation').set({ phase: 'agree' }).where('organization_id', '=', t.org).where('id', '=', t.consultationId).execute());
    await castStatementVote(m, t.consultationId, statement, 'agree');
  });

  it('refuses a member who left: no vote, no adoption vote, no proposal', async () => {
    const t = await setup();
    const m = await t.member('Gone', 'fr');
    const statement = await proposeStatement(t.facilitator, t.consultationId, { text: 'Pay us for our time.' }, 'facilitator');
    await inTenant(t.db, t.org, (trx) => trx.updateTable('participation_member').set({ left_at: NOW.toISOString() }).where('organization_id', '=', t.org).where('account_id', '=', m.who.accountId).execute());
    await expect(castStatementVote(m, t.consultationId, statement, 'agree')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(castAdoptionVote(m, t.consultationId, 'any', { vote: 'agree' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(proposeStatement(m, t.consultationId, { text: 'Still here?' }, 'member')).rejects.toMatchObject({ code: 'forbidden' });
    const votes = await inTenant(t.db, t.org, (trx) => trx.selectFrom('statement_vote').selectAll().where('organization_id', '=', t.org).execute());
    const statements = await inTenant(t.db, t.org, (trx) => trx.selectFrom('statement').select('id').where('organization_id', '=', t.org).execute());
    expect(votes).toEqual([]);
    expect(statements.map((s) => s.id)).toEqual([statement]);
  });

  it('lets members vote and propose only while agree is open, and adopt only while write is open', async () => {
    const t = await setup();
    const m = await t.member('Phase', 'en');
    const st = await proposeStatement(t.facilitator, t.consultationId, { text: 'Survivors must be paid for their time.' }, 'facilitator');
    await setPhase(t.db, t.org, t.consultationId, 'write');
    expect(await refusal(castStatementVote(m, t.consultationId, st, 'agree'))).toBe('participation.vote.error.phase');
    expect(await refusal(proposeStatement(m, t.consultationId, { text: 'Mine.' }, 'member'))).toBe('participation.vote.error.phase');
    expect((await ballotScreen(m, t.consultationId)).votingOpen).toBe(false);
    const rec = await draftRecommendation(t.facilitator, t.consultationId, { text: 'Pay survivors for their time.', statementIds: [st] });
    await setRecommendationStage(t.facilitator, t.consultationId, rec, 'open_vote');
    await castAdoptionVote(m, t.consultationId, rec, { vote: 'agree' });
    await setPhase(t.db, t.org, t.consultationId, 'agree');
    expect(await refusal(castAdoptionVote(m, t.consultationId, rec, { vote: 'abstain' }))).toBe('participation.adoption.error.phase');
    await castStatementVote(m, t.consultationId, st, 'agree');
    expect((await ballotScreen(m, t.consultationId)).votingOpen).toBe(true);
    await setPhase(t.db, t.org, t.consultationId, null);
    expect(await refusal(castStatementVote(m, t.consultationId, st, 'disagree'))).toBe('participation.vote.error.phase');
  });

  it('keeps each organization to its own consultations', async () => {
    const t = await setup();
    const other = await createOrganization(t.db, t.masterKey, { name: 'Other', actor: cli });
    const stranger: ParticipationContext = { ...t.facilitator, who: { ...t.facilitator.who, organizationId: other.id } };
    await expect(themesPage(stranger, t.consultationId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(buildSubmission(t.db, t.masterKey, other.id, t.consultationId)).rejects.toMatchObject({ code: 'not_found' });
  });
});
