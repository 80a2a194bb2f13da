/**
 * Staff use cases on the help directory: list and find services to check, create and
 * edit them from the staff form, verify them, post "full tonight" or a temporary
 * closure, delete them, read their history. Each checks the `directory.edit` policy
 * first, runs in one transaction bound to her organization (`inTenant`), keeps a
 * version of the service (repository.ts) and appends an audit entry (ids and actions only).
 *
 * Throws DomainError: forbidden (her role may not edit the directory), not_found.
 * A stale form is not an error but an answer (`conflict`), so the page can keep her values.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import { isVerificationStale, monthsBetween } from '../../directory/taxonomy';
import type { TemporaryClosure } from '../../directory/opening-hours';
import { parseIsoDateTime } from '../../time/paris-time';
import { appendAudit, type AuditAction } from '../audit/audit';
import { inTenant } from '../db/tenant';
import type { Database } from '../db/schema';
import { allows } from '../accounts/staff.policy';
import type { Role } from '../accounts/roles';
import { findOrganizationById } from '../accounts/organization.repository';
import { listAccounts } from '../accounts/sign-in.service';
import { validateService, type DirectoryService, type StoredService } from './model';
import {
  changeService,
  deleteService,
  findServiceById,
  listNoticesInForce,
  listServiceVersions,
  nextParisMorning,
  postFullNotice,
  postTemporaryClosure,
  recordOf,
  saveServices,
  updateService,
  type Notice
} from './repository';
import { findDirectoryOrganizationByName, listNoticesOfService, listServicesForStaff, lockService } from './staff.repository';
import { newServiceId, parseClosureForm, parseServiceForm, problemsOfIssues, type ClosureForm, type FormProblem, type ServiceForm } from './service-form';
import { describeChanges, parseActor, staffActor, type FieldChange } from './version-history';

type Db = Kysely<Database>;

/** The signed-in person, as `guard` gives her. */
export interface StaffMember {
  organizationId: string;
  accountId: string;
  role: Role;
}

function assertCanEdit(who: StaffMember): void {
  if (!allows(who.role, 'directory.edit')) throw new DomainError('forbidden');
}

const AUDIT_ID = /^[A-Za-z0-9_.:-]{1,80}$/;

// Imported ids may be longer than an audit id: those are named by a hash.
function auditTarget(id: string): { kind: string; id: string } {
  return { kind: 'directory_service', id: AUDIT_ID.test(id) ? id : `sha256:${createHash('sha256').update(id).digest('hex')}` };
}

function audit(trx: Db, who: StaffMember, action: AuditAction, serviceId: string, at: Date) {
  return appendAudit(trx, { organizationId: who.organizationId, actorId: who.accountId, action, target: auditTarget(serviceId), at });
}

// ---------------------------------------------------------------------------------
// Reading

export interface StaffServiceItem {
  id: string;
  name: string;
  status: string;
  sample: boolean;
  lastVerifiedAt: string | null;
  /** not verified for 6 months, or never */
  stale: boolean;
  /** whole months since the last verification (0 when never) */
  months: number;
}

export const STAFF_PAGE_SIZE = 25;

/** One page of services by name, optionally only those to verify again. */
export async function listServicesToEdit(
  db: Db,
  who: StaffMember,
  options: { query: string; stale: boolean; page: number; now?: Date }
): Promise<{ items: StaffServiceItem[]; total: number; page: number; pages: number }> {
  assertCanEdit(who);
  const now = options.now ?? new Date();
  const page = Math.max(1, Math.floor(options.page));
  const { rows, total } = await listServicesForStaff(db, { query: options.query, stale: options.stale, now, offset: (page - 1) * STAFF_PAGE_SIZE, limit: STAFF_PAGE_SIZE });
  return {
    items: rows.map((r) => {
      const at = r.lastVerifiedAt ? parseIsoDateTime(r.lastVerifiedAt) ?? new Date(r.lastVerifiedAt) : null;
      return {
        id: r.id,
        name: r.name,
        status: r.status,
        sample: r.sample,
        lastVerifiedAt: r.lastVerifiedAt,
        stale: isVerificationStale(r.lastVerifiedAt, now),
        months: at && Number.isFinite(at.getTime()) ? monthsBetween(at, now) : 0
      };
    }),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / STAFF_PAGE_SIZE))
  };
}

export interface ServiceForEditing {
  service: StoredService;
  /** "full tonight" notices in force now */
  notices: Notice[];
  /** temporary closures not yet over */
  closures: TemporaryClosure[];
}

