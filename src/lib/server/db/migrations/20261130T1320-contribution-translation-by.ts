import type { Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
// Who added a contribution's translation (issue 7: "a bilingual member can add a translation,
// marked as such"): `member` (the author herself) or `facilitator`. Null: no translation.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contribution').addColumn('translation_by', 'varchar(16)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contribution').dropColumn('translation_by').execute();
}
