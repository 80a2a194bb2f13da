/**
 * Queries of the case tracker. Every function takes the transaction first and the
 * organization second; a person is visible to an account only when she is assigned to it or
 * it broke the glass and that access has not expired — the same predicate in every query, so
 * a record of another organization or a colleague's record is "not found" like a missing one.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { CaseDeadlineTable, CasePersonTable, CaseProcedureTable, CaseStepTable, Database } from '../db/schema';

export interface Viewer {
  organizationId: string;
  accountId: string;
}

/** The visibility predicate, on `case_person` (aliased or not). */
export function visibleTo(viewer: Viewer, nowIso: string) {
  return (eb: ExpressionBuilder<Database, 'case_person'>) =>
    eb.or([
      eb.exists(
        eb
          .selectFrom('case_assignment')
          .select('case_assignment.person_id')
          .whereRef('case_assignment.person_id', '=', 'case_person.id')
          .where('case_assignment.organization_id', '=', viewer.organizationId)
          .where('case_assignment.account_id', '=', viewer.accountId)
      ),
      eb.exists(
        eb
          .selectFrom('case_access')
          .select('case_access.person_id')
          .whereRef('case_access.person_id', '=', 'case_person.id')
          .where('case_access.organization_id', '=', viewer.organizationId)
          .where('case_access.account_id', '=', viewer.accountId)
          .where('case_access.expires_at', '>', nowIso)
      )
    ]);
}

type CaseTable = 'case_person' | 'case_assignment' | 'case_consent' | 'case_procedure' | 'case_step' | 'case_deadline';

/**
 * Many rows of one case table at once (the demo generator), in statements of at most
 * ~30,000 values (PostgreSQL allows 65,535 parameters; SQLite 32,766).
 */
export async function insertCaseRows<T extends CaseTable>(db: Kysely<Database>, table: T, rows: ReadonlyArray<Database[T]>): Promise<void> {
  if (!rows.length) return;
  const perRow = Object.keys(rows[0]!).length;
  const chunk = Math.max(1, Math.floor(30_000 / perRow));
  for (let i = 0; i < rows.length; i += chunk) {
    await db.insertInto(table).values(rows.slice(i, i + chunk) as never).execute();
  }
}

/**
 * The same predicate on a deadline's person (`case_deadline.person_id`): the dashboard tests
 * it on each deadline it reads, through indexes only, before reading her row.
 */
export function deadlineVisibleTo(viewer: Viewer, nowIso: string) {
  return (eb: ExpressionBuilder<Database, 'case_deadline'>) =>
    eb.or([
      eb.exists(
        eb
          .selectFrom('case_assignment')
          .select('case_assignment.person_id')
          .whereRef('case_assignment.person_id', '=', 'case_deadline.person_id')
          .where('case_assignment.organization_id', '=', viewer.organizationId)
          .where('case_assignment.account_id', '=', viewer.accountId)
      ),
      eb.exists(
        eb
          .selectFrom('case_access')
          .select('case_access.person_id')
          .whereRef('case_access.person_id', '=', 'case_deadline.person_id')
          .where('case_access.organization_id', '=', viewer.organizationId)
          .where('case_access.account_id', '=', viewer.accountId)
          .where('case_access.expires_at', '>', nowIso)
      )
    ]);
}

export async function insertPerson(db: Kysely<Database>, row: CasePersonTable): Promise<void> {
  await db.insertInto('case_person').values(row).execute();
}

/** A person the viewer may see, or undefined (missing, another organization's, not hers). */
export async function findVisiblePerson(db: Kysely<Database>, viewer: Viewer, id: string, nowIso: string): Promise<CasePersonTable | undefined> {
  return db
    .selectFrom('case_person')
    .selectAll()
    .where('case_person.organization_id', '=', viewer.organizationId)
    .where('case_person.id', '=', id)
    .where('case_person.status', '!=', 'erased')
    .where(visibleTo(viewer, nowIso))
    .executeTakeFirst();
}

/** Any person of the organization by id (break the glass, the association dashboard). */
export async function findPersonInOrganization(db: Kysely<Database>, organizationId: string, id: string): Promise<CasePersonTable | undefined> {
  return db.selectFrom('case_person').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).where('status', '!=', 'erased').executeTakeFirst();
}

export async function findPersonIdsByPseudonymIndex(db: Kysely<Database>, organizationId: string, index: string): Promise<string[]> {
  const rows = await db.selectFrom('case_person').select('id').where('organization_id', '=', organizationId).where('pseudonym_index', '=', index).where('status', '!=', 'erased').execute();
  return rows.map((r) => r.id);
}

