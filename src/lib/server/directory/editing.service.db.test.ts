import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshDatabases, testDialects } from '../../../../tests/support/databases';
import { fromParis } from '../../time/paris-time';
import { verifyAudit } from '../audit/audit';
import { createOrganization } from '../accounts/organization.service';
import { acceptInvitation, inviteAccount } from '../accounts/account.service';
import type { Role } from '../accounts/roles';
import type { Db } from '../db/connect';
import { findServiceById, listNoticesInForce, listServiceVersions, saveServices } from './repository';
import { formOfService, type ServiceForm } from './service-form';
import { toHsdsService } from './hsds';
import { summarize } from './view';
import {
  closeTemporarily,
  createService,
  editService,
  findServiceToEdit,
  listServicesToEdit,
  postFullTonight,
  removeService,
  serviceHistory,
  verifyServiceToday,
  type StaffMember
} from './editing.service';

const cli = { id: 'cli' };
// Obviously fake, and distinctive enough that finding them in the audit log means a leak.
const EMAIL = 'Quillon.Vastramere.Fake@example.test';
const OTHER_EMAIL = 'Brannoc.Ylvestre.Fake@example.test';
const SECRET_ADDRESS = '12 rue du Secret-Fictif';
const now = fromParis({ year: 2026, month: 11, day: 29, hour: 22, minute: 0 });

function newForm(values: Record<string, string>, lists: Partial<Pick<ServiceForm, 'categories' | 'audiences' | 'languages'>> = {}): ServiceForm {
  const form = formOfService(null);
  return { ...form, values: { ...form.values, organization: 'Association Fictive du Nord', name_fr: 'Abri de nuit Fictif Étoile', ...values }, ...lists };
}

