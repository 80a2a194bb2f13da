/** Queries on her documents that other use cases need (withdrawal of consent, erasure). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Removes all her documents; `db` is a transaction in her tenant. Returns how many. */
export async function deleteDocumentsOf(db: Kysely<Database>, organizationId: string, personId: string): Promise<number> {
  const deleted = await db.deleteFrom('case_document').where('organization_id', '=', organizationId).where('person_id', '=', personId).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
