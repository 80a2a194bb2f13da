import { sql, type Kysely } from 'kysely';
import { disableTenantIsolation, enableTenantIsolation } from './tenant-isolation';

// Frozen in time: a migration never imports application code.
// Appointments (issue 6, "Appointments with date, place, who; a week view"):
// - case_appointment: one meeting with her — when (an instant, UTC ISO), for how long
//   (optional), where and what for (both encrypted under HER key, bound to the row), which
//   staff account goes with her (`attendee_id`), who recorded it, and when it was cancelled
//   (a cancelled appointment stays, for the record, until her record is erased).
// A row about her: erasing her deletes it (PERSON_TABLES in rights.service.ts).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_appointment')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organization.id'))
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull().references('case_person.id'))
    .addColumn('starts_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.check(sql.raw('duration_minutes is null or (duration_minutes >= 5 and duration_minutes <= 720)')))
    .addColumn('place_encrypted', 'text', (c) => c.notNull())
    .addColumn('purpose_encrypted', 'text')
    .addColumn('attendee_id', 'varchar(40)', (c) => c.notNull().references('person_account.id'))
    .addColumn('created_by', 'varchar(40)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('cancelled_at', 'varchar(40)')
    .addColumn('cancelled_by', 'varchar(40)')
    .execute();
  // Her appointments (her page, her export), and a week's (the week view).
  await db.schema.createIndex('case_appointment_person').on('case_appointment').columns(['organization_id', 'person_id', 'starts_at']).execute();
  await db.schema.createIndex('case_appointment_week').on('case_appointment').columns(['organization_id', 'starts_at']).execute();
  await enableTenantIsolation(db, 'case_appointment');
}

export async function down(db: Kysely<any>): Promise<void> {
  await disableTenantIsolation(db, 'case_appointment');
  await db.schema.dropTable('case_appointment').execute();
}
