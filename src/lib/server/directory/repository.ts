/**
 * Directory repository: saves and reads whole service records, keeps a version of
 * every change (who, when, what changed), verification, "full tonight" notices and
 * temporary closures. The staff pages (accounts issue) call these functions; `actor`
 * is the signed-in staff member's id, or 'import:<file>' / 'demo' for scripts.
 *
 * Throws DomainError: not_found (no such service), conflict (someone saved it since
 * `expectedVersion`), invalid_input (the change would make an invalid record).
 */
import { randomUUID } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { DomainError } from '../../errors';
import { catalogues } from '../../i18n/catalogues';
import { normalizeSearchText } from '../../directory/search-text';
import { isVerificationStale } from '../../directory/taxonomy';
import { addParisDays, fromParis, parisDateKey, toParis } from '../../time/paris-time';
import type { Database } from '../db/schema';
import { deleteSearchText, optimizeSearchText, replaceSearchText } from './full-text';
import { validateService, type DirectoryService, type StoredService, type RecordIssue } from './model';

type Db = Kysely<Database>;

async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute((trx: Transaction<Database>) => work(trx));
}

// ---------------------------------------------------------------------------------
// Rows of one record

/** Everything a search by words should find: texts in every language, category names, places, numbers. */
export function searchTextOf(service: DirectoryService): string {
  const parts: string[] = [service.organization.name];
  for (const t of Object.values(service.texts)) parts.push(t.name, t.description ?? '', t.eligibility ?? '');
  for (const category of service.categories) {
    for (const messages of Object.values(catalogues)) {
      parts.push(messages[`directory.category.${category}`] ?? '', messages[`directory.category.${category}.words`] ?? '');
    }
  }
  for (const phone of service.phones) parts.push(phone.number, phone.display);
  if (service.location && !service.location.confidential) parts.push(service.location.city ?? '', service.location.postalCode ?? '', service.location.name ?? '');
  else if (service.location) parts.push(service.location.city ?? '');
  return normalizeSearchText(parts.filter(Boolean).join(' '));
}

const bool = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

/** The rows of one record (the service row without version and dates). */
export function rowsOf(service: DirectoryService) {
  const loc = service.location;
  return {
    organization: {
      id: service.organization.id,
      name: service.organization.name,
      description: service.organization.description ?? null,
      url: service.organization.url ?? null,
      email: service.organization.email ?? null
    },
    service: {
      id: service.id,
      organization_id: service.organization.id,
      status: service.status,
      source_locale: service.sourceLocale,
      name: service.texts[service.sourceLocale]?.name ?? service.id,
      url: service.url ?? null,
      email: service.email ?? null,
      free: bool(service.free),
      wheelchair: bool(service.wheelchair),
      hours_json: service.hours ? JSON.stringify(service.hours) : null,
      hours_alternative_json: service.hoursAlternative ? JSON.stringify(service.hoursAlternative) : null,
      region: service.region,
      is_national: service.national ? 1 : 0,
      is_sample: service.sample ? 1 : 0,
      last_verified_at: service.lastVerifiedAt,
      last_verified_by: service.lastVerifiedBy,
      search_text: searchTextOf(service)
    },
    translations: Object.entries(service.texts).map(([locale, t]) => ({
      service_id: service.id,
      locale,
      name: t.name,
      description: t.description ?? null,
      hours_note: t.hoursNote ?? null,
      transport: t.transport ?? null,
      front_door: t.frontDoor ?? null,
      eligibility: t.eligibility ?? null
    })),
    tags: [
      ...service.categories.map((value) => ({ service_id: service.id, kind: 'category', value })),
      ...service.audiences.map((value) => ({ service_id: service.id, kind: 'audience', value })),
      ...service.languages.map((value) => ({ service_id: service.id, kind: 'language', value }))
    ],
    location: loc
      ? {
          id: loc.id,
          service_id: service.id,
          name: loc.name ?? null,
          address: loc.address ?? null,
          postal_code: loc.postalCode ?? null,
          city: loc.city ?? null,
          commune_code: loc.communeCode ?? null,
          latitude: loc.latitude ?? null,
          longitude: loc.longitude ?? null,
          confidential: loc.confidential ? 1 : 0,
          front_door_phone: loc.frontDoorPhone ?? null
        }
      : null,
    phones: service.phones.map((p, position) => ({
      id: `${service.id}-phone-${position + 1}`,
      service_id: service.id,
      position,
      number: p.number,
      display: p.display,
      kind: p.kind,
      description: p.description ?? null
    }))
  };
}

