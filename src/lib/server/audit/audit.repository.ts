/** Reading an organization's audit chain (the admins' audit page). Every query names its organization. */
import type { Kysely } from 'kysely';
import type { AuditEntryTable, Database } from '../db/schema';

export interface AuditFilter {
  organizationId: string;
  /** Entries written by this account (or `cli`). */
  actorId?: string;
  /** Entries about this record: a kind (`person_account`, `passkey`, `person` …) and/or an id. */
  targetKind?: string;
  targetId?: string;
  /** ISO instants: from (included) and to (excluded). */
  from?: string;
  to?: string;
  /** Entries older than this position (the next page). */
  beforeSeq?: number;
  limit: number;
}

/** One page of entries, newest first. */
export async function listAuditEntries(db: Kysely<Database>, filter: AuditFilter): Promise<AuditEntryTable[]> {
  let query = db.selectFrom('audit_entry').selectAll().where('chain', '=', filter.organizationId).where('organization_id', '=', filter.organizationId);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.targetKind) query = query.where('target_kind', '=', filter.targetKind);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  const rows = await query.orderBy('seq', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}
