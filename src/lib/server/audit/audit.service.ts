/**
 * The admins' audit page (issue 5: "admins browse it by person, record and time"): one
 * organization's entries, newest first, a page at a time, and whether its chain is intact.
 * The caller has checked the `audit.read` policy.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { verifyAuditChain, type AuditProblem } from './audit';
import { listAuditEntries, type AuditFilter } from './audit.repository';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditPage {
  entries: Array<{ seq: number; at: string; actorId: string; action: string; targetKind: string | null; targetId: string | null }>;
  /** The position to ask for the next (older) page with, or null on the last page. */
  nextBeforeSeq: number | null;
  chain: { entries: number; problem: AuditProblem | null };
}

/** One page of the organization's audit log with the chain's verification. */
export async function browseAudit(db: Kysely<Database>, filter: Omit<AuditFilter, 'limit'> & { limit?: number }): Promise<AuditPage> {
  const limit = Math.min(Math.max(filter.limit ?? AUDIT_PAGE_SIZE, 1), 200);
  return inTenant(db, filter.organizationId, async (trx) => {
    const rows = await listAuditEntries(trx, { ...filter, limit: limit + 1 });
    const chain = await verifyAuditChain(trx, filter.organizationId);
    const page = rows.slice(0, limit);
    return {
      entries: page.map((r) => ({ seq: r.seq, at: r.at, actorId: r.actor_id, action: r.action, targetKind: r.target_kind, targetId: r.target_id })),
      nextBeforeSeq: rows.length > limit ? page[page.length - 1]!.seq : null,
      chain
    };
  });
}