describe.each(testDialects())('directory editing by staff on %s', (dialect) => {
  const open = freshDatabases(dialect);
  // (poolSize: two saves at once really run on two connections on PostgreSQL)

  async function staff(db: Db['db'], masterKey: Buffer, organizationId: string, email: string, role: Role): Promise<StaffMember> {
    const { token } = await inviteAccount(db, masterKey, { organizationId, email, role, actor: cli });
    const account = await acceptInvitation(db, masterKey, token);
    return { organizationId, accountId: account.accountId, role };
  }

  async function setUp() {
    const { db, raw } = await open({ poolSize: 4 });
    const masterKey = randomBytes(32);
    const org = await createOrganization(db, masterKey, { name: 'Association Relais Fictive', actor: cli });
    const other = await createOrganization(db, masterKey, { name: 'Autre Association Fictive', actor: cli });
    const worker = await staff(db, masterKey, org.id, EMAIL, 'social_worker');
    const coordinator = await staff(db, masterKey, other.id, OTHER_EMAIL, 'coordinator');
    const member = await staff(db, masterKey, org.id, 'member.fake@example.test', 'member');
    return { db, raw, masterKey, org, worker, coordinator, member };
  }

  it('creates, edits, verifies, posts "full tonight" and a closure, deletes — each with a version and an audit entry', async () => {
    const { db, raw, masterKey, worker } = await setUp();
    const created = await createService(
      db,
      worker,
      newForm(
        { hours: 'Mo-Su 20:00-08:00', public_holidays: 'open', phone_0_display: '01 00 00 00 01', address: SECRET_ADDRESS, commune: '75118', confidential: 'on', front_door_fr: 'Devant la gare du Nord' },
        { categories: ['emergency-shelter'], audiences: ['women_only'], languages: ['fr'] }
      ),
      now
    );
    expect(created).toMatchObject({ ok: true, outcome: 'created' });
    if (!created.ok) return;
    const id = created.id;
    expect(id).toMatch(/^abri-de-nuit-fictif-etoile-[0-9a-f]{8}$/);
    const stored = (await findServiceById(db, id))!;
    expect(stored).toMatchObject({ version: 1, organization: { name: 'Association Fictive du Nord' }, region: 'idf', location: { confidential: true, address: SECRET_ADDRESS } });
    // The public views never carry the address.
    expect(JSON.stringify(summarize(stored, 'fr', now))).not.toContain('Secret-Fictif');
    expect(JSON.stringify(toHsdsService(stored))).not.toContain('Secret-Fictif');

    // Edit from version 1.
    const form = formOfService(stored, stored.version);
    form.values.name_fr = 'Abri de nuit Fictif Étoile (femmes)';
    form.values.hours = 'Mo-Su 19:00-08:00';
    const edited = await editService(db, worker, id, form, now);
    expect(edited).toEqual({ ok: true, id, outcome: 'updated' });

    // The same stale form again (someone else's save is now version 2): nothing written.
    const stale = { ...form, values: { ...form.values, name_fr: 'Nom écrasé' } };
    const conflict = await editService(db, worker, id, stale, now);
    expect(conflict).toMatchObject({ ok: false, problems: [], conflict: { version: 2, role: 'social_worker', fields: ['hours', 'texts'] } });
    expect((await findServiceById(db, id))!.texts.fr!.name).toBe('Abri de nuit Fictif Étoile (femmes)');
    // Saving again from the version she was shown goes over it knowingly.
    const again = await editService(db, worker, id, { ...stale, values: { ...stale.values, version: '2' } }, now);
    expect(again).toMatchObject({ ok: true, outcome: 'updated' });
    // Saving an untouched form changes nothing and keeps no version.
    const same = await findServiceById(db, id);
    expect(await editService(db, worker, id, formOfService(same, same!.version), now)).toMatchObject({ ok: true, outcome: 'unchanged' });

    await verifyServiceToday(db, worker, id, now);
    const verified = (await findServiceById(db, id))!;
    expect(verified.lastVerifiedAt).toBe(now.toISOString());
    expect(verified.lastVerifiedBy).toBe('Association Relais Fictive');

    const notice = await postFullTonight(db, worker, id, now);
    expect(notice.expiresAt).toBe(fromParis({ year: 2026, month: 11, day: 30, hour: 9, minute: 0 }).toISOString());
    expect((await listNoticesInForce(db, [id], fromParis({ year: 2026, month: 11, day: 30, hour: 8, minute: 59 }))).get(id)).toHaveLength(1);
    expect((await listNoticesInForce(db, [id], fromParis({ year: 2026, month: 11, day: 30, hour: 9, minute: 1 }))).get(id)).toBeUndefined();

    expect(await closeTemporarily(db, worker, id, { closure_from: '2026-12-01', closure_to: '2026-12-03', closure_reason: 'Travaux' }, now)).toEqual({ ok: true });
    const editing = await findServiceToEdit(db, worker, id, now);
    expect(editing.closures).toEqual([{ from: '2026-12-01T00:00:00+01:00', to: '2026-12-04T00:00:00+01:00', reason: 'Travaux' }]);
    expect(editing.notices).toHaveLength(1);
    const refused = await closeTemporarily(db, worker, id, { closure_from: '2026-12-05', closure_to: '2026-12-01', closure_reason: '' }, now);
    expect(refused).toEqual({ ok: false, problems: [{ field: 'closure_to', key: 'staff.directory.error.closure_before_start' }] });

    const versions = await listServiceVersions(db, id);
    expect(versions.map((v) => v.action)).toEqual(['temporary_closure', 'verify', 'update', 'update', 'create']);
    expect(versions.every((v) => v.actor === `staff:social_worker:${worker.accountId}`)).toBe(true);

    const history = await serviceHistory(db, worker, id, masterKey);
    expect(history.exists).toBe(true);
    expect(history.versions[0]!.who).toEqual({ email: EMAIL, role: 'social_worker', label: null });
    const firstEdit = history.versions.find((v) => v.version === 2)!;
    expect(firstEdit.changes).toEqual([
      { path: ['texts', 'fr', 'name'], from: 'Abri de nuit Fictif Étoile', to: 'Abri de nuit Fictif Étoile (femmes)' },
      { path: ['hours'], from: 'Mo-Su 20:00-08:00', to: 'Mo-Su 19:00-08:00' }
    ]);
    expect(history.notices).toHaveLength(1);

    await removeService(db, worker, id, now);
    expect(await findServiceById(db, id)).toBeNull();
    const afterDelete = await serviceHistory(db, worker, id, masterKey);
    expect(afterDelete.exists).toBe(false);
    expect(afterDelete.versions[0]!.action).toBe('delete');
    await expect(removeService(db, worker, id, now)).rejects.toMatchObject({ code: 'not_found' });

    // Audit: one entry per change, in her association's chain, ids and actions only.
    // (Read raw: the audit log is a tenant table, read here as someone holding the database would.)
    const entries = await raw.selectFrom('audit_entry').selectAll().where('target_kind', '=', 'directory_service').orderBy('seq').execute();
    expect(entries.map((e) => e.action)).toEqual([
      'directory_service.create',
      'directory_service.update',
      'directory_service.update',
      'directory_service.verify',
      'directory_service.full_notice',
      'directory_service.closure',
      'directory_service.delete'
    ]);
    expect(entries.every((e) => e.target_id === id && e.actor_id === worker.accountId && e.chain === worker.organizationId && e.organization_id === worker.organizationId)).toBe(true);
    const everything = JSON.stringify(await raw.selectFrom('audit_entry').selectAll().execute());
    expect(everything).not.toMatch(/Quillon|Vastramere|Secret-Fictif|Abri de nuit/i);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('lets only one of two saves made at once from the same version through; the other is told', async () => {
    const { db, worker, coordinator } = await setUp();
    const created = await createService(db, worker, newForm({}), now);
    if (!created.ok) throw new Error('not created');
    const stored = (await findServiceById(db, created.id))!;
    const mine = formOfService(stored, stored.version);
    mine.values.name_fr = 'Version de la travailleuse sociale';
    const theirs = formOfService(stored, stored.version);
    theirs.values.description_fr = 'Version de la coordinatrice';
    const answers = await Promise.all([editService(db, worker, created.id, mine, now), editService(db, coordinator, created.id, theirs, now)]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok && a.conflict?.version === 2)).toHaveLength(1);
    expect((await listServiceVersions(db, created.id)).map((v) => v.version)).toEqual([2, 1]);
  });

  it('shows colleagues by address and staff of another association by role only', async () => {
    const { db, masterKey, worker, coordinator } = await setUp();
    const created = await createService(db, coordinator, newForm({}), now);
    if (!created.ok) throw new Error('not created');
    await verifyServiceToday(db, worker, created.id, now);
    const history = await serviceHistory(db, worker, created.id, masterKey);
    expect(history.versions.map((v) => v.who)).toEqual([
      { email: EMAIL, role: 'social_worker', label: null },
      { email: null, role: 'coordinator', label: null }
    ]);
    expect(JSON.stringify(history)).not.toContain(OTHER_EMAIL);
  });

  it('refuses a member, and changes nothing', async () => {
    const { db, masterKey, member } = await setUp();
    await expect(createService(db, member, newForm({}), now)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listServicesToEdit(db, member, { query: '', stale: false, page: 1, now })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(serviceHistory(db, member, 'x', masterKey)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await db.selectFrom('directory_service').select('id').execute()).toEqual([]);
  });

  it('answers a bad form with its problems, and an unknown service with not_found', async () => {
    const { db, raw, worker } = await setUp();
    const bad = await createService(db, worker, newForm({ name_fr: '', hours: 'Mo-Fr 9h-17h' }), now);
    expect(bad).toMatchObject({ ok: false, conflict: null });
    expect(bad.ok ? [] : bad.problems.map((p) => p.field).sort()).toEqual(['hours', 'name_fr']);
    expect(await db.selectFrom('directory_service').select('id').execute()).toEqual([]);
    await expect(editService(db, worker, 'no-such-service', newForm({}), now)).rejects.toMatchObject({ code: 'not_found' });
    await expect(verifyServiceToday(db, worker, 'no-such-service', now)).rejects.toMatchObject({ code: 'not_found' });
    await expect(postFullTonight(db, worker, 'no-such-service', now)).rejects.toMatchObject({ code: 'not_found' });
    expect(await raw.selectFrom('audit_entry').select('seq').where('target_kind', '=', 'directory_service').execute()).toEqual([]);
  });

  it('lists services by name words, accents aside, flags those to verify again, page by page', async () => {
    const { db, worker } = await setUp();
    const base = { organization: { id: 'org-fake', name: 'Organisation Fictive' }, status: 'active' as const, sourceLocale: 'fr', categories: [], audiences: [], languages: [], free: null, wheelchair: null, phones: [], hours: null, hoursAlternative: null, location: null, region: null, national: false, sample: true, lastVerifiedBy: null };
    const services = Array.from({ length: 30 }, (_, i) => ({
      ...base,
      id: `fake-${String(i).padStart(2, '0')}`,
      texts: { fr: { name: `${i % 2 ? 'Hébergement' : 'Laverie'} Fictif ${String(i).padStart(2, '0')}` } },
      lastVerifiedAt: i < 10 ? '2026-01-01T10:00:00.000Z' : i < 20 ? null : '2026-11-01T10:00:00.000Z'
    }));
    await saveServices(db, services, { actor: 'test' });
    const page1 = await listServicesToEdit(db, worker, { query: 'hebergement fict', stale: false, page: 1, now });
    expect(page1.total).toBe(15);
    expect(page1.items.every((s) => s.name.startsWith('Hébergement'))).toBe(true);
    expect(page1.items[0]).toMatchObject({ id: 'fake-01', stale: true, months: 10 });
    const all = await listServicesToEdit(db, worker, { query: '', stale: false, page: 2, now });
    expect(all).toMatchObject({ total: 30, page: 2, pages: 2 });
    expect(all.items).toHaveLength(5);
    const stale = await listServicesToEdit(db, worker, { query: '', stale: true, page: 1, now });
    expect(stale.total).toBe(20);
    expect(stale.items.every((s) => s.stale)).toBe(true);
    expect(stale.items.filter((s) => s.lastVerifiedAt === null)).toHaveLength(10);
    expect((await listServicesToEdit(db, worker, { query: 'laverie 04', stale: false, page: 1, now })).items.map((s) => s.id)).toEqual(['fake-04']);
    // LIKE wildcards and quotes are not words: they are dropped, never matched as patterns.
    expect((await listServicesToEdit(db, worker, { query: "f_ctif%' --", stale: false, page: 1, now })).total).toBe(0);
    expect((await listServicesToEdit(db, worker, { query: '%_', stale: false, page: 1, now })).total).toBe(30);
  });
});
