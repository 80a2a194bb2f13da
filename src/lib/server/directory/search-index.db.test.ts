/**
 * The full-text index stays true to the records after a create, an edit, a delete and an
 * import (SQLite's FTS5 table and PostgreSQL's tsvector table, both `directory_service_fts`,
 * are kept by the repository), accents and case aside; and a search gives the page, in
 * name order, and the exact total that the records say.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fakeService } from '../../../../tests/support/directory';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { fromParis } from '../../time/paris-time';
import { deleteService, saveServices, updateService } from './repository';
import { searchServices, type SearchQuery } from './search';
import { importServices, parseImport } from './transfer';
import type { DirectoryService } from './model';
import type { Db } from '../db/connect';

// Tuesday 8 December 2026, 10:30 in Paris: no holiday, no clock change around it.
const tuesdayMorning = fromParis({ year: 2026, month: 12, day: 8, hour: 10, minute: 30 });
const tuesdayNight = fromParis({ year: 2026, month: 12, day: 8, hour: 23, minute: 0 });

const service = fakeService;

describe.each(testDialects())('directory full-text index on %s', (dialect) => {
  const open = freshDatabases(dialect);
  const ids = async (db: Db['db'], query: SearchQuery) => (await searchServices(db, { limit: 100, ...query })).hits.map((h) => h.id);
  /** SQLite: the FTS rows of a service (its rowid); PostgreSQL: whether its vector matches. */
  const indexed = async (db: Db['db'], id: string, word: string): Promise<boolean> => {
    if (dialect === 'sqlite') {
      const r = await sql<{ n: number }>`select count(*) as n from directory_service_fts
        where directory_service_fts match ${`"${word}"*`} and rowid in (select rowid from directory_service where id = ${id})`.execute(db);
      return Number(r.rows[0]!.n) > 0;
    }
    const r = await sql<{ n: number }>`select count(*) as n from directory_service_fts where service_id = ${id} and body @@ to_tsquery('simple', ${`${word}:*`})`.execute(db);
    return Number(r.rows[0]!.n) > 0;
  };

  it('ignores accents and case, in the query and in the record', async () => {
    const { db } = await open();
    await saveServices(db, [service('fake-abri', "HÉBERGEMENT d'Urgence Œuvre Fictive")], { actor: 'test' });
    for (const words of ['hebergement', 'Hébergement', 'HEBERGEMENT', 'hÉbErGeMeNt urgence', 'heberg', 'oeuvre', 'Œuvre', 'URGENCE fictive']) {
      expect(await ids(db, { words }), words).toEqual(['fake-abri']);
    }
    expect(await ids(db, { words: 'hebergements' })).toEqual([]);
    expect(await ids(db, { words: 'urgence absent' })).toEqual([]);
    // what the query may not say: operators and quotes are only letters to it
    for (const words of ['"', 'heberg* OR abri', "'; drop table directory_service; --", 'NEAR(a b)', '&|!:*']) {
      await expect(searchServices(db, { words }), words).resolves.toBeDefined();
    }
    expect(await ids(db, { words: 'hebergement OR absent' })).toEqual([]);
  });

  it('follows a create, an edit and a delete', async () => {
    const { db } = await open();
    await saveServices(db, [service('fake-1', 'Laverie solidaire Fictive'), service('fake-2', 'Permanence juridique Fictive', { categories: ['legal-aid'] })], { actor: 'test' });
    expect(await ids(db, { words: 'laverie' })).toEqual(['fake-1']);
    expect(await ids(db, { words: 'avocat' })).toEqual(['fake-2']); // a category's words
    expect(await indexed(db, 'fake-1', 'laverie')).toBe(true);

    await updateService(db, 'fake-1', { texts: { fr: { name: 'Douches solidaires Fictives' } }, categories: ['food'] }, { actor: 'test' });
    expect(await ids(db, { words: 'laverie' })).toEqual([]);
    expect(await ids(db, { words: 'douches' })).toEqual(['fake-1']);
    expect(await indexed(db, 'fake-1', 'laverie')).toBe(false);
    expect(await indexed(db, 'fake-1', 'douches')).toBe(true);
    // an edit that leaves the text alone leaves it found
    await updateService(db, 'fake-1', { free: false }, { actor: 'test' });
    expect(await ids(db, { words: 'douches' })).toEqual(['fake-1']);

    await deleteService(db, 'fake-2', { actor: 'test' });
    expect(await ids(db, { words: 'avocat' })).toEqual([]);
    expect(await ids(db, { words: 'fictive' })).toEqual(['fake-1']);
    if (dialect === 'sqlite') {
      const r = await sql<{ n: number }>`select count(*) as n from directory_service_fts where directory_service_fts match '"fictive"*'`.execute(db);
      expect(Number(r.rows[0]!.n)).toBe(1); // no row left behind by the deleted one
    }
    // deleted then created again under the same id: found once, by its new words
    await saveServices(db, [service('fake-2', 'Halte de nuit Fictive')], { actor: 'test' });
    expect(await ids(db, { words: 'halte' })).toEqual(['fake-2']);
    expect(await ids(db, { words: 'juridique' })).toEqual([]);
  });

  it('follows an import and a re-import of the same ids', async () => {
    const { db } = await open();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-search-index-'));
    try {
      const file = path.join(dir, 'di.json');
      const record = {
        id: 'x-1', source: 'dora', structure_id: 's-1', nom: 'Épicerie sociale Fictive', description: 'Aide alimentaire.',
        thematiques: ['alimentation--aide-alimentaire'], publics: ['femmes'], frais: ['gratuit'], telephone: '01 02 03 04 05',
        adresse: '1 rue Test', code_postal: '75011', commune: 'Paris', code_insee: '75111', latitude: 48.86, longitude: 2.38,
        horaires_accueil: 'Tu 09:00-12:00', date_maj: '2026-10-01'
      };
      fs.writeFileSync(file, JSON.stringify([record]));
      const first = parseImport(file, 'data-inclusion');
      expect(first.issues).toEqual([]);
      await importServices(db, first, { actor: 'test' });
      expect(await ids(db, { words: 'epicerie' })).toEqual(['di-dora-x-1']);
      expect(await ids(db, { words: 'EPICERIE', open: 'now', at: tuesdayMorning })).toEqual(['di-dora-x-1']);
      expect(await ids(db, { words: 'epicerie', open: 'now', at: tuesdayNight })).toEqual([]);

      fs.writeFileSync(file, JSON.stringify([{ ...record, nom: 'Vestiaire solidaire Fictif' }]));
      await importServices(db, parseImport(file, 'data-inclusion'), { actor: 'test' });
      expect(await ids(db, { words: 'epicerie' })).toEqual([]);
      expect(await ids(db, { words: 'vestiaire' })).toEqual(['di-dora-x-1']);
      expect(await indexed(db, 'di-dora-x-1', 'epicerie')).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the page in name order and the exact total, with many matches or few', async () => {
    const { db } = await open();
    const many = Array.from({ length: 1200 }, (_, i) => {
      // names out of id order; every third is a lawyers' permanence; every fifth open at night only
      const n = (i * 7919) % 1200;
      return service(`fake-${String(i).padStart(4, '0')}`, `Relais Fictif ${String(n).padStart(4, '0')}`, {
        categories: i % 3 === 0 ? ['legal-aid'] : ['day-centre'],
        hours: i % 5 === 0 ? { weekly: { '2': [{ opens: '20:00', closes: '08:00' }] }, publicHolidays: 'closed' } : { weekly: { '2': [{ opens: '09:00', closes: '17:00' }] }, publicHolidays: 'closed' }
      });
    });
    await saveServices(db, many, { actor: 'test' });
    const byName = (list: DirectoryService[]) => [...list].sort((a, b) => (a.texts.fr!.name < b.texts.fr!.name ? -1 : 1)).map((s) => s.id);
    const expectPage = async (query: SearchQuery, matching: DirectoryService[]) => {
      const all = byName(matching);
      for (const offset of [0, 20, 980]) {
        const result = await searchServices(db, { ...query, limit: 20, offset });
        expect(result.hits.map((h) => h.id), `${JSON.stringify(query)} from ${offset}`).toEqual(all.slice(offset, offset + 20));
        expect(result.total).toBe(all.length);
      }
    };
    // many
    await expectPage({ words: 'relais fictif' }, many);
    await expectPage({ words: 'relais', open: 'now', at: tuesdayMorning }, many.filter((_, i) => i % 5 !== 0));
    // few
    await expectPage({ words: 'relais', categories: ['legal-aid'] }, many.filter((_, i) => i % 3 === 0));
    await expectPage({ categories: ['legal-aid'], open: 'now', at: tuesdayNight }, many.filter((_, i) => i % 3 === 0 && i % 5 === 0));
    // a page past the end is empty, with the total still right
    const past = await searchServices(db, { categories: ['legal-aid'], open: 'now', at: tuesdayNight, offset: 500 });
    expect(past).toEqual({ total: many.filter((_, i) => i % 15 === 0).length, hits: [] });
  });
});
