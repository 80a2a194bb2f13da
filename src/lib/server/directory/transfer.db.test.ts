import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, openTestDatabase, testDialects, type TestDatabase } from '../../../../tests/support/databases';
import type { Db } from '../db/connect';
import { fromParis } from '../../time/paris-time';
import { loadDirectoryDemo } from './demo';
import { exportHsdsServices, exportToPath, importServices, parseImport } from './transfer';
import {
  findServiceById,
  listNoticesInForce,
  listServiceVersions,
  listStaleServices,
  postFullNotice,
  postTemporaryClosure,
  updateService,
  verifyService
} from './repository';
import { isOpenAt } from '../../directory/opening-hours';

const now = fromParis({ year: 2026, month: 11, day: 29, hour: 12, minute: 0 });
const withoutDates = (services: Array<Record<string, unknown>>) => services.map(({ last_modified: _m, ...rest }) => rest);

describe.each(testDialects())('directory import and export on %s', (dialect) => {
  const dbs: TestDatabase[] = [];
  const handles: Db[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-directory-'));
  async function fresh(): Promise<Db> {
    const testDb = await createTestDatabase(dialect);
    dbs.push(testDb);
    const handle = await openTestDatabase(testDb);
    handles.push(handle);
    return handle;
  }
  let source: Db;
  beforeAll(async () => {
    source = await fresh();
    await loadDirectoryDemo(source.db, now);
  });
  afterAll(async () => {
    for (const h of handles) await h.close();
    for (const d of dbs) await d.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const format of ['hsds-json', 'hsds-datapackage'] as const) {
    it(`import → export → import with ${format} gives the same services, schedules and translations`, async () => {
      const first = path.join(dir, `first-${dialect}-${format}`);
      await exportToPath(source.db, format, first);
      const target = await fresh();
      const parsed = parseImport(first, format);
      expect(parsed.issues).toEqual([]);
      const report = await importServices(target.db, parsed, { actor: 'test' });
      expect(report.created).toBe(21);
      const second = path.join(dir, `second-${dialect}-${format}`);
      await exportToPath(target.db, format, second);
      const a = withoutDates((await exportHsdsServices(source.db)) as unknown as Array<Record<string, unknown>>);
      const b = withoutDates((await exportHsdsServices(target.db)) as unknown as Array<Record<string, unknown>>);
      expect(b).toEqual(a);
      expect(b.find((s) => s.id === 'sample-paris-exit-programme')?.x_relais).toMatchObject({ translations: { es: { name: expect.stringContaining('Ejemplo') } } });
      // Importing the same file again updates nothing and duplicates nothing.
      const again = await importServices(target.db, parseImport(second, format), { actor: 'test' });
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 21 });
    });
  }

  it('never exports a confidential address, and a redacted re-import keeps the stored one', async () => {
    const file = path.join(dir, `redacted-${dialect}.json`);
    await exportToPath(source.db, 'hsds-json', file);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('ADRESSE CONFIDENTIELLE');
    const parsed = parseImport(file, 'hsds-json');
    await importServices(source.db, parsed, { actor: 'test' });
    const shelter = await findServiceById(source.db, 'sample-paris-confidential-shelter');
    expect(shelter?.location).toMatchObject({ confidential: true, address: expect.stringContaining('CONFIDENTIELLE'), frontDoorPhone: '0100000001' });
  });

  it('a malformed file changes nothing and reports each error with its record and field', async () => {
    const target = await fresh();
    const good = (await exportHsdsServices(source.db)).slice(0, 2) as unknown as Array<Record<string, unknown>>;
    const bad = JSON.parse(JSON.stringify(good[1])) as Record<string, unknown>;
    bad.id = 'broken-service';
    Object.assign((bad.schedules as Array<Record<string, unknown>>)[0]!, { description: null, byday: 'XX' });
    (bad.x_relais as { phones: Array<{ number: string }> }).phones[0]!.number = 'call me';
    const file = path.join(dir, `bad-${dialect}.json`);
    fs.writeFileSync(file, JSON.stringify([...good, bad, { id: 'no-name' }]));
    const parsed = parseImport(file, 'hsds-json');
    expect(parsed.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ record: '#3 (broken-service)', field: 'schedules.0.byday' }),
        expect.objectContaining({ record: '#3 (broken-service)', field: 'phones.0.number' }),
        expect.objectContaining({ record: '#4 (no-name)' })
      ])
    );
    await expect(importServices(target.db, parsed, { actor: 'test' })).rejects.toThrow();
    const count = await target.db.selectFrom('directory_service').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    const notJson = path.join(dir, `not-json-${dialect}.json`);
    fs.writeFileSync(notJson, '[{"id": ');
    expect(parseImport(notJson, 'hsds-json').issues[0]).toMatchObject({ record: '(file)', code: 'unreadable' });
  });

  it('imports data·inclusion services, their OSM hours, and names an unreadable hours string', async () => {
    const target = await fresh();
    const file = path.join(dir, `di-${dialect}.json`);
    const record = {
      id: 'abc-1', source: 'dora', structure_id: 's-1', nom: 'Permanence sociale', description: 'Accueil et orientation.',
      thematiques: ['logement-hebergement--etre-heberge', 'acces-aux-droits-et-citoyennete--accompagnement-juridique'],
      publics: ['femmes'], frais: ['gratuit'], telephone: '01 02 03 04 05', courriel: 'contact@example.org',
      adresse: '1 rue Test', code_postal: '75011', commune: 'Paris', code_insee: '75111', latitude: 48.86, longitude: 2.38,
      horaires_accueil: 'Mo-Fr 09:00-12:00,14:00-17:00; PH off', date_maj: '2026-10-01'
    };
    fs.writeFileSync(file, JSON.stringify([record, { ...record, id: 'abc-2', horaires_accueil: 'Mo-Fr 09:00-12:00 || "sur rendez-vous"' }]));
    const parsed = parseImport(file, 'data-inclusion');
    expect(parsed.issues).toEqual([expect.objectContaining({ record: '#2 (abc-2)', field: 'horaires_accueil' })]);
    fs.writeFileSync(file, JSON.stringify([record]));
    await importServices(target.db, parseImport(file, 'data-inclusion'), { actor: 'test' });
    const service = await findServiceById(target.db, 'di-dora-abc-1');
    expect(service).toMatchObject({ categories: ['emergency-shelter', 'legal-aid'], audiences: ['women_only'], free: true, region: 'idf' });
    expect(isOpenAt(service!.hours!, fromParis({ year: 2026, month: 12, day: 1, hour: 10, minute: 0 }))).toBe(true);
  });

  it('keeps a version of every edit: who, when, what changed; verification; closures; full tonight', async () => {
    const db = source.db;
    const before = await findServiceById(db, 'sample-paris-day-centre');
    await updateService(db, 'sample-paris-day-centre', { free: false }, { actor: 'staff:alice', at: new Date('2026-12-01T10:00:00Z') });
    await expect(updateService(db, 'sample-paris-day-centre', { free: true }, { actor: 'staff:bob', expectedVersion: before!.version })).rejects.toMatchObject({ code: 'conflict' });
    await verifyService(db, 'sample-paris-day-centre', { actor: 'staff:alice', at: new Date('2026-12-02T10:00:00Z') });
    const versions = await listServiceVersions(db, 'sample-paris-day-centre');
    expect(versions[0]).toMatchObject({ actor: 'staff:alice', action: 'verify', changes: { lastVerifiedAt: { to: '2026-12-02T10:00:00.000Z' } } });
    expect(versions[1]).toMatchObject({ actor: 'staff:alice', action: 'update', changedAt: '2026-12-01T10:00:00.000Z', changes: { free: { from: true, to: false } } });
    await expect(updateService(db, 'sample-paris-day-centre', { categories: ['nonsense' as never] }, { actor: 'staff:alice' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(updateService(db, 'nope', { free: true }, { actor: 'staff:alice' })).rejects.toMatchObject({ code: 'not_found' });

    await postTemporaryClosure(db, 'sample-paris-day-centre', { from: '2026-12-07T00:00', to: '2026-12-09T00:00', reason: 'strike' }, { actor: 'staff:alice' });
    const closed = await findServiceById(db, 'sample-paris-day-centre');
    expect(isOpenAt(closed!.hours!, fromParis({ year: 2026, month: 12, day: 8, hour: 10, minute: 0 }))).toBe(false);

    const at = fromParis({ year: 2026, month: 12, day: 3, hour: 18, minute: 0 });
    await postFullNotice(db, 'sample-paris-day-centre', { expiresAt: fromParis({ year: 2026, month: 12, day: 4, hour: 9, minute: 0 }) }, { actor: 'staff:alice', at });
    expect((await listNoticesInForce(db, ['sample-paris-day-centre'], at)).get('sample-paris-day-centre')).toHaveLength(1);
    expect((await listNoticesInForce(db, ['sample-paris-day-centre'], fromParis({ year: 2026, month: 12, day: 4, hour: 10, minute: 0 }))).size).toBe(0);

    const stale = await listStaleServices(db, new Date('2026-12-02T12:00:00Z'));
    expect(stale.map((s) => s.id)).toContain('sample-paris-showers'); // checked 1 December 2025
    expect(stale.map((s) => s.id)).not.toContain('sample-paris-day-centre');
  });
});
