import type { Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
// Deliberation (issue 7): which contributions of a theme the facilitators chose to quote in
// the submission. Quoting also needs the contribution's 'quote' consent, read at export time:
// a consent changed later is honoured (the disclosure check flags it, the document drops it).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('theme_contribution').addColumn('quoted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('theme_contribution').dropColumn('quoted').execute();
}
