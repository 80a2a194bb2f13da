import type { Kysely } from 'kysely';
import { disableTenantIsolation, enableTenantIsolation } from './tenant-isolation';

// Frozen in time: a migration never imports application code.
// Passkeys (WebAuthn, issue 5): several per account, in a tenant table. The credential's
// public key, id and counter are not secret; the name she gives it is encrypted like any
// other field she types (`name_encrypted`). Challenges live server-side, single use, a few
// minutes (not a tenant table: a sign-in challenge comes before any organization is known;
// it holds a hash and ids only). `session.authenticated_at`: when she last proved who she is in this session
// (sign-in or re-authentication), for the actions that ask again.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('passkey')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('account_id', 'varchar(40)', (c) => c.notNull().references('person_account.id'))
    // base64url; WebAuthn allows ids up to 1023 bytes.
    .addColumn('credential_id', 'varchar(1400)', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    // A 32-bit unsigned counter: bigger than PostgreSQL's integer.
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'varchar(200)', (c) => c.notNull())
    .addColumn('user_handle', 'varchar(100)', (c) => c.notNull())
    .addColumn('name_encrypted', 'text', (c) => c.notNull())
    .addColumn('device_type', 'varchar(20)', (c) => c.notNull())
    .addColumn('backed_up', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('last_used_at', 'varchar(40)')
    .execute();
  // The tenant first in every index (docs/security.md).
  await db.schema.createIndex('passkey_credential').on('passkey').columns(['organization_id', 'credential_id']).unique().execute();
  await db.schema.createIndex('passkey_account').on('passkey').columns(['organization_id', 'account_id']).execute();
  await enableTenantIsolation(db, 'passkey');

  // Not a tenant table: a sign-in challenge is made before anyone (or any organization) is known.
  await db.schema
    .createTable('webauthn_challenge')
    .addColumn('challenge_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('purpose', 'varchar(20)', (c) => c.notNull())
    .addColumn('organization_id', 'varchar(40)')
    .addColumn('subject', 'varchar(100)')
    .addColumn('user_handle', 'varchar(100)')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webauthn_challenge_expiry').on('webauthn_challenge').column('expires_at').execute();

  await db.schema.alterTable('session').addColumn('authenticated_at', 'varchar(40)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('session').dropColumn('authenticated_at').execute();
  await db.schema.dropTable('webauthn_challenge').execute();
  await disableTenantIsolation(db, 'passkey');
  await db.schema.dropTable('passkey').execute();
}