async function insertChunked<T extends keyof Database & string>(db: Db, table: T, rows: Array<Record<string, unknown>>, size = 200): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}

/**
 * The next directory revision (migration 20261130T1400), taken first by every write
 * inside its transaction: on PostgreSQL the upsert locks the one row until the write
 * commits, so writes get revisions in the order they commit, and a search that reads
 * revision R has every write up to R (search-memory.ts).
 */
export async function nextDirectoryRevision(db: Db): Promise<number> {
  const row = await db
    .insertInto('directory_revision')
    .values({ id: 1, revision: 1 })
    .onConflict((oc) => oc.column('id').doUpdateSet({ revision: sql<number>`directory_revision.revision + 1` }))
    .returning('revision')
    .executeTakeFirstOrThrow();
  return Number(row.revision);
}

async function writeRows(db: Db, services: DirectoryService[], stamps: Map<string, { version: number; createdAt: string; updatedAt: string }>, fresh = false): Promise<void> {
  if (services.length === 0) return;
  const revision = await nextDirectoryRevision(db);
  const all = services.map((s) => ({ s, rows: rowsOf(s) }));
  const ids = services.map((s) => s.id);
  const orgs = new Map<string, ReturnType<typeof rowsOf>['organization']>();
  for (const { rows } of all) orgs.set(rows.organization.id, rows.organization);
  const now = new Date().toISOString();
  const orgRows = [...orgs.values()];
  for (let i = 0; i < orgRows.length; i += 200) {
    await db
      .insertInto('directory_organization')
      .values(orgRows.slice(i, i + 200).map((org) => ({ ...org, updated_at: now })))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          description: eb.ref('excluded.description'),
          url: eb.ref('excluded.url'),
          email: eb.ref('excluded.email'),
          updated_at: eb.ref('excluded.updated_at')
        }))
      )
      .execute();
  }
  for (let i = 0; i < ids.length && !fresh; i += 400) {
    const chunk = ids.slice(i, i + 400);
    for (const table of ['directory_service_translation', 'directory_service_tag', 'directory_location', 'directory_phone'] as const) {
      await db.deleteFrom(table).where('service_id', 'in', chunk).execute();
    }
  }
  if (fresh) {
    await insertChunked(db, 'directory_service', all.map(({ s, rows }) => ({ ...rows.service, version: 1, created_at: stamps.get(s.id)!.createdAt, updated_at: stamps.get(s.id)!.updatedAt, revision })), 100);
  }
  for (const { s, rows } of fresh ? [] : all) {
    const stamp = stamps.get(s.id)!;
    const values = { ...rows.service, version: stamp.version, created_at: stamp.createdAt, updated_at: stamp.updatedAt, revision };
    const { id: _id, created_at: _created, ...update } = values;
    await db.insertInto('directory_service').values(values).onConflict((oc) => oc.column('id').doUpdateSet(update)).execute();
  }
  await insertChunked(db, 'directory_service_translation', all.flatMap((a) => a.rows.translations));
  await insertChunked(db, 'directory_service_tag', all.flatMap((a) => a.rows.tags), 300);
  await insertChunked(db, 'directory_location', all.flatMap((a) => (a.rows.location ? [a.rows.location] : [])));
  await insertChunked(db, 'directory_phone', all.flatMap((a) => a.rows.phones));
  await replaceSearchText(db, all.map((a) => ({ service_id: a.s.id, body: a.rows.service.search_text })));
}

