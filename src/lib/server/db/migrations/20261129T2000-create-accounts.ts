import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
// Accounts and the security core (issue 5). Sensitive values are stored only encrypted
// (`*_encrypted`, AES-256-GCM under the organization's data key) or as keyed blind indexes
// (`*_index`); secret tokens only as SHA-256 hashes. Times are ISO 8601 UTC strings.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organization')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('wrapped_data_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('person_account')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('email_index', 'varchar(80)', (c) => c.notNull())
    .addColumn('email_encrypted', 'text', (c) => c.notNull())
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull().check(sqlCheck('status', ['active', 'disabled'])))
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret_encrypted', 'text')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  // The tenant first in every index (docs/security.md); one account per email per organization.
  await db.schema.createIndex('person_account_email').on('person_account').columns(['organization_id', 'email_index']).unique().execute();

  await db.schema
    .createTable('invitation')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('email_index', 'varchar(80)', (c) => c.notNull())
    .addColumn('email_encrypted', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'varchar(40)')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('used_at', 'varchar(40)')
    .execute();
  await db.schema.createIndex('invitation_org').on('invitation').columns(['organization_id', 'email_index']).execute();

  await db.schema
    .createTable('session')
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('account_id', 'varchar(40)', (c) => c.notNull().references('person_account.id'))
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('ended_at', 'varchar(40)')
    .execute();
  await db.schema.createIndex('session_account').on('session').columns(['organization_id', 'account_id']).execute();

  // One hash chain per organization ('instance' for instance-wide events): `seq` counts
  // from 1 in its chain; `audit_head` holds each chain's last entry and is the row a
  // writer locks, so two writers never fork a chain.
  await db.schema
    .createTable('audit_entry')
    .addColumn('chain', 'varchar(40)', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'varchar(40)', (c) => c.notNull())
    .addColumn('organization_id', 'varchar(40)')
    .addColumn('actor_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('action', 'varchar(60)', (c) => c.notNull())
    .addColumn('target_kind', 'varchar(40)')
    .addColumn('target_id', 'varchar(80)')
    .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_entry_pk', ['chain', 'seq'])
    .execute();
  await db.schema
    .createTable('audit_head')
    .addColumn('chain', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
}

function sqlCheck(column: string, values: string[]) {
  // Values are constants of this file, never input.
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_head', 'audit_entry', 'session', 'invitation', 'person_account', 'organization']) {
    await db.schema.dropTable(table).execute();
  }
}
