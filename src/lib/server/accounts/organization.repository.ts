import type { Kysely } from 'kysely';
import type { Database, OrganizationTable } from '../db/schema';

export async function insertOrganization(db: Kysely<Database>, row: OrganizationTable): Promise<void> {
  await db.insertInto('organization').values(row).execute();
}

export async function findOrganizationById(db: Kysely<Database>, id: string): Promise<OrganizationTable | undefined> {
  return db.selectFrom('organization').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOrganizations(db: Kysely<Database>): Promise<OrganizationTable[]> {
  return db.selectFrom('organization').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function updateWrappedDataKey(db: Kysely<Database>, id: string, wrappedDataKey: string): Promise<void> {
  await db.updateTable('organization').set({ wrapped_data_key: wrappedDataKey }).where('id', '=', id).execute();
}