/** A service with what staff need around the form. Throws forbidden, not_found. */
export async function findServiceToEdit(db: Db, who: StaffMember, id: string, now = new Date()): Promise<ServiceForEditing> {
  assertCanEdit(who);
  const service = await findServiceById(db, id);
  if (!service) throw new DomainError('not_found');
  const notices = (await listNoticesInForce(db, [id], now)).get(id) ?? [];
  const closures = (service.hours?.closures ?? []).filter((c) => {
    const to = parseIsoDateTime(c.to);
    return to !== null && to > now;
  });
  return { service, notices, closures };
}

// ---------------------------------------------------------------------------------
// Writing

export interface Conflict {
  /** the version saved meanwhile, which her next save will replace knowingly */
  version: number;
  changedAt: string;
  role: Role | null;
  /** top-level fields changed since the version she started from */
  fields: string[];
}

export type SaveAnswer =
  | { ok: true; id: string; outcome: 'created' | 'updated' | 'unchanged' }
  | { ok: false; problems: FormProblem[]; conflict: Conflict | null };

async function organizationNamed(trx: Db, name: string, current: DirectoryService | null): Promise<DirectoryService['organization']> {
  if (current && current.organization.name === name) return current.organization;
  const found = await findDirectoryOrganizationByName(trx, name);
  if (!found) return { id: `org-${randomBytes(6).toString('hex')}`, name };
  return {
    id: found.id,
    name: found.name,
    ...(found.description ? { description: found.description } : {}),
    ...(found.url ? { url: found.url } : {}),
    ...(found.email ? { email: found.email } : {})
  };
}

/** Creates a service from the staff form. Throws forbidden. */
export async function createService(db: Db, who: StaffMember, form: ServiceForm, now = new Date()): Promise<SaveAnswer> {
  assertCanEdit(who);
  const id = newServiceId(form.values.name_fr ?? '', randomBytes(4).toString('hex'));
  const parsed = parseServiceForm({ ...form, values: { ...form.values, version: '0' } }, { id, current: null });
  if (!parsed.ok) return { ok: false, problems: parsed.problems, conflict: null };
  return inTenant(db, who.organizationId, async (trx) => {
    const organization = await organizationNamed(trx, parsed.organizationName, null);
    const checked = validateService({ ...parsed.draft, organization }, id);
    if (!checked.ok) return { ok: false, problems: problemsOfIssues(checked.issues), conflict: null };
    // expectedVersion 0: never replaces a service that has this id already.
    await saveServices(trx, [checked.value], { actor: staffActor(who), action: 'create', expectedVersion: 0, at: now });
    await audit(trx, who, 'directory_service.create', id, now);
    return { ok: true, id, outcome: 'created' };
  });
}

async function conflictSince(trx: Db, id: string, version: number, current: StoredService): Promise<Conflict> {
  const newer = (await listServiceVersions(trx, id)).filter((v) => v.version > version);
  const fields = [...new Set(newer.flatMap((v) => Object.keys(v.changes)))].sort();
  const last = newer[0];
  const actor = last ? parseActor(last.actor) : null;
  return { version: current.version, changedAt: last?.changedAt ?? current.updatedAt, role: actor?.kind === 'staff' ? actor.role : null, fields };
}

/**
 * Saves the staff form over a service. The form carries the version it was filled from:
 * if someone saved the service since, nothing is written and the answer says what they
 * changed (`conflict`); her next save then goes over their version knowingly.
 * Throws forbidden, not_found.
 */
export async function editService(db: Db, who: StaffMember, id: string, form: ServiceForm, now = new Date()): Promise<SaveAnswer> {
  assertCanEdit(who);
  return inTenant(db, who.organizationId, async (trx) => {
    if (!(await lockService(trx, id))) throw new DomainError('not_found');
    const stored = (await findServiceById(trx, id))!;
    const current = recordOf(stored);
    const parsed = parseServiceForm(form, { id, current });
    const expected = Number(form.values.version);
    const conflict = expected !== stored.version ? await conflictSince(trx, id, Number.isInteger(expected) ? expected : 0, stored) : null;
    if (!parsed.ok || conflict) return { ok: false, problems: parsed.ok ? [] : parsed.problems, conflict };
    const organization = await organizationNamed(trx, parsed.organizationName, current);
    const checked = validateService({ ...parsed.draft, organization }, id);
    if (!checked.ok) return { ok: false, problems: problemsOfIssues(checked.issues), conflict: null };
    const { id: _id, ...patch } = checked.value;
    const result = await updateService(trx, id, patch, { actor: staffActor(who), expectedVersion: stored.version, at: now });
    if (result.outcome !== 'unchanged') await audit(trx, who, 'directory_service.update', id, now);
    return { ok: true, id, outcome: result.outcome };
  });
}

