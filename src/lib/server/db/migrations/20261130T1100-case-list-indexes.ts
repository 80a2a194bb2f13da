import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
// Indexes for the case tracker's list and dashboard at 100,000 people (bench/cases.ts,
// docs/performance.md). Without `case_deadline_person`, each row of the list looked up her
// next deadline by scanning every open deadline of the organization (quadratic: 30 s for a
// page at 10,000 people). `case_person_updated` gives the list its order without sorting
// everyone she may see: pages are read in index order until they are full.
// `case_deadline_due` becomes a partial index of the open deadlines by due time, with the
// person: the dashboard reads them in due order (PostgreSQL does not take `closed_at is null`
// as an equality for ordering, so it sorted every open deadline, 4 s at 100,000 people) and
// checks each one's person is hers from the index alone, reading only her rows.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('case_deadline_person').on('case_deadline').columns(['organization_id', 'person_id', 'closed_at', 'due_at']).execute();
  await db.schema.createIndex('case_person_updated').on('case_person').columns(['organization_id', 'updated_at desc', 'id']).execute();
  await db.schema.dropIndex('case_deadline_due').execute();
  await db.schema
    .createIndex('case_deadline_open_due')
    .on('case_deadline')
    .columns(['organization_id', 'due_at', 'person_id'])
    .where(sql<boolean>`closed_at is null`)
    .execute();
  await db.schema.createIndex('case_procedure_person_kind').on('case_procedure').columns(['organization_id', 'person_id', 'kind', 'terminal']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('case_procedure_person_kind').execute();
  await db.schema.dropIndex('case_person_updated').execute();
  await db.schema.dropIndex('case_deadline_open_due').execute();
  await db.schema.createIndex('case_deadline_due').on('case_deadline').columns(['organization_id', 'closed_at', 'due_at']).execute();
  await db.schema.dropIndex('case_deadline_person').execute();
}
