/**
 * The search's in-memory index stays true to the database when another process writes:
 * two handles on one database (as two app processes would have), one writing, the other
 * searching — a create, an edit of its words, category and hours, a temporary closure,
 * a status that takes it out of the public directory, a delete, the same id created
 * again, and an import — each seen by the next search, with nothing read twice when
 * nothing changed; and an instance upgraded from before the revision (migration
 * 20261130T1400) finds its services by words and by hours.
 */
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fakeService } from '../../../../tests/support/directory';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { migrateToLatest, openDatabase } from '../db/connect';
import { migrations } from '../db/migrations/index';
import { grantAppRole, roleOf } from '../db/roles';
import { fromParis } from '../../time/paris-time';
import { deleteService, insertGeneratedServices, postTemporaryClosure, saveServices, updateService } from './repository';
import { searchServices, type SearchQuery } from './search';
import { searchMemory } from './search-memory';
import { generateServices } from '../../../../bench/directory';

// Tuesday 8 December 2026, 10:30 in Paris: no holiday, no clock change around it.
const tuesdayMorning = fromParis({ year: 2026, month: 12, day: 8, hour: 10, minute: 30 });

const service = fakeService;

describe.each(testDialects())('the search index follows the database on %s', (dialect) => {
  const open = freshDatabases(dialect);

  it('sees what another process wrote, at its next search', { timeout: 60_000 }, async () => {
    const writer = await open();
    const reader = openDatabase(writer.url);
    try {
      const ids = async (query: SearchQuery) => (await searchServices(reader.db, { limit: 100, at: tuesdayMorning, ...query })).hits.map((h) => h.id);
      expect(await ids({})).toEqual([]);

      await saveServices(writer.db, [service('fake-1', 'Vestiaire solidaire Fictif'), service('fake-2', 'Accueil de jour Fictif')], { actor: 'test' });
      expect(await ids({})).toEqual(['fake-2', 'fake-1']); // name order
      expect(await ids({ open: 'now', categories: ['day-centre'] })).toEqual(['fake-2', 'fake-1']);

      // an edit of the words, the category and the hours
      await updateService(writer.db, 'fake-1', { texts: { fr: { name: 'Douches solidaires Fictives' } }, categories: ['hygiene'], hours: { weekly: { '2': [{ opens: '20:00', closes: '08:00' }] }, publicHolidays: 'closed' } }, { actor: 'test' });
      expect(await ids({ words: 'douches' })).toEqual(['fake-1']);
      expect(await ids({ words: 'vestiaire' })).toEqual([]);
      expect(await ids({ categories: ['hygiene'] })).toEqual(['fake-1']);
      expect(await ids({ open: 'now' })).toEqual(['fake-2']);

      // a temporary closure over Tuesday morning
      await postTemporaryClosure(writer.db, 'fake-2', { from: '2026-12-07T00:00', to: '2026-12-09T00:00', reason: 'travaux' }, { actor: 'test' });
      expect(await ids({ open: 'now' })).toEqual([]);

      // out of the public directory, and back
      await updateService(writer.db, 'fake-2', { status: 'inactive' }, { actor: 'test' });
      expect(await ids({})).toEqual(['fake-1']);
      await updateService(writer.db, 'fake-2', { status: 'active' }, { actor: 'test' });
      expect(await ids({})).toEqual(['fake-2', 'fake-1']);

      // deleted, then created again under the same id
      await deleteService(writer.db, 'fake-1', { actor: 'test' });
      expect(await ids({})).toEqual(['fake-2']);
      await saveServices(writer.db, [service('fake-1', 'Halte de nuit Fictive', { categories: ['emergency-shelter'] })], { actor: 'test' });
      expect(await ids({ categories: ['emergency-shelter'] })).toEqual(['fake-1']);
      expect(await ids({})).toEqual(['fake-2', 'fake-1']);

      // an import of many at once
      await insertGeneratedServices(writer.db, generateServices(300));
      expect((await searchServices(reader.db, { at: tuesdayMorning })).total).toBe(302);
    } finally {
      await reader.close();
    }
  });

  it('reads only what changed since its last reading, and nothing when nothing changed', { timeout: 60_000 }, async () => {
    const { db } = await open();
    await saveServices(db, [service('fake-1', 'Laverie solidaire Fictive')], { actor: 'test' });
    const memory = await searchMemory(db);
    const first = memory.table();
    expect(first.services.map((s) => s.id)).toEqual(['fake-1']);
    // nothing changed: the same table, not read again
    expect((await searchMemory(db)).table()).toBe(first);
    await saveServices(db, [service('fake-2', 'Accueil de jour Fictif')], { actor: 'test' });
    const second = (await searchMemory(db)).table();
    expect(second).not.toBe(first);
    expect(second.services.map((s) => s.id)).toEqual(['fake-2', 'fake-1']);
    // the service that did not change is the same object: it was not read again
    expect(second.services[1]).toBe(first.services[0]);
  });

  it('finds, after the upgrade, the services of an instance from before the revision', { timeout: 60_000 }, async () => {
    const handles = await open({ migrate: false });
    const owner = handles.owner.withoutPlugins();
    const migrator = new Migrator({ db: owner, provider: { getMigrations: async () => migrations } });
    const before = await migrator.migrateTo('20261130T1330-theme-quotes');
    expect(before.error).toBeUndefined();
    // Two services as that version wrote them (its columns, its full-text index).
    const now = new Date().toISOString();
    await sql`insert into directory_organization (id, name, updated_at) values ('org-old', 'Association Ancienne', ${now})`.execute(owner);
    const hours = JSON.stringify({ weekly: { 2: [{ opens: '09:00', closes: '17:00' }] }, publicHolidays: 'closed' });
    for (const [id, name, text] of [['old-1', 'Laverie Ancienne', 'laverie ancienne'], ['old-2', 'Halte Ancienne', 'halte ancienne']] as const) {
      await sql`insert into directory_service (id, organization_id, status, source_locale, name, free, hours_json, holiday_policy, region, is_national, is_sample, search_text, version, created_at, updated_at)
        values (${id}, 'org-old', 'active', 'fr', ${name}, 1, ${id === 'old-1' ? hours : null}, 'closed', 'idf', 0, 1, ${text}, 1, ${now}, ${now})`.execute(owner);
      await sql`insert into directory_service_translation (service_id, locale, name) values (${id}, 'fr', ${name})`.execute(owner);
      await sql`insert into directory_service_tag (service_id, kind, value) values (${id}, 'category', 'hygiene')`.execute(owner);
      if (dialect === 'sqlite') {
        await sql`insert into directory_service_fts (rowid, body) select rowid, ${text} from directory_service where id = ${id}`.execute(owner);
      }
    }
    await migrateToLatest(owner);
    if (handles.testDb.ownerUrl) await grantAppRole(owner, roleOf(handles.url));

    const ids = async (query: SearchQuery) => (await searchServices(handles.db, { at: tuesdayMorning, ...query })).hits.map((h) => h.id);
    expect(await ids({})).toEqual(['old-2', 'old-1']);
    expect(await ids({ words: 'laverie' })).toEqual(['old-1']);
    expect(await ids({ words: 'ancienne', open: 'now' })).toEqual(['old-1']);
    expect(await ids({ categories: ['hygiene'] })).toEqual(['old-2', 'old-1']);
    // and the first write after the upgrade is seen like any other
    await updateService(handles.db, 'old-2', { hours: JSON.parse(hours) }, { actor: 'test' });
    expect(await ids({ open: 'now' })).toEqual(['old-2', 'old-1']);
  });
});