export interface PersonListFilters {
  pseudonymIndex?: string;
  status?: 'open' | 'closed';
  helperId?: string;
  kind?: string;
  overdue?: boolean;
}

export interface PersonListRow {
  id: string;
  status: string;
  wrapped_key: string | null;
  pseudonym_encrypted: string | null;
  updated_at: string;
  next_due: string | null;
}

/** Where a page of the list starts or ends: the last (or first) row's place in its order. */
export interface ListCursor {
  updatedAt: string;
  id: string;
}

/**
 * A page: by offset (`offset`), or by keyset, the rows after a cursor (`after`, the next
 * page) or before it (`before`, the previous page). Keyset pages cost the same wherever they
 * are in the list; an offset page reads and skips every row before it.
 */
export type ListPage = { limit: number; offset?: number; after?: ListCursor; before?: ListCursor };

/**
 * One page of the people the viewer may see, most recently updated first (then by id), with
 * the next open deadline. `more`: there are rows after the page; `earlier`: rows before it.
 * Read in the order of the index `case_person_updated` until the page is full.
 */
export async function listVisiblePersons(
  db: Kysely<Database>,
  viewer: Viewer,
  filters: PersonListFilters,
  page: ListPage,
  nowIso: string
): Promise<{ rows: PersonListRow[]; more: boolean; earlier: boolean }> {
  let query = db
    .selectFrom('case_person')
    .select((eb) => [
      'case_person.id',
      'case_person.status',
      'case_person.wrapped_key',
      'case_person.pseudonym_encrypted',
      'case_person.updated_at',
      eb
        .selectFrom('case_deadline')
        .select((d) => d.fn.min('case_deadline.due_at').as('due'))
        .whereRef('case_deadline.person_id', '=', 'case_person.id')
        .where('case_deadline.organization_id', '=', viewer.organizationId)
        .where('case_deadline.closed_at', 'is', null)
        .as('next_due')
    ])
    .where('case_person.organization_id', '=', viewer.organizationId)
    .where('case_person.status', '!=', 'erased')
    .where(visibleTo(viewer, nowIso));
  if (filters.pseudonymIndex) {
    // Through the blind index first (a handful of ids), then those rows by id: given as a
    // subquery, SQLite would rather read the whole list in order and test each row.
    const ids = await findPersonIdsByPseudonymIndex(db, viewer.organizationId, filters.pseudonymIndex);
    if (!ids.length) return { rows: [], more: false, earlier: false };
    query = query.where('case_person.id', 'in', ids);
  }
  if (filters.status) query = query.where('case_person.status', '=', filters.status);
  if (filters.helperId) {
    const helperId = filters.helperId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('case_assignment as helper')
          .select('helper.person_id')
          .whereRef('helper.person_id', '=', 'case_person.id')
          .where('helper.organization_id', '=', viewer.organizationId)
          .where('helper.account_id', '=', helperId)
      )
    );
  }
  if (filters.kind) {
    const kind = filters.kind;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('case_procedure')
          .select('case_procedure.id')
          .whereRef('case_procedure.person_id', '=', 'case_person.id')
          .where('case_procedure.organization_id', '=', viewer.organizationId)
          .where('case_procedure.kind', '=', kind)
          .where('case_procedure.terminal', '=', 0)
      )
    );
  }
  if (filters.overdue) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('case_deadline')
          .select('case_deadline.id')
          .whereRef('case_deadline.person_id', '=', 'case_person.id')
          .where('case_deadline.organization_id', '=', viewer.organizationId)
          .where('case_deadline.closed_at', 'is', null)
          .where('case_deadline.due_at', '<', nowIso)
      )
    );
  }
  const tidy = (rows: Array<PersonListRow & { next_due: unknown }>) => rows.slice(0, page.limit).map((r) => ({ ...r, next_due: (r.next_due as string | null) ?? null }));
  if (page.before) {
    // The previous page: read backwards from the cursor, then put the rows back in order.
    const { updatedAt, id } = page.before;
    const rows = await query
      .where('case_person.updated_at', '>=', updatedAt)
      .where((eb) => eb.or([eb('case_person.updated_at', '>', updatedAt), eb('case_person.id', '<', id)]))
      .orderBy('case_person.updated_at', 'asc')
      .orderBy('case_person.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return { rows: tidy(rows).reverse(), more: true, earlier: rows.length > page.limit };
  }
  if (page.after) {
    const { updatedAt, id } = page.after;
    query = query
      .where('case_person.updated_at', '<=', updatedAt)
      .where((eb) => eb.or([eb('case_person.updated_at', '<', updatedAt), eb('case_person.id', '>', id)]));
  }
  const offset = page.after ? 0 : (page.offset ?? 0);
  const rows = await query.orderBy('case_person.updated_at', 'desc').orderBy('case_person.id').limit(page.limit + 1).offset(offset).execute();
  return { rows: tidy(rows), more: rows.length > page.limit, earlier: Boolean(page.after) || offset > 0 };
}