// ---------------------------------------------------------------------------------
// Reading

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** Whole records by id, in the order asked (missing ids are skipped). */
export async function findServicesByIds(db: Db, ids: readonly string[]): Promise<StoredService[]> {
  if (ids.length === 0) return [];
  const out = new Map<string, StoredService>();
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const [services, translations, tags, locations, phones] = await Promise.all([
      db
        .selectFrom('directory_service as s')
        .innerJoin('directory_organization as o', 'o.id', 's.organization_id')
        // not the search text: the widest column, unused here
        .select([
          's.id', 's.organization_id', 's.status', 's.source_locale', 's.url', 's.email', 's.free', 's.wheelchair', 's.hours_json',
          's.hours_alternative_json', 's.region', 's.is_national', 's.is_sample', 's.last_verified_at', 's.last_verified_by',
          's.version', 's.created_at', 's.updated_at'
        ])
        .select(['o.name as org_name', 'o.description as org_description', 'o.url as org_url', 'o.email as org_email'])
        .where('s.id', 'in', chunk)
        .execute(),
      db.selectFrom('directory_service_translation').selectAll().where('service_id', 'in', chunk).orderBy('locale').execute(),
      db.selectFrom('directory_service_tag').selectAll().where('service_id', 'in', chunk).execute(),
      db.selectFrom('directory_location').selectAll().where('service_id', 'in', chunk).execute(),
      db.selectFrom('directory_phone').selectAll().where('service_id', 'in', chunk).orderBy('position').execute()
    ]);
    for (const r of services) {
      const texts: DirectoryService['texts'] = {};
      for (const t of translations.filter((x) => x.service_id === r.id)) {
        texts[t.locale] = {
          name: t.name,
          ...(t.description === null ? {} : { description: t.description }),
          ...(t.hours_note === null ? {} : { hoursNote: t.hours_note }),
          ...(t.transport === null ? {} : { transport: t.transport }),
          ...(t.front_door === null ? {} : { frontDoor: t.front_door }),
          ...(t.eligibility === null ? {} : { eligibility: t.eligibility })
        };
      }
      const tagsOf = (kind: string) => tags.filter((x) => x.service_id === r.id && x.kind === kind).map((x) => x.value).sort();
      const loc = locations.find((x) => x.service_id === r.id);
      const optional = <K extends string, V>(key: K, value: V | null) => (value === null ? {} : ({ [key]: value } as Record<K, V>));
      out.set(r.id, {
        id: r.id,
        organization: {
          id: r.organization_id,
          name: r.org_name,
          ...optional('description', r.org_description),
          ...optional('url', r.org_url),
          ...optional('email', r.org_email)
        },
        status: r.status as StoredService['status'],
        sourceLocale: r.source_locale,
        texts,
        categories: tagsOf('category') as StoredService['categories'],
        audiences: tagsOf('audience') as StoredService['audiences'],
        languages: tagsOf('language'),
        free: r.free === null ? null : Number(r.free) === 1,
        wheelchair: r.wheelchair === null ? null : Number(r.wheelchair) === 1,
        ...optional('url', r.url),
        ...optional('email', r.email),
        phones: phones
          .filter((p) => p.service_id === r.id)
          .map((p) => ({ number: p.number, display: p.display, kind: p.kind as 'voice' | 'sms', ...optional('description', p.description) })),
        hours: parseJson(r.hours_json),
        hoursAlternative: parseJson(r.hours_alternative_json),
        location: loc
          ? {
              id: loc.id,
              ...optional('name', loc.name),
              ...optional('address', loc.address),
              ...optional('postalCode', loc.postal_code),
              ...optional('city', loc.city),
              ...optional('communeCode', loc.commune_code),
              ...optional('latitude', loc.latitude === null ? null : Number(loc.latitude)),
              ...optional('longitude', loc.longitude === null ? null : Number(loc.longitude)),
              confidential: Number(loc.confidential) === 1,
              ...optional('frontDoorPhone', loc.front_door_phone)
            }
          : null,
        region: r.region,
        national: Number(r.is_national) === 1,
        sample: Number(r.is_sample) === 1,
        lastVerifiedAt: r.last_verified_at,
        lastVerifiedBy: r.last_verified_by,
        version: Number(r.version),
        createdAt: r.created_at,
        updatedAt: r.updated_at
      });
    }
  }
  return ids.flatMap((id) => out.get(id) ?? []);
}

