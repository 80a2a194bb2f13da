/**
 * Queries of the staff directory pages (the public search lives in search.ts): the list
 * of services by name with their verification age, directory organizations by name, and
 * every notice of a service (expired ones too, for its history). db or trx first.
 */
import { sql, type Kysely } from 'kysely';
import { searchWords } from '../../directory/search-text';
import { VERIFICATION_FRESH_DAYS } from '../../directory/taxonomy';
import type { Database, DirectoryOrganizationTable } from '../db/schema';
import type { Notice } from './repository';

type Db = Kysely<Database>;

export interface StaffServiceRow {
  id: string;
  name: string;
  status: string;
  lastVerifiedAt: string | null;
  updatedAt: string;
  sample: boolean;
}

/**
 * Services whose names (any language), organization, phones or town contain every word
 * of `query` as a word start, accents and case aside; `stale` keeps those not verified
 * for 6 months or never (not the defunct ones). Ordered by name, `limit` from `offset`.
 */
export async function listServicesForStaff(
  db: Db,
  options: { query: string; stale: boolean; now: Date; offset: number; limit: number }
): Promise<{ rows: StaffServiceRow[]; total: number }> {
  const words = searchWords(options.query);
  let base = db.selectFrom('directory_service');
  for (const word of words) {
    // Normalised words hold letters and digits only: no LIKE wildcard can get in.
    base = base.where(sql<string>`' ' || search_text`, 'like', `% ${word}%`);
  }
  if (options.stale) {
    const cutoff = new Date(options.now.getTime() - VERIFICATION_FRESH_DAYS * 86_400_000).toISOString();
    base = base.where('status', '<>', 'defunct').where((eb) => eb.or([eb('last_verified_at', 'is', null), eb('last_verified_at', '<', cutoff)]));
  }
  const [rows, count] = await Promise.all([
    base
      .select(['id', 'name', 'status', 'last_verified_at', 'updated_at', 'is_sample'])
      .orderBy('name')
      .orderBy('id')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst()
  ]);
  return {
    rows: rows.map((r) => ({ id: r.id, name: r.name, status: r.status, lastVerifiedAt: r.last_verified_at, updatedAt: r.updated_at, sample: Number(r.is_sample) === 1 })),
    total: Number(count?.n ?? 0)
  };
}

/** A directory organization by its exact name (spaces at the ends aside), the oldest first. */
export async function findDirectoryOrganizationByName(db: Db, name: string): Promise<DirectoryOrganizationTable | undefined> {
  return db
    .selectFrom('directory_organization')
    .selectAll()
    .where('name', '=', name.trim())
    .orderBy('updated_at')
    .orderBy('id')
    .executeTakeFirst();
}

/** Every notice of a service, the newest first (expired ones too). */
export async function listNoticesOfService(db: Db, serviceId: string): Promise<Notice[]> {
  const rows = await db.selectFrom('directory_notice').selectAll().where('service_id', '=', serviceId).orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, serviceId: r.service_id, kind: 'full', note: r.note, startsAt: r.starts_at, expiresAt: r.expires_at, actor: r.actor }));
}

/**
 * Takes the service's row lock for the rest of the transaction (a write that changes
 * nothing: a row lock on PostgreSQL, the write lock on SQLite), so that two people
 * saving the same service at once are checked against each other's version. False when
 * there is no such service.
 */
export async function lockService(db: Db, id: string): Promise<boolean> {
  const result = await db.updateTable('directory_service').set((eb) => ({ version: eb.ref('version') })).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
