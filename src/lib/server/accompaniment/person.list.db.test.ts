import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import type { SignedIn } from '../accounts/sign-in.service';
import { generateDemoCases, generatedPseudonym } from '../demo/generate-cases';
import { decodeListCursor, encodeListCursor, listPersons, type CaseContext, type PersonListQuery } from './person.service';

// The list's filters and pages (issue 6, "Lists and search") against what the raw rows say,
// on 150 generated people shared by two helpers.
describe.each(testDialects())('the people list on %s', (dialect) => {
  const open = freshDatabases(dialect);
  const now = new Date('2026-11-30T10:00:00.000Z');

  async function setup() {
    const handle = await open();
    const masterKey = randomBytes(32);
    const summary = await generateDemoCases(handle.db, masterKey, { persons: 150, helpers: 2, now, seed: 7 });
    const org = summary.organizationId;
    const [coordinator, social] = summary.helpers;
    const ctxOf = (h: { accountId: string; role: SignedIn['role'] }): CaseContext => ({ db: handle.db, masterKey, now, who: { sessionId: 's', organizationId: org, accountId: h.accountId, role: h.role } });
    // Two people updated at the same instant: the id breaks the tie, pages must not skip or repeat them.
    const raw = handle.raw;
    const tied = await raw.selectFrom('case_assignment').select('person_id').where('organization_id', '=', org).where('account_id', '=', social!.accountId).limit(4).execute();
    await raw.updateTable('case_person').set({ updated_at: '2026-11-01T00:00:00.000Z' }).where('id', 'in', tied.map((t) => t.person_id)).execute();
    const persons = await raw.selectFrom('case_person').select(['id', 'status', 'updated_at']).where('organization_id', '=', org).execute();
    const assignments = await raw.selectFrom('case_assignment').select(['person_id', 'account_id']).where('organization_id', '=', org).execute();
    const procedures = await raw.selectFrom('case_procedure').select(['person_id', 'kind', 'terminal']).where('organization_id', '=', org).execute();
    const deadlines = await raw.selectFrom('case_deadline').select(['person_id', 'due_at', 'closed_at']).where('organization_id', '=', org).execute();
    const assigned = (person: string, account: string) => assignments.some((a) => a.person_id === person && a.account_id === account);
    /** What the list must hold for her, from the raw rows. */
    const expected = (viewer: string, q: PersonListQuery) =>
      new Set(
        persons
          .filter((p) => assigned(p.id, viewer))
          .filter((p) => !q.status || p.status === q.status)
          .filter((p) => !q.helperId || assigned(p.id, q.helperId))
          .filter((p) => !q.kind || procedures.some((r) => r.person_id === p.id && r.kind === q.kind && Number(r.terminal) === 0))
          .filter((p) => !q.overdue || deadlines.some((d) => d.person_id === p.id && d.closed_at === null && d.due_at < now.toISOString()))
          .map((p) => p.id)
      );
    const updatedAt = new Map(persons.map((p) => [p.id, p.updated_at]));
    return { handle, summary, social: ctxOf(social!), coordinator: ctxOf(coordinator!), expected, updatedAt, tied: tied.map((t) => t.person_id) };
  }

  /** Every page by "next" links, then back by "previous" links: the same pages, in order. */
  async function walk(ctx: CaseContext, q: PersonListQuery) {
    const pages: string[][] = [];
    let page = await listPersons(ctx, q);
    expect(page.previous).toBeNull();
    pages.push(page.people.map((p) => p.id));
    while (page.next) {
      page = await listPersons(ctx, { ...q, after: page.next });
      pages.push(page.people.map((p) => p.id));
      expect(pages.length).toBeLessThan(20);
    }
    const back: string[][] = [page.people.map((p) => p.id)];
    while (page.previous) {
      page = await listPersons(ctx, { ...q, before: page.previous });
      back.unshift(page.people.map((p) => p.id));
    }
    expect(back).toEqual(pages);
    // The same pages by number (offset), as before cursors existed.
    for (let i = 0; i < pages.length; i++) expect((await listPersons(ctx, { ...q, page: i + 1 })).people.map((p) => p.id)).toEqual(pages[i]);
    return pages;
  }

  it('filters by status, helper, procedure and overdue; pages by cursor cover each list once, in order, both ways', async () => {
    const t = await setup();
    const colleague = t.coordinator.who.accountId;
    const queries: PersonListQuery[] = [{}, { status: 'open' }, { status: 'closed' }, { helperId: colleague }, { kind: 'accommodation' }, { kind: 'exit_programme', status: 'open' }, { overdue: true }, { overdue: true, kind: 'accommodation' }];
    for (const q of queries) {
      const pages = await walk(t.social, q);
      const ids = pages.flat();
      expect(new Set(ids).size, JSON.stringify(q)).toBe(ids.length);
      expect(new Set(ids), JSON.stringify(q)).toEqual(t.expected(t.social.who.accountId, q));
      for (const page of pages.slice(0, -1)) expect(page.length).toBe(25);
      const times = ids.map((id) => t.updatedAt.get(id)!);
      expect([...times].sort().reverse()).toEqual(times);
    }
    // The whole list is long enough to have pages, and holds the people updated at the same instant.
    const all = (await walk(t.social, {})).flat();
    expect(all.length).toBeGreaterThan(50);
    for (const id of t.tied) expect(all).toContain(id);
  }, 120_000);

  it('finds a pseudonym through the blind index, only among her people; a coordinator is told a hidden match exists', async () => {
    const t = await setup();
    const mine = (await listPersons(t.social, {})).people[0]!;
    expect((await listPersons(t.social, { pseudonym: mine.pseudonym.toUpperCase() })).people.map((p) => p.id)).toEqual([mine.id]);
    let notMine: string | undefined;
    for (let i = 0; i < 150 && !notMine; i++) {
      const found = await listPersons(t.coordinator, { pseudonym: generatedPseudonym(i) });
      if (found.people.length === 0 && found.hidden.length === 1) notMine = generatedPseudonym(i);
    }
    expect(notMine).toBeDefined();
    expect((await listPersons(t.social, { pseudonym: 'Nobody Here 999 (gen.)' })).people).toEqual([]);
    expect((await listPersons(t.coordinator, { pseudonym: 'Nobody Here 999 (gen.)' })).hidden).toEqual([]);
  }, 120_000);

  it('ignores a cursor that is not one of ours (first page) and never leaks data in one', async () => {
    const t = await setup();
    const first = await listPersons(t.social, {});
    for (const bad of ['', 'x', '!!!', 'a'.repeat(300), Buffer.from('2026-11-01|x y').toString('base64url'), Buffer.from("' or 1=1 --|id").toString('base64url')]) {
      expect(decodeListCursor(bad)).toBeUndefined();
      expect((await listPersons(t.social, { after: bad })).people).toEqual(first.people);
      expect((await listPersons(t.social, { before: bad })).people).toEqual(first.people);
    }
    const cursor = { updatedAt: '2026-11-01T00:00:00.000Z', id: 'd83d5633-ba13-435f-bcc7-48913c971d13' };
    expect(decodeListCursor(encodeListCursor(cursor))).toEqual(cursor);
    expect(Buffer.from(first.next!, 'base64url').toString('utf8')).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|[0-9a-f-]+$/);
  }, 120_000);
});