export async function listAssignments(db: Kysely<Database>, organizationId: string, personId: string) {
  return db.selectFrom('case_assignment').selectAll().where('organization_id', '=', organizationId).where('person_id', '=', personId).orderBy('assigned_at').execute();
}

export async function listConsents(db: Kysely<Database>, organizationId: string, personId: string) {
  return db.selectFrom('case_consent').selectAll().where('organization_id', '=', organizationId).where('person_id', '=', personId).orderBy('given_at').execute();
}

export async function listProcedures(db: Kysely<Database>, organizationId: string, personId: string): Promise<CaseProcedureTable[]> {
  return db.selectFrom('case_procedure').selectAll().where('organization_id', '=', organizationId).where('person_id', '=', personId).orderBy('opened_at').execute();
}

export async function findProcedure(db: Kysely<Database>, organizationId: string, id: string): Promise<CaseProcedureTable | undefined> {
  return db.selectFrom('case_procedure').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function listSteps(db: Kysely<Database>, organizationId: string, procedureId: string): Promise<CaseStepTable[]> {
  return db.selectFrom('case_step').selectAll().where('organization_id', '=', organizationId).where('procedure_id', '=', procedureId).orderBy('seq').execute();
}

export async function listDeadlinesOfPerson(db: Kysely<Database>, organizationId: string, personId: string): Promise<CaseDeadlineTable[]> {
  return db.selectFrom('case_deadline').selectAll().where('organization_id', '=', organizationId).where('person_id', '=', personId).orderBy('due_at').execute();
}

export async function replaceDeadlines(db: Kysely<Database>, organizationId: string, procedureId: string, rows: CaseDeadlineTable[]): Promise<void> {
  await db.deleteFrom('case_deadline').where('organization_id', '=', organizationId).where('procedure_id', '=', procedureId).execute();
  if (rows.length > 0) await db.insertInto('case_deadline').values(rows).execute();
}

export interface DueRow {
  deadline_id: string;
  person_id: string;
  procedure_id: string;
  kind: string;
  key: string;
  category: string;
  due_at: string;
  uncertain: number;
  wrapped_key: string | null;
  pseudonym_encrypted: string | null;
}

/**
 * Open deadlines due before `untilIso` (overdue ones included), soonest first: of the people
 * the viewer may see, or — `viewer: null`, the association dashboard — of everyone.
 */
export async function listOpenDeadlinesDue(
  db: Kysely<Database>,
  organizationId: string,
  viewer: Viewer | null,
  /** Due in `[from, before)`; `from` left out: everything before `before`, overdue included. */
  range: { from?: string; before: string },
  nowIso: string,
  limit: number
): Promise<DueRow[]> {
  let query = db
    .selectFrom('case_deadline')
    .innerJoin('case_person', 'case_person.id', 'case_deadline.person_id')
    .innerJoin('case_procedure', 'case_procedure.id', 'case_deadline.procedure_id')
    .select([
      'case_deadline.id as deadline_id',
      'case_deadline.person_id',
      'case_deadline.procedure_id',
      'case_procedure.kind',
      'case_deadline.key',
      'case_deadline.category',
      'case_deadline.due_at',
      'case_deadline.uncertain',
      'case_person.wrapped_key',
      'case_person.pseudonym_encrypted'
    ])
    .where('case_deadline.organization_id', '=', organizationId)
    .where('case_person.organization_id', '=', organizationId)
    .where('case_procedure.organization_id', '=', organizationId)
    .where('case_deadline.closed_at', 'is', null)
    .where('case_deadline.due_at', '<', range.before)
    .where('case_person.status', '=', 'open');
  if (range.from !== undefined) query = query.where('case_deadline.due_at', '>=', range.from);
  if (viewer) query = query.where(deadlineVisibleTo(viewer, nowIso));
  return query.orderBy('case_deadline.due_at').limit(limit).execute();
}
