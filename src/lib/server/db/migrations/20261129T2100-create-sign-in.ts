import type { Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
// Password + TOTP sign-in (issue 5): ten one-time recovery codes per account, stored only
// as SHA-256 hashes; the last TOTP time step used, so a code cannot be replayed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('recovery_code')
    .addColumn('code_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('account_id', 'varchar(40)', (c) => c.notNull().references('person_account.id'))
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('used_at', 'varchar(40)')
    .execute();
  await db.schema.createIndex('recovery_code_account').on('recovery_code').columns(['organization_id', 'account_id']).execute();
  await db.schema.alterTable('person_account').addColumn('totp_last_step', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('person_account').dropColumn('totp_last_step').execute();
  await db.schema.dropTable('recovery_code').execute();
}
