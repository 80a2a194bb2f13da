import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { domainErrorCode as codeOf, twoOrganizations } from '../../../../tests/support/organizations';
import { freshDatabases, testDialects, type TestHandles } from '../../../../tests/support/databases';
import type { Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { verifyAudit } from '../audit/audit';
import { dataKeyOf } from '../accounts/organization.service';
import { decryptField, unwrapDataKey } from '../crypto/envelope';
import { dumpDatabase, loadDatabase } from '../backup/backup';
import {
  assignHelper,
  breakGlass,
  listPersons,
  openPerson,
  openProcedure,
  pseudonymIndex,
  readPerson,
  readProcedure,
  recordConsent,
  recordStep,
  withdrawConsent,
  type CaseContext,
  type OpenPersonInput
} from './person.service';
import { deleteDocument, DocumentRefusedError, listDocuments, readDocument, uploadDocument } from './document.service';
import { MAX_DOCUMENT_BYTES } from './document-type';
import { addMonths, closePerson, erasePerson, exportPerson, listPurgeDue, PERSON_TABLES, purgeDue, retentionMonthsOf } from './rights.service';

// Obviously fake and distinctive: finding them in the raw database means a leak.
const PSEUDONYM = 'Quillabee Fakename';
const REAL_NAME = 'Orvandine Testperson';
const CONTACT = 'Only through the fake day centre phone';
const NOTE = 'Zephyrine note: met at the fake station';
const REASON = 'Her helper is away and she called in crisis';
const DOC_NAME = 'Quillabee passeport Orvandine.pdf';
const DOC_MARKER = 'Vorticella document marker 4417';
const OTHER_PSEUDONYM = 'Brindlewick Otherfake';
const OTHER_NOTE = 'Marmalune note of the other woman';


function pdf(marker = DOC_MARKER, padding = 0): Buffer {
  return Buffer.concat([Buffer.from(`%PDF-1.4\n% ${marker}\n1 0 obj << /Type /Catalog >> endobj\n`, 'latin1'), Buffer.alloc(padding, 0x20), Buffer.from('trailer << /Root 1 0 R >>\n%%EOF\n', 'latin1')]);
}
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), randomBytes(64)]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), randomBytes(64), Buffer.from([0xff, 0xd9])]);

const input = (overrides: Partial<OpenPersonInput> = {}): OpenPersonInput => ({
  pseudonym: PSEUDONYM,
  realName: REAL_NAME,
  profile: { languages: ['en', 'pcm'], nationality: 'NG', birthYear: 1998, contactRules: CONTACT, referredBy: 'Day centre', minor: false, inDanger: true, noContactWith: null },
  consent: { scopes: ['procedures', 'identity', 'contact', 'documents'], retentionMonths: 24, language: 'en' },
  ...overrides
});

async function refusalOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DocumentRefusedError);
  return (error as DocumentRefusedError).reason;
}