/**
 * "Verified today": she checked the entry with the service. Records when, and her
 * association as who verified (public, in the HSDS export); her account is in the version.
 * Throws forbidden, not_found.
 */
export async function verifyServiceToday(db: Db, who: StaffMember, id: string, now = new Date()): Promise<void> {
  assertCanEdit(who);
  await inTenant(db, who.organizationId, async (trx) => {
    const association = await findOrganizationById(trx, who.organizationId);
    await changeService(trx, id, (current) => ({ ...current, lastVerifiedAt: now.toISOString(), lastVerifiedBy: association?.name.slice(0, 300) ?? 'Relais' }), {
      actor: staffActor(who),
      action: 'verify',
      at: now
    });
    await audit(trx, who, 'directory_service.verify', id, now);
  });
}

/** "Full tonight", until 09:00 next morning (Paris). Throws forbidden, not_found. */
export async function postFullTonight(db: Db, who: StaffMember, id: string, now = new Date()): Promise<Notice> {
  assertCanEdit(who);
  return inTenant(db, who.organizationId, async (trx) => {
    const notice = await postFullNotice(trx, id, { expiresAt: nextParisMorning(now, 9) }, { actor: staffActor(who), at: now });
    await audit(trx, who, 'directory_service.full_notice', id, now);
    return notice;
  });
}

/** A temporary closure from the closure form. Throws forbidden, not_found. */
export async function closeTemporarily(
  db: Db,
  who: StaffMember,
  id: string,
  form: ClosureForm,
  now = new Date()
): Promise<{ ok: true } | { ok: false; problems: FormProblem[] }> {
  assertCanEdit(who);
  const parsed = parseClosureForm(form, now);
  if (!parsed.ok) return parsed;
  return inTenant(db, who.organizationId, async (trx) => {
    await postTemporaryClosure(trx, id, parsed.closure, { actor: staffActor(who), at: now });
    await audit(trx, who, 'directory_service.closure', id, now);
    return { ok: true as const };
  });
}

/** Deletes a service (its versions stay, as the record of what was there). Throws forbidden, not_found. */
export async function removeService(db: Db, who: StaffMember, id: string, now = new Date()): Promise<void> {
  assertCanEdit(who);
  await inTenant(db, who.organizationId, async (trx) => {
    await deleteService(trx, id, { actor: staffActor(who) });
    await audit(trx, who, 'directory_service.delete', id, now);
  });
}

// ---------------------------------------------------------------------------------
// History

/** Who did something: a colleague's address, or another association's role, or a script. */
export interface ShownActor {
  email: string | null;
  role: Role | null;
  /** 'demo', 'import:<file>', 'cli'… when not a staff member */
  label: string | null;
}

export interface HistoryEntry {
  version: number;
  action: string;
  changedAt: string;
  who: ShownActor;
  changes: FieldChange[];
}

export interface ServiceHistory {
  name: string | null;
  exists: boolean;
  versions: HistoryEntry[];
  notices: Array<{ startsAt: string; expiresAt: string; who: ShownActor }>;
}

/**
 * Every version of a service (deleted ones too), newest first, with the notices posted on
 * it. Colleagues of her association are shown by address (decrypted here, for the page
 * only: never logged); staff of another association by role. Throws forbidden, not_found.
 */
export async function serviceHistory(db: Db, who: StaffMember, id: string, masterKey: Buffer): Promise<ServiceHistory> {
  assertCanEdit(who);
  return inTenant(db, who.organizationId, async (trx) => {
    const versions = await listServiceVersions(trx, id);
    if (versions.length === 0) throw new DomainError('not_found');
    const stored = await findServiceById(trx, id);
    const notices = await listNoticesOfService(trx, id);
    const emails = new Map((await listAccounts(trx, masterKey, who.organizationId)).map((a) => [a.id, a.email]));
    const shown = (actor: string): ShownActor => {
      const parsed = parseActor(actor);
      if (parsed.kind === 'other') return { email: null, role: null, label: parsed.label };
      return { email: emails.get(parsed.accountId) ?? null, role: parsed.role, label: null };
    };
    return {
      name: stored?.texts[stored.sourceLocale]?.name ?? null,
      exists: stored !== null,
      versions: versions.map((v) => ({ version: v.version, action: v.action, changedAt: v.changedAt, who: shown(v.actor), changes: describeChanges(v.changes) })),
      notices: notices.map((n) => ({ startsAt: n.startsAt, expiresAt: n.expiresAt, who: shown(n.actor) }))
    };
  });
}