export async function findServiceById(db: Db, id: string): Promise<StoredService | null> {
  return (await findServicesByIds(db, [id]))[0] ?? null;
}

/** The record without what the database adds (version, dates): what versions compare. */
export function recordOf(stored: StoredService): DirectoryService {
  const { version: _v, createdAt: _c, updatedAt: _u, ...record } = stored;
  return record;
}

/** Field → { from, to } for the top-level fields that differ. */
export function changesBetween(before: DirectoryService | null, after: DirectoryService): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const key of keys) {
    const a = before ? (before as unknown as Record<string, unknown>)[key] : undefined;
    const b = (after as unknown as Record<string, unknown>)[key];
    if (JSON.stringify(canonical(a)) !== JSON.stringify(canonical(b))) changes[key] = { from: a ?? null, to: b ?? null };
  }
  return changes;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)])
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------
// Writing

export interface SaveResult {
  id: string;
  outcome: 'created' | 'updated' | 'unchanged';
  version: number;
}

/**
 * Creates or replaces whole records (same id = update, never a duplicate). A record
 * that did not change keeps its version; every other gets a new version with who,
 * when and what changed. Runs in one transaction (or the caller's).
 * Throws DomainError conflict when `expectedVersion` is given and stale.
 */
export async function saveServices(
  db: Db,
  services: DirectoryService[],
  options: { actor: string; action?: string; at?: Date; expectedVersion?: number }
): Promise<SaveResult[]> {
  const at = (options.at ?? new Date()).toISOString();
  return inTransaction(db, async (trx) => {
    const existing = new Map((await findServicesByIds(trx, services.map((s) => s.id))).map((s) => [s.id, s]));
    // A service deleted then created again goes on from its last version.
    const lastVersions = new Map<string, number>();
    const newIds = services.map((s) => s.id).filter((id) => !existing.has(id));
    for (let i = 0; i < newIds.length; i += 400) {
      const rows = await trx
        .selectFrom('directory_service_version')
        .select(['service_id', trx.fn.max('version').as('last')])
        .where('service_id', 'in', newIds.slice(i, i + 400))
        .groupBy('service_id')
        .execute();
      for (const r of rows) lastVersions.set(r.service_id, Number(r.last));
    }
    const stamps = new Map<string, { version: number; createdAt: string; updatedAt: string }>();
    const results: SaveResult[] = [];
    const versions: Array<Database['directory_service_version']> = [];
    const toWrite: DirectoryService[] = [];
    for (const service of services) {
      const before = existing.get(service.id) ?? null;
      if (options.expectedVersion !== undefined && (before?.version ?? 0) !== options.expectedVersion) {
        throw new DomainError('conflict', 'the service changed since it was read');
      }
      const changes = changesBetween(before ? recordOf(before) : null, service);
      if (before && Object.keys(changes).length === 0) {
        results.push({ id: service.id, outcome: 'unchanged', version: before.version });
        continue;
      }
      const version = (before?.version ?? lastVersions.get(service.id) ?? 0) + 1;
      stamps.set(service.id, { version, createdAt: before?.createdAt ?? at, updatedAt: at });
      toWrite.push(service);
      versions.push({
        service_id: service.id,
        version,
        actor: options.actor,
        action: options.action ?? (before ? 'update' : 'create'),
        changed_at: at,
        changes_json: JSON.stringify(before ? changes : {}),
        snapshot_json: JSON.stringify(service)
      });
      results.push({ id: service.id, outcome: before ? 'updated' : 'created', version });
    }
    await writeRows(trx, toWrite, stamps);
    await insertChunked(trx, 'directory_service_version', versions as unknown as Array<Record<string, unknown>>, 100);
    return results;
  });
}

/**
 * Fast path for generated data (benchmarks): inserts new records without versions.
 * Not for real data: nothing records who added them.
 */
export async function insertGeneratedServices(db: Db, services: DirectoryService[]): Promise<void> {
  const at = new Date().toISOString();
  const stamps = new Map(services.map((s) => [s.id, { version: 1, createdAt: at, updatedAt: at }]));
  await inTransaction(db, (trx) => writeRows(trx, services, stamps, true));
}

