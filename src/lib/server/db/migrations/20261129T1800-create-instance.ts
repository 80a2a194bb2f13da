import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('instance_setting')
    .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('instance_setting').execute();
}