describe.each(testDialects())('her rights over her data on %s', (dialect) => {
  const open = freshDatabases(dialect);

  async function setup() {
    const handle = await open();
    const db = handle.db as Kysely<Database>;
    const { masterKey, orgA: orgAId, orgB: orgBId, account } = await twoOrganizations(db);
    const orgA = { id: orgAId };
    const orgB = { id: orgBId };
    return {
      handle,
      db,
      masterKey,
      orgA: orgA.id,
      social: await account(orgA.id, 'social_worker'),
      coordinator: await account(orgA.id, 'coordinator'),
      peer: await account(orgA.id, 'peer_helper'),
      lawyer: await account(orgA.id, 'lawyer'),
      admin: await account(orgA.id, 'admin'),
      other: await account(orgB.id, 'social_worker')
    };
  }
  type Setup = Awaited<ReturnType<typeof setup>>;

  async function documentCount(t: Setup): Promise<number> {
    return (await t.handle.raw.selectFrom('case_document').select('id').execute()).length;
  }

  /** Everything a raw reader of the database sees (the SQLite file and its log; every PostgreSQL row, as a superuser). */
  async function rawDatabase(handle: TestHandles): Promise<Buffer> {
    if (dialect === 'sqlite') {
      return Buffer.concat(['', '-wal'].map((suffix) => (fs.existsSync(handle.url + suffix) ? fs.readFileSync(handle.url + suffix) : Buffer.alloc(0))));
    }
    const client = new pg.Client({ connectionString: handle.testDb.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`);
      const dumps: string[] = [];
      for (const { tablename } of rows) {
        const result = await client.query(`SELECT row_to_json(t)::text AS j FROM ${JSON.stringify(tablename)} t`);
        dumps.push(...result.rows.map((r: { j: string }) => r.j));
      }
      return Buffer.from(dumps.join('\n'), 'utf8');
    } finally {
      await client.end();
    }
  }

  /** Bytes as they would appear in the raw database: as is (SQLite), or as PostgreSQL's hex of a bytea. */
  const rawForm = (bytes: Buffer) => (dialect === 'sqlite' ? bytes : Buffer.from(bytes.toString('hex'), 'utf8'));

  describe('documents', () => {
    it('stores a PDF, a PNG and a JPEG encrypted under her key; those who see her download them, audited', async () => {
      const t = await setup();
      const { id } = await openPerson(t.social, input());
      const stored = await uploadDocument(t.social, id, { name: DOC_NAME, bytes: pdf() });
      expect(stored.name).toBe(DOC_NAME);
      await uploadDocument(t.social, id, { name: 'photo.png', bytes: png });
      // Its name says PNG, its bytes say JPEG: the bytes decide.
      const photo = await uploadDocument(t.social, id, { name: 'carte.png', bytes: jpeg });
      expect(photo.name).toBe('carte.jpg');

      const list = await listDocuments(t.social, id);
      expect(list).toMatchObject({ pseudonym: PSEUDONYM, consented: true, open: true });
      expect(list.documents.map((d) => [d.name, d.mediaType]).sort()).toEqual([
        [DOC_NAME, 'application/pdf'],
        ['carte.jpg', 'image/jpeg'],
        ['photo.png', 'image/png']
      ]);

      const file = await readDocument(t.social, id, stored.id);
      expect(file.mediaType).toBe('application/pdf');
      expect(file.name).toBe(DOC_NAME);
      expect(file.bytes.equals(pdf())).toBe(true);

      // Nobody who may not see her record gets it: "not found", like a missing one.
      expect(await codeOf(readDocument(t.peer, id, stored.id))).toBe('not_found');
      expect(await codeOf(readDocument(t.coordinator, id, stored.id))).toBe('not_found');
      expect(await codeOf(readDocument(t.other, id, stored.id))).toBe('not_found');
      expect(await codeOf(readDocument(t.admin, id, stored.id))).toBe('forbidden');
      expect(await codeOf(uploadDocument(t.peer, id, { name: 'x.pdf', bytes: pdf() }))).toBe('not_found');
      // A helper assigned to her, even a peer helper, may.
      await assignHelper(t.social, id, t.peer.who.accountId);
      expect((await readDocument(t.peer, id, stored.id)).bytes.equals(pdf())).toBe(true);
      // Her document asked for through another woman's record: not found.
      const second = await openPerson(t.social, input({ pseudonym: OTHER_PSEUDONYM }));
      expect(await codeOf(readDocument(t.social, second.id, stored.id))).toBe('not_found');

      const entries = await t.handle.raw.selectFrom('audit_entry').selectAll().where('chain', '=', t.orgA).execute();
      expect(entries.filter((e) => e.action === 'document.download').map((e) => e.target_id)).toEqual([stored.id, stored.id]);
      expect(entries.filter((e) => e.action === 'document.upload')).toHaveLength(3);
      expect((await verifyAudit(t.db)).ok).toBe(true);

      // Neither the bytes nor the name are readable in the raw database.
      const raw = await rawDatabase(t.handle);
      expect(raw.length).toBeGreaterThan(1000);
      for (const secret of [DOC_MARKER, 'Quillabee passeport', 'carte.jpg', 'photo.png']) expect(raw.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
      expect(raw.includes(rawForm(png.subarray(16, 64)))).toBe(false);

      await deleteDocument(t.social, id, stored.id);
      expect(await codeOf(readDocument(t.social, id, stored.id))).toBe('not_found');
      expect(await codeOf(deleteDocument(t.social, id, stored.id))).toBe('not_found');
    });

    it('refuses a text file called .pdf, an empty file and one over 10 MB, and stores nothing', async () => {
      const t = await setup();
      const { id } = await openPerson(t.social, input());
      expect(await refusalOf(uploadDocument(t.social, id, { name: 'passport.pdf', bytes: Buffer.from('This is only text, not a PDF.\n') }))).toBe('wrong_type');
      expect(await refusalOf(uploadDocument(t.social, id, { name: 'page.pdf', bytes: Buffer.from('<html><body>%PDF-1.4</body></html>') }))).toBe('wrong_type');
      expect(await refusalOf(uploadDocument(t.social, id, { name: 'empty.pdf', bytes: Buffer.alloc(0) }))).toBe('empty');
      const tooBig = pdf(DOC_MARKER, MAX_DOCUMENT_BYTES);
      expect(tooBig.length).toBeGreaterThan(MAX_DOCUMENT_BYTES);
      const error = await uploadDocument(t.social, id, { name: 'big.pdf', bytes: tooBig }).catch((e: unknown) => e);
      expect((error as DocumentRefusedError).reason).toBe('too_big');
      expect((error as DocumentRefusedError).code).toBe('payload_too_large');
      expect(await documentCount(t)).toBe(0);
      // Exactly 10 MB is accepted, and comes back whole.
      const largest = pdf(DOC_MARKER, MAX_DOCUMENT_BYTES - pdf().length);
      expect(largest.length).toBe(MAX_DOCUMENT_BYTES);
      const stored = await uploadDocument(t.social, id, { name: 'scan.pdf', bytes: largest });
      expect((await readDocument(t.social, id, stored.id)).bytes.equals(largest)).toBe(true);
      expect(await documentCount(t)).toBe(1);
    });

    it('needs her consent to keep documents; withdrawing it removes them; a closed record takes none', async () => {
      const t = await setup();
      const { id } = await openPerson(t.social, input({ consent: { scopes: ['procedures'], retentionMonths: 24, language: 'fr' } }));
      expect(await refusalOf(uploadDocument(t.social, id, { name: 'a.pdf', bytes: pdf() }))).toBe('no_consent');
      expect((await listDocuments(t.social, id)).consented).toBe(false);
      await recordConsent(t.social, id, { scopes: ['documents'], retentionMonths: 12, language: 'fr' });
      await uploadDocument(t.social, id, { name: 'a.pdf', bytes: pdf() });
      expect(await documentCount(t)).toBe(1);
      const consent = (await readPerson(t.social, id)).consents.find((c) => c.scopes.includes('documents'))!;
      await withdrawConsent(t.social, id, consent.id);
      expect(await documentCount(t)).toBe(0);
      expect((await listDocuments(t.social, id)).documents).toEqual([]);
      await recordConsent(t.social, id, { scopes: ['documents'], retentionMonths: 12, language: 'fr' });
      await closePerson(t.social, id, 'completed');
      expect(await refusalOf(uploadDocument(t.social, id, { name: 'a.pdf', bytes: pdf() }))).toBe('closed');
    });

    it('binds a document to its id: bytes moved to another document do not decrypt', async () => {
      const t = await setup();
      const { id } = await openPerson(t.social, input());
      const a = await uploadDocument(t.social, id, { name: 'a.pdf', bytes: pdf('first') });
      const b = await uploadDocument(t.social, id, { name: 'b.pdf', bytes: pdf('second') });
      const rowA = await t.handle.raw.selectFrom('case_document').select('content_encrypted').where('id', '=', a.id).executeTakeFirstOrThrow();
      await t.handle.raw.updateTable('case_document').set({ content_encrypted: rowA.content_encrypted }).where('id', '=', b.id).execute();
      await expect(readDocument(t.social, id, b.id)).rejects.toThrow(/decryption failed/);
    });

    it('survives a backup and a restore, with her whole record the same', async () => {
      const t = await setup();
      const { id } = await openPerson(t.social, input());
      const procedure = await openProcedure(t.social, id, 'accommodation');
      await recordStep(t.social, procedure.id, { transition: 'request', at: '2026-11-20', fields: { request_to: '115', department: '93' } }, NOTE);
      const stored = await uploadDocument(t.social, id, { name: DOC_NAME, bytes: pdf() });
      const before = await exportPerson(t.social, id);
      const content = JSON.parse(JSON.stringify(await dumpDatabase(t.db, dialect)));
      const target = await open();
      await loadDatabase(target.db, content);
      const file = await readDocument({ ...t.social, db: target.db }, id, stored.id);
      expect(file.bytes.equals(pdf())).toBe(true);
      // Everything but the history (each export and download is itself recorded) reads the same.
      const after = await exportPerson({ ...t.social, db: target.db }, id);
      const { history: _h1, exportedAt: _e1, ...a } = before;
      const { history: _h2, exportedAt: _e2, ...b } = after;
      expect(b).toEqual(a);
      expect(a.procedures[0]!.steps[0]!.note).toBe(NOTE);
    });
  });

  describe('export', () => {
    it('gives everything about her, decrypted, to a social worker or coordinator who sees her; audited', async () => {
      const t = await setup();
      const { id } = await openPerson(t.social, input());
      const procedure = await openProcedure(t.social, id, 'accommodation');
      await recordStep(t.social, procedure.id, { transition: 'request', at: '2026-11-20', fields: { request_to: '115', department: '93' } }, NOTE);
      await uploadDocument(t.social, id, { name: DOC_NAME, bytes: pdf() });
      await breakGlass(t.coordinator, id, REASON);
      await readPerson(t.coordinator, id);

      const data = await exportPerson(t.social, id);
      expect(data.format).toBe('relais-person-export/1');
      expect(data.association).toBe('Association A');
      expect(data.person).toMatchObject({ id, status: 'open', pseudonym: PSEUDONYM, realName: REAL_NAME, closedAt: null });
      expect(data.person.profile).toMatchObject({ contactRules: CONTACT, nationality: 'NG', birthYear: 1998, languages: ['en', 'pcm'] });
      expect(data.consents).toEqual([expect.objectContaining({ scopes: ['procedures', 'identity', 'contact', 'documents'], retentionMonths: 24, language: 'en', explainedBy: 'social_worker', withdrawnAt: null })]);
      expect(data.helpers).toEqual([expect.objectContaining({ role: 'social_worker' })]);
      expect(data.accesses).toEqual([expect.objectContaining({ role: 'coordinator', reason: REASON })]);
      expect(data.procedures).toHaveLength(1);
      expect(data.procedures[0]).toMatchObject({ kind: 'accommodation', state: 'requested' });
      expect(data.procedures[0]!.steps).toEqual([expect.objectContaining({ transition: 'request', at: '2026-11-19T23:00:00.000Z', fields: { request_to: '115', department: '93' }, note: NOTE, recordedBy: 'social_worker' })]);
      expect(data.deadlines.map((d) => d.key)).toEqual(['shelter_wait']);
      expect(data.documents).toEqual([expect.objectContaining({ name: DOC_NAME, mediaType: 'application/pdf', size: pdf().length })]);
      // Who consulted her record, by role, from the audit log.
      expect(data.history).toContainEqual(expect.objectContaining({ action: 'person.break_glass', by: 'coordinator' }));
      expect(data.history).toContainEqual(expect.objectContaining({ action: 'person.view', by: 'coordinator' }));
      expect(data.history).toContainEqual(expect.objectContaining({ action: 'document.upload', by: 'social_worker' }));
      expect(JSON.stringify(data)).not.toContain('@example.test');

      // The coordinator (through the broken glass) may export too; a peer helper or a lawyer never.
      expect((await exportPerson(t.coordinator, id)).person.pseudonym).toBe(PSEUDONYM);
      await assignHelper(t.social, id, t.peer.who.accountId);
      expect(await codeOf(exportPerson(t.peer, id))).toBe('forbidden');
      expect(await codeOf(exportPerson(t.lawyer, id))).toBe('forbidden');
      expect(await codeOf(exportPerson(t.other, id))).toBe('not_found');
      const exports = await t.handle.raw.selectFrom('audit_entry').selectAll().where('chain', '=', t.orgA).where('action', '=', 'person.export').execute();
      expect(exports.map((e) => [e.actor_id, e.target_id])).toEqual([
        [t.social.who.accountId, id],
        [t.coordinator.who.accountId, id]
      ]);
    });
  });

  describe('erasure', () => {
    it('destroys her key and everything about her, keeps anonymous statistics, and leaves the others untouched', async () => {
      const t = await setup();
      const { id } = await openPerson(t.social, input());
      const exit = await openProcedure(t.social, id, 'exit_programme');
      await recordStep(t.social, exit.id, { transition: 'submit', at: '2026-05-04', fields: { department: '75' } }, NOTE);
      await recordStep(t.social, exit.id, { transition: 'schedule_commission', at: '2026-06-01', fields: { commission_date: '2026-06-15' } }, null);
      await recordStep(t.social, exit.id, { transition: 'hold_commission', at: '2026-06-15', fields: { opinion: 'favourable' } }, null);
      const removal = await openProcedure(t.social, id, 'removal_order');
      await recordStep(t.social, removal.id, { transition: 'receive', at: '2026-11-27T23:30', fields: { notified_at: '2026-11-27T23:10', custody: 'retention' } }, NOTE);
      const document = await uploadDocument(t.social, id, { name: DOC_NAME, bytes: pdf() });
      await breakGlass(t.coordinator, id, REASON);

      // Another woman of the same association, and one of another association.
      const other = await openPerson(t.social, input({ pseudonym: OTHER_PSEUDONYM }));
      const otherProcedure = await openProcedure(t.social, other.id, 'accommodation');
      await recordStep(t.social, otherProcedure.id, { transition: 'request', at: '2026-11-20', fields: { request_to: '115' } }, OTHER_NOTE);
      const otherDocument = await uploadDocument(t.social, other.id, { name: 'other.pdf', bytes: pdf('other marker') });
      const elsewhere = await openPerson(t.other, input());

      // What someone holding the database and the master key could have used: captured now.
      const before = await t.handle.raw.selectFrom('case_person').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const steps = await t.handle.raw.selectFrom('case_step').select(['note_encrypted']).where('procedure_id', 'in', [exit.id, removal.id]).execute();
      const docRow = await t.handle.raw.selectFrom('case_document').select(['content_encrypted', 'name_encrypted']).where('id', '=', document.id).executeTakeFirstOrThrow();
      const access = await t.handle.raw.selectFrom('case_access').select('reason_encrypted').where('person_id', '=', id).executeTakeFirstOrThrow();
      const ciphertexts = [before.wrapped_key!, before.pseudonym_encrypted!, before.real_name_encrypted!, before.profile_encrypted!, before.pseudonym_index!, docRow.name_encrypted, access.reason_encrypted, ...steps.flatMap((s) => (s.note_encrypted ? [s.note_encrypted] : []))];
      expect(ciphertexts).toHaveLength(9);
      // With the master key, before: all of it opens.
      const orgKey = await inTenant(t.db, t.orgA, (trx) => dataKeyOf(trx, t.masterKey, t.orgA));
      const herKey = unwrapDataKey(orgKey, before.wrapped_key!, `person:${id}`);
      expect(decryptField(herKey, before.real_name_encrypted!, { table: 'case_person', column: 'real_name', rowId: id })).toBe(REAL_NAME);

      // Only a coordinator who sees her may erase; a social worker may not.
      expect(await codeOf(erasePerson(t.social, id))).toBe('forbidden');
      const coordinatorElsewhere = { ...t.coordinator, now: new Date(Date.now() + 5 * 3_600_000) };
      expect(await codeOf(erasePerson(coordinatorElsewhere, id))).toBe('not_found');
      await erasePerson(t.coordinator, id);

      // Her record answers "not found" everywhere, to everyone.
      for (const ctx of [t.social, t.coordinator]) {
        expect(await codeOf(readPerson(ctx, id))).toBe('not_found');
        expect(await codeOf(readProcedure(ctx, exit.id))).toBe('not_found');
        expect(await codeOf(readDocument(ctx, id, document.id))).toBe('not_found');
        expect(await codeOf(exportPerson(ctx, id))).toBe('not_found');
      }
      expect(await codeOf(erasePerson(t.coordinator, id))).toBe('not_found');
      expect((await listPersons(t.social, { pseudonym: PSEUDONYM })).people).toEqual([]);
      expect((await listPersons(t.coordinator, { pseudonym: PSEUDONYM })).hidden).toEqual([]);

      // The tombstone holds no data; no row about her is left.
      const after = await t.handle.raw.selectFrom('case_person').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(after).toMatchObject({ status: 'erased', wrapped_key: null, pseudonym_index: null, pseudonym_encrypted: null, real_name_encrypted: null, profile_encrypted: null, purge_after: null });
      expect(after.created_at).toMatch(/^\d{4}-\d{2}-01T00:00:00\.000Z$/);
      for (const table of PERSON_TABLES) expect(await t.handle.raw.selectFrom(table).select('person_id').where('person_id', '=', id).execute(), table).toEqual([]);
      expect(await t.handle.raw.selectFrom('case_procedure').select('id').where('person_id', '=', id).execute()).toEqual([]);
      expect(await t.handle.raw.selectFrom('case_step').select('id').where('procedure_id', 'in', [exit.id, removal.id]).execute()).toEqual([]);

      // Anonymous statistics: kinds, states, months and closed-list fields only.
      const statistics = await t.handle.raw.selectFrom('case_statistic').selectAll().orderBy('kind').execute();
      expect(statistics.map((s) => [s.kind, s.state, s.opened_month.length])).toEqual([
        ['exit_programme', 'awaiting_decision', 7],
        ['removal_order', 'received', 7]
      ]);
      expect(JSON.parse(statistics[0]!.steps_json)).toEqual([
        { transition: 'submit', month: '2026-05', fields: { department: '75' } },
        { transition: 'schedule_commission', month: '2026-06', fields: {} },
        { transition: 'hold_commission', month: '2026-06', fields: { opinion: 'favourable' } }
      ]);
      expect(JSON.parse(statistics[1]!.steps_json)).toEqual([{ transition: 'receive', month: '2026-11', fields: { custody: 'retention' } }]);
      expect(JSON.stringify(statistics)).not.toMatch(new RegExp(`${id}|${exit.id}|2026-11-27|23:10|2026-06-15`));

      // Audited without her data: her id, an action, who.
      const erase = await t.handle.raw.selectFrom('audit_entry').selectAll().where('action', '=', 'person.erase').execute();
      expect(erase.map((e) => [e.chain, e.actor_id, e.target_kind, e.target_id])).toEqual([[t.orgA, t.coordinator.who.accountId, 'person', id]]);
      expect((await verifyAudit(t.db)).ok).toBe(true);

      // Nothing of hers is left in the raw database, not even a ciphertext: the master key opens nothing.
      const raw = await rawDatabase(t.handle);
      const text = raw.toString('latin1');
      expect(raw.length).toBeGreaterThan(1000);
      for (const secret of [PSEUDONYM, REAL_NAME, NOTE, REASON, CONTACT, DOC_MARKER, 'Quillabee passeport', ...ciphertexts]) expect(text.includes(secret), secret.slice(0, 40)).toBe(false);
      expect(raw.includes(rawForm(docRow.content_encrypted.subarray(100, 164))), 'document bytes').toBe(false);
      // Every wrapped key left is someone else's.
      const keys = await t.handle.raw.selectFrom('case_person').select(['id', 'wrapped_key']).where('wrapped_key', 'is not', null).execute();
      expect(keys.map((k) => k.id).sort()).toEqual([other.id, elsewhere.id].sort());
      expect(() => unwrapDataKey(orgKey, keys.find((k) => k.id === other.id)!.wrapped_key!, `person:${id}`)).toThrow();

      // The other women are untouched.
      const kept = await readPerson(t.social, other.id);
      expect(kept.pseudonym).toBe(OTHER_PSEUDONYM);
      expect((await readProcedure(t.social, otherProcedure.id)).steps[0]!.note).toBe(OTHER_NOTE);
      expect((await readDocument(t.social, other.id, otherDocument.id)).bytes.equals(pdf('other marker'))).toBe(true);
      expect((await readPerson(t.other, elsewhere.id)).realName).toBe(REAL_NAME);
      // Her pseudonym can be used again for someone else; the old index finds nothing.
      const index = pseudonymIndex(orgKey, PSEUDONYM);
      expect(index).toBe(before.pseudonym_index);
      expect(await t.handle.raw.selectFrom('case_person').select('id').where('pseudonym_index', '=', index).execute()).toEqual([]);
    });

    it('covers every table with rows about a person', async () => {
      const t = await setup();
      const tables = await t.handle.raw.introspection.getTables();
      const withPerson = tables.filter((table) => table.columns.some((c) => c.name === 'person_id')).map((table) => table.name);
      // case_procedure is erased with its steps, apart.
      expect(withPerson.filter((name) => name !== 'case_procedure').sort()).toEqual([...PERSON_TABLES].sort());
    });
  });

  describe('retention', () => {
    it('closes a record with a reason; the purge erases it once her consent’s time has passed', async () => {
      const t = await setup();
      const start = new Date('2026-01-31T10:00:00Z');
      const social = { ...t.social, now: start };
      const { id } = await openPerson(social, input({ consent: { scopes: ['procedures', 'identity'], retentionMonths: 6, language: 'fr' } }));
      await recordConsent(social, id, { scopes: ['contact', 'documents'], retentionMonths: 12, language: 'fr' });
      const procedure = await openProcedure(social, id, 'accommodation');
      await recordStep(social, procedure.id, { transition: 'request', at: '2026-01-30', fields: { request_to: 'siao' } }, NOTE);
      const keep = await openPerson(social, input({ pseudonym: OTHER_PSEUDONYM }));

      expect(await codeOf(closePerson(t.peer, id, 'completed'))).toBe('forbidden');
      expect(await codeOf(closePerson(social, id, 'bogus' as never))).toBe('invalid_input');
      // The shortest retention of her consents: 6 months, from 31 January: 31 July.
      const { purgeAfter } = await closePerson(social, id, 'moved_away');
      expect(purgeAfter).toBe('2026-07-31T10:00:00.000Z');
      expect(await codeOf(closePerson(social, id, 'completed'))).toBe('conflict');
      expect(await codeOf(openProcedure(social, id, 'asylum'))).toBe('conflict');
      expect((await readPerson(social, id)).status).toBe('closed');

      // The coordinator's list of what will be purged next month (initials: not assigned to her).
      expect(await listPurgeDue({ ...t.coordinator, now: new Date('2026-06-01T00:00:00Z') })).toEqual([]);
      const soon = await listPurgeDue({ ...t.coordinator, now: new Date('2026-07-15T00:00:00Z') });
      expect(soon).toEqual([{ personId: id, label: 'Q. F.', visible: false, closedAt: start.toISOString(), closedReason: 'moved_away', purgeAfter }]);
      expect(await codeOf(listPurgeDue(t.social))).toBe('forbidden');

      // Before the date: nothing. After: a dry run lists it and changes nothing; a real run erases it, once.
      expect((await purgeDue(t.db, { now: new Date('2026-07-30T00:00:00Z') })).people).toEqual([]);
      const later = new Date('2026-08-01T00:00:00Z');
      const dry = await purgeDue(t.db, { now: later, dryRun: true, actor: 'cli' });
      expect(dry).toEqual({ dryRun: true, people: [{ organizationId: t.orgA, personId: id, purgeAfter }] });
      expect((await readPerson(social, id)).pseudonym).toBe(PSEUDONYM);
      const real = await purgeDue(t.db, { now: later, actor: 'cli' });
      expect(real.people.map((p) => p.personId)).toEqual([id]);
      expect(await codeOf(readPerson(social, id))).toBe('not_found');
      expect((await purgeDue(t.db, { now: later })).people).toEqual([]);
      expect((await readPerson(social, keep.id)).pseudonym).toBe(OTHER_PSEUDONYM);
      const purge = await t.handle.raw.selectFrom('audit_entry').selectAll().where('action', '=', 'person.purge').execute();
      expect(purge.map((e) => [e.actor_id, e.target_id])).toEqual([['cli', id]]);
      expect((await t.handle.raw.selectFrom('case_statistic').select('kind').execute()).map((s) => s.kind)).toEqual(['accommodation']);
    });

    it('purges a record whose consent to record her procedures was withdrawn at the next run', async () => {
      const t = await setup();
      const { id } = await openPerson(t.social, input());
      const record = await readPerson(t.social, id);
      await withdrawConsent(t.social, id, record.consents[0]!.id);
      expect((await readPerson(t.social, id)).status).toBe('closed');
      expect((await listPurgeDue(t.coordinator)).map((p) => p.personId)).toEqual([id]);
      expect((await purgeDue(t.db, { now: new Date(Date.now() + 1000) })).people.map((p) => p.personId)).toEqual([id]);
      expect(await codeOf(readPerson(t.social, id))).toBe('not_found');
    });

    it('computes the purge date', () => {
      expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
      expect(addMonths(new Date('2026-03-15T00:00:00Z'), 24).toISOString()).toBe('2028-03-15T00:00:00.000Z');
      expect(retentionMonthsOf([{ retention_months: 24, withdrawn_at: null }, { retention_months: 6, withdrawn_at: '2026-01-01' }])).toBe(24);
      expect(retentionMonthsOf([])).toBe(0);
    });
  });
});