/**
 * After a bulk import: refresh the query planner's statistics (row counts, index
 * selectivity), without which both databases pick poor plans for the search.
 * Run outside a transaction.
 */
export async function refreshDirectoryStatistics(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // VACUUM also sets the visibility map, so that index-only reads (tags by service) stay so.
    await sql`VACUUM (ANALYZE) directory_service, directory_service_fts, directory_service_translation, directory_service_tag, directory_location, directory_phone, directory_organization`.execute(db);
  } else {
    await optimizeSearchText(db);
    await sql`ANALYZE`.execute(db);
    await sql`PRAGMA optimize`.execute(db);
  }
}

/**
 * Applies a change to one service and keeps a version. `change` receives the current
 * record and returns the new one; the result is validated.
 * Throws DomainError not_found, conflict, invalid_input (detail: the issues as JSON).
 */
export async function changeService(
  db: Db,
  id: string,
  change: (current: DirectoryService) => DirectoryService,
  options: { actor: string; action: string; expectedVersion?: number; at?: Date }
): Promise<SaveResult> {
  return inTransaction(db, async (trx) => {
    const current = await findServiceById(trx, id);
    if (!current) throw new DomainError('not_found');
    const next = validateService(change(recordOf(current)), id);
    if (!next.ok) throw new DomainError('invalid_input', JSON.stringify(next.issues));
    if (next.value.id !== id) throw new DomainError('invalid_input', 'the id cannot change');
    const [result] = await saveServices(trx, [next.value], { ...options, expectedVersion: options.expectedVersion ?? current.version });
    return result!;
  });
}

/** Edits fields of a service (staff form). Throws as changeService. */
export function updateService(
  db: Db,
  id: string,
  patch: Partial<Omit<DirectoryService, 'id'>>,
  options: { actor: string; expectedVersion?: number; at?: Date }
): Promise<SaveResult> {
  return changeService(db, id, (current) => ({ ...current, ...patch }), { ...options, action: 'update' });
}

/** Staff checked the entry with the service today: records when and who. Throws not_found. */
export function verifyService(db: Db, id: string, options: { actor: string; at?: Date }): Promise<SaveResult> {
  const at = options.at ?? new Date();
  return changeService(db, id, (current) => ({ ...current, lastVerifiedAt: at.toISOString(), lastVerifiedBy: options.actor }), {
    actor: options.actor,
    action: 'verify',
    at
  });
}

/**
 * Closes a service for a while (works, strike, no staff): a closure cut out of its
 * hours, with its reason. Expires by itself at `to`. Throws not_found, invalid_input.
 */
export function postTemporaryClosure(
  db: Db,
  id: string,
  closure: { from: string; to: string; reason?: string },
  options: { actor: string; at?: Date }
): Promise<SaveResult> {
  return changeService(
    db,
    id,
    (current) => {
      const hours = current.hours ?? { weekly: {}, publicHolidays: 'unknown' as const };
      return { ...current, hours: { ...hours, closures: [...(hours.closures ?? []), closure] } };
    },
    { actor: options.actor, action: 'temporary_closure', ...(options.at ? { at: options.at } : {}) }
  );
}

export interface Notice {
  id: string;
  serviceId: string;
  kind: 'full';
  note: string | null;
  startsAt: string;
  expiresAt: string;
  actor: string;
}

/**
 * When a "full tonight" notice posted at `now` ends: `hour` o'clock (Paris) the next
 * morning — or this morning when posted in the small hours (before `hour` − 2), since
 * "tonight" is then the night already under way.
 */
export function nextParisMorning(now: Date, hour = 9): Date {
  const tomorrow = addParisDays(parisDateKey(now), toParis(now).hour < hour - 2 ? 0 : 1);
  const [year, month, day] = tomorrow.split('-').map(Number) as [number, number, number];
  return fromParis({ year, month, day, hour, minute: 0 });
}

/**
 * "Full tonight": shown on the service until it expires (by default 09:00 the next
 * morning is the caller's choice, see nextParisMorning). Throws not_found, invalid_input.
 */
