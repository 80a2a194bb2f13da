/**
 * `relais demo participation` on both databases: the reference document replayed through the
 * use cases, and what is stored afterwards says nothing of who wrote what — no row holds a
 * member's account id together with a contribution's id, and no member-written contribution
 * is found as hers without the author key her browser kept (here: dropped by the demo).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { inTenant } from '../db/tenant';
import { loadParticipationDemo } from './participation-demo';
import { DEMO_CONTRIBUTIONS, DEMO_MEMBERS } from './participation-content';
import { buildSubmission, submissionDocx } from '../participation/submission';
import { strFromU8, unzipSync } from 'fflate';

describe.each(testDialects())('the participation demo on %s', (dialect) => {
  const open = freshDatabases(dialect);

  it('replays the document: ten members in three languages, two workshops, 3 of 15 questions, four themes, adopted recommendations, pay for everyone', { timeout: 120_000 }, async () => {
    const handle = await open();
    const masterKey = randomBytes(32);
    const summary = await loadParticipationDemo(handle.db, masterKey);
    expect(summary).toMatchObject({ members: 10, workshops: 2, questions: { total: 15, chosen: ['13', '14', '15'] }, themes: 4, statements: 8, recommendations: { adopted: 4 } });
    expect(summary.contributions).toEqual({ typed: 8, recorded: 3, paper: 4 });
    const org = summary.organizationId;

    const count = (table: 'contribution' | 'theme' | 'statement_vote' | 'pay_entry' | 'training_completion' | 'workshop_attendance' | 'contribution_confirmation') =>
      inTenant(handle.db, org, async (trx) => Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', org).executeTakeFirstOrThrow()).n));
    expect(await count('contribution')).toBe(DEMO_CONTRIBUTIONS.length);
    expect(await count('statement_vote')).toBe(8 * 10);
    expect(await count('training_completion')).toBe(10);
    // Attendance (17 presences) and training (10) are owed; the demo paid a first part.
    expect(await count('pay_entry')).toBe((await count('workshop_attendance')) + 10);
    expect(await count('contribution_confirmation')).toBeGreaterThan(0);

    // The document: the chosen questions in order, each with its themes.
    const docx = await submissionDocx(await buildSubmission(handle.db, masterKey, org, summary.consultationId));
    const text = strFromU8(unzipSync(new Uint8Array(docx))['word/document.xml']!).replace(/<[^>]+>/g, ' ');
    const at = ['13. What are', '14. Are frontline', '15. What recommendations'].map((q) => text.indexOf(q));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const title of ['Stigma and loneliness', 'Power and freedom', 'Unfavourable migration policy', 'Child welfare system in crisis']) expect(text).toContain(title);

    // Nothing stored links a member-written contribution to a member. (A flip chart's line is
    // the workshop's, and the members present confirm its transcription by name: that says
    // they were there, which attendance says already, not that they wrote it.)
    const members = await inTenant(handle.db, org, (trx) => trx.selectFrom('participation_member').select('account_id').where('organization_id', '=', org).execute());
    expect(members).toHaveLength(DEMO_MEMBERS.length);
    const all = await inTenant(handle.db, org, (trx) => trx.selectFrom('contribution').select(['id', 'author_tag', 'source']).where('organization_id', '=', org).execute());
    const contributions = all.filter((c) => c.source !== 'workshop');
    const tables =
      dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(handle.raw)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(handle.raw)).rows.map((r) => r.name);
    for (const table of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(handle.raw)).rows;
      for (const row of rows) {
        const flat = JSON.stringify(row);
        const aContribution = contributions.some((c) => flat.includes(c.id) || (c.author_tag !== null && flat.includes(c.author_tag)));
        const aMember = members.some((m) => flat.includes(m.account_id));
        expect(aContribution && aMember, `${table} links a contribution and a member: ${flat.slice(0, 200)}`).toBe(false);
      }
    }
    // Typed and recorded ones carry a tag (so she could edit them from her browser); flip charts none.
    expect(contributions.filter((c) => c.author_tag !== null)).toHaveLength(DEMO_CONTRIBUTIONS.filter((c) => c.by).length);
    expect(all.filter((c) => c.source === 'workshop' && c.author_tag !== null)).toEqual([]);
  });
});
