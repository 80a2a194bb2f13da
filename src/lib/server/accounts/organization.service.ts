import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import type { Database } from '../db/schema';
import { appendAudit } from '../audit/audit';
import { generateDataKey, masterKeyId, rewrapDataKey, unwrapDataKey, wrapDataKey } from '../crypto/envelope';
import { findOrganizationById, insertOrganization, listOrganizations, updateWrappedDataKey } from './organization.repository';

export interface Actor {
  /** An account id, or `cli` for the operator's command line. */
  id: string;
}

/**
 * Creates an organization (a tenant) with a fresh data key wrapped by the master key, and
 * audits it. Throws `invalid_input` if the name is empty or longer than 200 characters.
 */
export async function createOrganization(
  db: Kysely<Database>,
  masterKey: Buffer,
  input: { name: string; actor: Actor; now?: Date }
): Promise<{ id: string; name: string; createdAt: string }> {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new DomainError('invalid_input', 'the name must have 1 to 200 characters');
  const id = randomUUID();
  const createdAt = (input.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    await insertOrganization(trx, { id, name, wrapped_data_key: wrapDataKey(masterKey, generateDataKey(), id), created_at: createdAt });
    await appendAudit(trx, { organizationId: id, actorId: input.actor.id, action: 'organization.create', target: { kind: 'organization', id }, at: input.now });
  });
  return { id, name, createdAt };
}

/** The organization's data key, unwrapped. Throws `not_found` for an unknown organization. */
export async function dataKeyOf(db: Kysely<Database>, masterKey: Buffer, organizationId: string): Promise<Buffer> {
  const organization = await findOrganizationById(db, organizationId);
  if (!organization) throw new DomainError('not_found', 'no such organization');
  return unwrapDataKey(masterKey, organization.wrapped_data_key, organization.id);
}

/**
 * Re-wraps every organization's data key under a new master key, in one transaction: either
 * all are re-wrapped or none is. Field ciphertexts are not touched. Data keys already
 * wrapped by the new key are left as they are, so an interrupted rotation can be re-run.
 * Returns how many keys were re-wrapped. A running server keeps the old key in memory:
 * restart it after a rotation (docs/security.md).
 */
export async function rotateMasterKey(db: Kysely<Database>, oldMasterKey: Buffer, newMasterKey: Buffer, actor: Actor): Promise<number> {
  const newId = masterKeyId(newMasterKey);
  return db.transaction().execute(async (trx) => {
    // The audit entry first: it takes the write lock before anything is read (SQLite).
    await appendAudit(trx, { organizationId: null, actorId: actor.id, action: 'keys.rotate' });
    let count = 0;
    for (const organization of await listOrganizations(trx)) {
      if (organization.wrapped_data_key.split('.')[1] === newId) continue;
      await updateWrappedDataKey(trx, organization.id, rewrapDataKey(oldMasterKey, newMasterKey, organization.wrapped_data_key, organization.id));
      count++;
    }
    return count;
  });
}