export async function postFullNotice(
  db: Db,
  id: string,
  notice: { expiresAt: Date; note?: string },
  options: { actor: string; at?: Date }
): Promise<Notice> {
  const at = options.at ?? new Date();
  if (notice.expiresAt.getTime() <= at.getTime()) throw new DomainError('invalid_input', 'expiry in the past');
  const exists = await db.selectFrom('directory_service').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw new DomainError('not_found');
  const row = {
    id: randomUUID(),
    service_id: id,
    kind: 'full',
    note: notice.note ?? null,
    starts_at: at.toISOString(),
    expires_at: notice.expiresAt.toISOString(),
    actor: options.actor,
    created_at: at.toISOString()
  };
  await db.insertInto('directory_notice').values(row).execute();
  return { id: row.id, serviceId: id, kind: 'full', note: row.note, startsAt: row.starts_at, expiresAt: row.expires_at, actor: row.actor };
}

/** Notices in force at `at`, by service id. */
export async function listNoticesInForce(db: Db, ids: readonly string[], at: Date): Promise<Map<string, Notice[]>> {
  const map = new Map<string, Notice[]>();
  if (ids.length === 0) return map;
  const iso = at.toISOString();
  const rows = await db
    .selectFrom('directory_notice')
    .selectAll()
    .where('service_id', 'in', [...ids])
    .where('starts_at', '<=', iso)
    .where('expires_at', '>', iso)
    .orderBy('created_at')
    .execute();
  for (const r of rows) {
    const list = map.get(r.service_id) ?? [];
    list.push({ id: r.id, serviceId: r.service_id, kind: 'full', note: r.note, startsAt: r.starts_at, expiresAt: r.expires_at, actor: r.actor });
    map.set(r.service_id, list);
  }
  return map;
}

export interface ServiceVersion {
  version: number;
  actor: string;
  action: string;
  changedAt: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** Every version of a service, newest first (the staff "history" view). */
export async function listServiceVersions(db: Db, id: string): Promise<ServiceVersion[]> {
  const rows = await db.selectFrom('directory_service_version').select(['version', 'actor', 'action', 'changed_at', 'changes_json']).where('service_id', '=', id).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: Number(r.version), actor: r.actor, action: r.action, changedAt: r.changed_at, changes: JSON.parse(r.changes_json) }));
}

/** Services not verified for 6 months or never (flagged to staff), oldest first. */
export async function listStaleServices(db: Db, now: Date): Promise<Array<{ id: string; name: string; lastVerifiedAt: string | null }>> {
  const rows = await db
    .selectFrom('directory_service')
    .select(['id', 'name', 'last_verified_at'])
    .where('status', '<>', 'defunct')
    .orderBy('last_verified_at')
    .orderBy('id')
    .execute();
  return rows.filter((r) => isVerificationStale(r.last_verified_at, now)).map((r) => ({ id: r.id, name: r.name, lastVerifiedAt: r.last_verified_at }));
}

/** Deletes a service and its rows (versions are kept as the record of what was there). */
export async function deleteService(db: Db, id: string, options: { actor: string }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await findServiceById(trx, id);
    if (!current) throw new DomainError('not_found');
    await trx.insertInto('directory_service_version').values({
      service_id: id,
      version: current.version + 1,
      actor: options.actor,
      action: 'delete',
      changed_at: new Date().toISOString(),
      changes_json: '{}',
      snapshot_json: JSON.stringify(recordOf(current))
    }).execute();
    await trx.deleteFrom('directory_notice').where('service_id', '=', id).execute();
    for (const table of ['directory_service_translation', 'directory_service_tag', 'directory_location', 'directory_phone'] as const) {
      await trx.deleteFrom(table).where('service_id', '=', id).execute();
    }
    await deleteSearchText(trx, id);
    await trx.deleteFrom('directory_service').where('id', '=', id).execute();
    await trx.insertInto('directory_service_removed').values({ service_id: id, revision: await nextDirectoryRevision(trx) }).execute();
  });
}

export type { RecordIssue };
