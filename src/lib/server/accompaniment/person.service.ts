/**
 * Use cases of the case tracker (issue 6): open a person's record with her consent, read it
 * (audited), assign helpers, break the glass, open procedures and record their steps, and the
 * "what needs doing" dashboard. Every use case runs in `inTenant`, checks the role first
 * (`person.policy.ts`), then finds the record through the visibility predicate: a record the
 * viewer may not see is `not_found`, exactly like one that does not exist.
 *
 * Keys: each person has her own data key, wrapped by the organization's data key; her
 * pseudonym, real name, profile and every note are encrypted under it (erasing her is
 * destroying it). The pseudonym also has a blind index under the organization's key, for
 * exact search. Break-the-glass reasons are encrypted under the organization's key.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { DomainError } from '../../errors';
import { applyStep, replay, startProcedure, type ProcedureSnapshot, type Refusal, type StepInput } from '../../accompaniment/machine';
import { PROCEDURES, transitionsFrom, type ProcedureKind } from '../../accompaniment/procedures';
import type { SignedIn } from '../accounts/sign-in.service';
import type { Role } from '../accounts/roles';
import { readAccountEmail } from '../accounts/account.service';
import { dataKeyOf } from '../accounts/organization.service';
import { appendAudit } from '../audit/audit';
import { blindIndex, blindIndexer, dataKeyWrapper, decryptField, encryptField, fieldCipher, generateDataKey, unwrapDataKey } from '../crypto/envelope';
import type { CasePersonTable, Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { parseScopes, type ConsentScope } from './consent';
import { syncReminders } from './reminder.schedule';
import { deleteDocumentsOf } from './document.repository';
import { BREAK_GLASS_HOURS, canDoCase, HELPER_ROLES, type CaseAction } from './person.policy';
import {
  findPersonIdsByPseudonymIndex,
  findPersonInOrganization,
  findProcedure,
  findVisiblePerson,
  insertPerson,
  listAssignments,
  listConsents,
  listDeadlinesOfPerson,
  listOpenDeadlinesDue,
  listProcedures,
  listSteps,
  listVisiblePersons,
  replaceDeadlines,
  visibleTo,
  type ListCursor,
  type PersonListFilters,
  type Viewer
} from './person.repository';

export interface CaseContext {
  db: Kysely<Database>;
  masterKey: Buffer;
  who: SignedIn;
  now?: Date;
}

export interface PersonProfile {
  languages: string[];
  nationality: string | null;
  birthYear: number | null;
  contactRules: string | null;
  referredBy: string | null;
  minor: boolean;
  inDanger: boolean;
  noContactWith: string | null;
}

export interface ConsentInput {
  scopes: ConsentScope[];
  retentionMonths: number;
  /** The language it was explained in (a locale or language code). */
  language: string;
}

export interface OpenPersonInput {
  pseudonym: string;
  realName: string | null;
  profile: PersonProfile;
  consent: ConsentInput;
}

/** A step the machine refused; `refusal.code` is the message key `case.refusal.<code>`. */
export class StepRefusedError extends DomainError {
  constructor(readonly refusal: Refusal) {
    super('invalid_input', `step refused: ${refusal.code}`);
  }
}

const PAGE_SIZE = 25;
/** The dashboard looks this far ahead (a renewal to start in five weeks is worth seeing). */
const COMING_DAYS = 31;

function requireRole(who: SignedIn, action: CaseAction): void {
  if (!canDoCase(who.role, action)) throw new DomainError('forbidden', action);
}

const viewerOf = (who: SignedIn): Viewer => ({ organizationId: who.organizationId, accountId: who.accountId });

/** Her own data key, unwrapped. Throws `not_found` once she is erased. */
export function personKeyOf(orgKey: Buffer, person: Pick<CasePersonTable, 'id' | 'wrapped_key'>): Buffer {
  if (!person.wrapped_key) throw new DomainError('not_found', 'erased');
  return unwrapDataKey(orgKey, person.wrapped_key, `person:${person.id}`);
}

const field = (rowId: string, column: string, table = 'case_person') => ({ table, column, rowId });

/**
 * Reads the pseudonyms of many people (a page of the list, the dashboard): the
 * organization-level derivations are done once, and each person is decrypted once however
 * many of her deadlines are listed. Same checks as `personKeyOf` + `decryptField`.
 */
function pseudonymReader(orgKey: Buffer): (person: { id: string; wrapped_key: string | null; pseudonym_encrypted: string | null }) => string {
  const wrapper = dataKeyWrapper(orgKey);
  const seen = new Map<string, string>();
  return (person) => {
    const known = seen.get(person.id);
    if (known !== undefined) return known;
    if (!person.wrapped_key) throw new DomainError('not_found', 'erased');
    const key = wrapper.unwrap(person.wrapped_key, `person:${person.id}`);
    const pseudonym = fieldCipher(key).decrypt(person.pseudonym_encrypted!, field(person.id, 'pseudonym'));
    seen.set(person.id, pseudonym);
    return pseudonym;
  };
}

export function pseudonymIndex(orgKey: Buffer, pseudonym: string): string {
  return blindIndex(orgKey, pseudonym, { table: 'case_person', column: 'pseudonym' });
}

/** Keeps only what her consent covers: identity fields need `identity`, contact rules need `contact`. */
export function withinConsent(profile: PersonProfile, realName: string | null, scopes: readonly ConsentScope[]) {
  const identity = scopes.includes('identity');
  const contact = scopes.includes('contact');
  return {
    realName: identity ? realName : null,
    profile: {
      ...profile,
      nationality: identity ? profile.nationality : null,
      birthYear: identity ? profile.birthYear : null,
      contactRules: contact ? profile.contactRules : null
    }
  };
}

type SealedPerson = Pick<CasePersonTable, 'wrapped_key' | 'pseudonym_index' | 'pseudonym_encrypted' | 'real_name_encrypted' | 'profile_encrypted'>;
export interface PersonFields {
  pseudonym: string;
  realName: string | null;
  profile: PersonProfile;
}

/**
 * Seals people's columns under one organization's key: for each, a new data key of her own
 * (wrapped by the organization's), the pseudonym's blind index, and her pseudonym, real
 * name and profile encrypted under her key. `realName` and `profile` must already be cut to
 * her consent (`withinConsent`). The organization-level derivations are done once, so the
 * demo generator seals 100,000 people with it; opening one record uses it for one.
 */
export function personSealer(orgKey: Buffer): (id: string, input: PersonFields) => SealedPerson {
  const wrapper = dataKeyWrapper(orgKey);
  const index = blindIndexer(orgKey, { table: 'case_person', column: 'pseudonym' });
  return (id, input) => {
    const personKey = generateDataKey();
    const cipher = fieldCipher(personKey);
    return {
      wrapped_key: wrapper.wrap(personKey, `person:${id}`),
      pseudonym_index: index(input.pseudonym),
      pseudonym_encrypted: cipher.encrypt(input.pseudonym, field(id, 'pseudonym')),
      real_name_encrypted: input.realName ? cipher.encrypt(input.realName, field(id, 'real_name')) : null,
      profile_encrypted: cipher.encrypt(JSON.stringify(input.profile), field(id, 'profile'))
    };
  };
}

/**
 * Opens a person's record with the consent she gave; the creator is assigned to her.
 * Throws `forbidden` (role), `invalid_input` (no consent to record procedures).
 */
export async function openPerson(ctx: CaseContext, input: OpenPersonInput): Promise<{ id: string }> {
  requireRole(ctx.who, 'case.create');
  if (!input.consent.scopes.includes('procedures')) throw new DomainError('invalid_input', 'consent to record her procedures is required');
  const now = (ctx.now ?? new Date()).toISOString();
  const id = randomUUID();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const orgKey = await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId);
    const kept = withinConsent(input.profile, input.realName, input.consent.scopes);
    await insertPerson(trx, {
      id,
      organization_id: ctx.who.organizationId,
      status: 'open',
      ...personSealer(orgKey)(id, { pseudonym: input.pseudonym, realName: kept.realName, profile: kept.profile }),
      created_by: ctx.who.accountId,
      created_at: now,
      updated_at: now,
      closed_at: null,
      purge_after: null
    });
    await trx.insertInto('case_assignment').values({ organization_id: ctx.who.organizationId, person_id: id, account_id: ctx.who.accountId, assigned_by: ctx.who.accountId, assigned_at: now }).execute();
    await insertConsent(trx, ctx, id, input.consent, now);
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'person.create', target: { kind: 'person', id }, at: new Date(now) });
    return { id };
  });
}

async function insertConsent(trx: Transaction<Database>, ctx: CaseContext, personId: string, consent: ConsentInput, now: string): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto('case_consent')
    .values({
      id,
      organization_id: ctx.who.organizationId,
      person_id: personId,
      scopes: [...new Set(consent.scopes)].join(','),
      retention_months: consent.retentionMonths,
      language: consent.language,
      explained_by: ctx.who.accountId,
      given_at: now,
      withdrawn_at: null,
      withdrawn_by: null
    })
    .execute();
  return id;
}

export interface PersonRecord {
  id: string;
  status: string;
  pseudonym: string;
  realName: string | null;
  profile: PersonProfile;
  scopes: ConsentScope[];
  consents: Array<{ id: string; scopes: ConsentScope[]; retentionMonths: number; language: string; givenAt: string; withdrawnAt: string | null }>;
  helpers: Array<{ accountId: string; email: string; role: Role }>;
  procedures: Array<{ id: string; kind: ProcedureKind; state: string; since: string | null; terminal: boolean }>;
  deadlines: Array<{ procedureId: string; key: string; category: string; dueAt: string; uncertain: boolean }>;
  /** The viewer sees her through a broken glass, not an assignment. */
  throughGlass: boolean;
  /** A closed record: when the purge erases it (rights.service.ts). */
  purgeAfter: string | null;
}

async function loadVisible(trx: Transaction<Database>, ctx: CaseContext, personId: string): Promise<CasePersonTable> {
  const person = await findVisiblePerson(trx, viewerOf(ctx.who), personId, (ctx.now ?? new Date()).toISOString());
  if (!person) throw new DomainError('not_found', 'no such person');
  return person;
}

/** Her whole record, decrypted; the view is audited. Throws `forbidden`, `not_found`. */
export async function readPerson(ctx: CaseContext, personId: string): Promise<PersonRecord> {
  requireRole(ctx.who, 'case.read');
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const orgKey = await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId);
    const key = personKeyOf(orgKey, person);
    const consents = await listConsents(trx, ctx.who.organizationId, person.id);
    const assignments = await listAssignments(trx, ctx.who.organizationId, person.id);
    const accounts = assignments.length
      ? await trx.selectFrom('person_account').selectAll().where('organization_id', '=', ctx.who.organizationId).where('id', 'in', assignments.map((a) => a.account_id)).execute()
      : [];
    const helpers = await Promise.all(accounts.map(async (a) => ({ accountId: a.id, email: await readAccountEmail(trx, ctx.masterKey, a), role: a.role as Role })));
    const procedures = await listProcedures(trx, ctx.who.organizationId, person.id);
    const deadlines = await listDeadlinesOfPerson(trx, ctx.who.organizationId, person.id);
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'person.view', target: { kind: 'person', id: person.id }, at: ctx.now });
    return {
      id: person.id,
      status: person.status,
      pseudonym: decryptField(key, person.pseudonym_encrypted!, field(person.id, 'pseudonym')),
      realName: person.real_name_encrypted ? decryptField(key, person.real_name_encrypted, field(person.id, 'real_name')) : null,
      profile: JSON.parse(decryptField(key, person.profile_encrypted!, field(person.id, 'profile'))) as PersonProfile,
      scopes: activeScopes(consents),
      consents: consents.map((c) => ({ id: c.id, scopes: parseScopes(c.scopes), retentionMonths: c.retention_months, language: c.language, givenAt: c.given_at, withdrawnAt: c.withdrawn_at })),
      helpers,
      procedures: procedures.map((p) => ({ id: p.id, kind: p.kind as ProcedureKind, state: p.state, since: p.since, terminal: p.terminal === 1 })),
      deadlines: deadlines.filter((d) => d.closed_at === null).map((d) => ({ procedureId: d.procedure_id, key: d.key, category: d.category, dueAt: d.due_at, uncertain: d.uncertain === 1 })),
      throughGlass: !assignments.some((a) => a.account_id === ctx.who.accountId),
      purgeAfter: person.purge_after
    };
  });
}

function activeScopes(consents: ReadonlyArray<{ scopes: string; withdrawn_at: string | null }>): ConsentScope[] {
  return [...new Set(consents.filter((c) => c.withdrawn_at === null).flatMap((c) => parseScopes(c.scopes)))];
}

export interface PersonListItem {
  id: string;
  pseudonym: string;
  status: string;
  nextDue: string | null;
}

export interface PersonListQuery {
  pseudonym?: string;
  status?: 'open' | 'closed';
  helperId?: string;
  kind?: ProcedureKind;
  overdue?: boolean;
  page?: number;
  /** The next page: the `next` cursor of the page before (keyset; `page` is then ignored). */
  after?: string;
  /** The previous page: the `previous` cursor of the page after. */
  before?: string;
}

/** A page cursor for a URL: the row's update time and id, base64url (no personal data). */
export function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(`${cursor.updatedAt}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor in a URL, or undefined when it is missing or not one of ours (then the first page). */
export function decodeListCursor(text: string | null | undefined): ListCursor | undefined {
  if (!text || text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)\|([A-Za-z0-9-]{1,40})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  return m ? { updatedAt: m[1]!, id: m[2]! } : undefined;
}

/**
 * The people she may see, filtered, one page at a time. For a coordinator searching an exact
 * pseudonym that exists but is not assigned to her, `hidden` names the record so she can
 * break the glass; nobody else learns that it exists.
 */
export async function listPersons(
  ctx: CaseContext,
  query: PersonListQuery
): Promise<{ people: PersonListItem[]; more: boolean; page: number; hidden: string[]; next: string | null; previous: string | null }> {
  requireRole(ctx.who, 'case.read');
  const page = Math.max(1, Math.min(query.page ?? 1, 10_000));
  const nowIso = (ctx.now ?? new Date()).toISOString();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const orgKey = await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId);
    const filters: PersonListFilters = { status: query.status, helperId: query.helperId, kind: query.kind, overdue: query.overdue };
    if (query.pseudonym) filters.pseudonymIndex = pseudonymIndex(orgKey, query.pseudonym);
    const after = decodeListCursor(query.after);
    const before = after ? undefined : decodeListCursor(query.before);
    const { rows, more, earlier } = await listVisiblePersons(trx, viewerOf(ctx.who), filters, after || before ? { limit: PAGE_SIZE, after, before } : { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, nowIso);
    const first = rows[0];
    const last = rows.at(-1);
    const pseudonymOf = pseudonymReader(orgKey);
    const people = rows.map((r) => ({
      id: r.id,
      pseudonym: pseudonymOf(r),
      status: r.status,
      nextDue: r.next_due
    }));
    let hidden: string[] = [];
    if (filters.pseudonymIndex && canDoCase(ctx.who.role, 'case.break_glass')) {
      const all = await findPersonIdsByPseudonymIndex(trx, ctx.who.organizationId, filters.pseudonymIndex);
      hidden = all.filter((id) => !people.some((p) => p.id === id));
    }
    return {
      people,
      more,
      page,
      hidden,
      next: more && last ? encodeListCursor({ updatedAt: last.updated_at, id: last.id }) : null,
      previous: earlier && first ? encodeListCursor({ updatedAt: first.updated_at, id: first.id }) : null
    };
  });
}

/** Edits her profile (within her consent). Throws `forbidden`, `not_found`. */
export async function updatePerson(ctx: CaseContext, personId: string, input: { realName: string | null; profile: PersonProfile }): Promise<void> {
  requireRole(ctx.who, 'case.write');
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    const kept = withinConsent(input.profile, input.realName, activeScopes(await listConsents(trx, ctx.who.organizationId, person.id)));
    await trx
      .updateTable('case_person')
      .set({
        real_name_encrypted: kept.realName ? encryptField(key, kept.realName, field(person.id, 'real_name')) : null,
        profile_encrypted: encryptField(key, JSON.stringify(kept.profile), field(person.id, 'profile')),
        updated_at: (ctx.now ?? new Date()).toISOString()
      })
      .where('organization_id', '=', ctx.who.organizationId)
      .where('id', '=', person.id)
      .execute();
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'person.update', target: { kind: 'person', id: person.id }, at: ctx.now });
  });
}

/**
 * Records a withdrawal and acts on it at once: what only the withdrawn scopes covered is
 * erased; without consent to record procedures her record is closed and due for purge now.
 */
export async function withdrawConsent(ctx: CaseContext, personId: string, consentId: string): Promise<void> {
  requireRole(ctx.who, 'case.write');
  const now = (ctx.now ?? new Date()).toISOString();
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const updated = await trx
      .updateTable('case_consent')
      .set({ withdrawn_at: now, withdrawn_by: ctx.who.accountId })
      .where('organization_id', '=', ctx.who.organizationId)
      .where('person_id', '=', person.id)
      .where('id', '=', consentId)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new DomainError('not_found', 'no such consent');
    const scopes = activeScopes(await listConsents(trx, ctx.who.organizationId, person.id));
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    const profile = JSON.parse(decryptField(key, person.profile_encrypted!, field(person.id, 'profile'))) as PersonProfile;
    const realName = person.real_name_encrypted ? decryptField(key, person.real_name_encrypted, field(person.id, 'real_name')) : null;
    const kept = withinConsent(profile, realName, scopes);
    if (!scopes.includes('documents')) await deleteDocumentsOf(trx, ctx.who.organizationId, person.id);
    const closing = !scopes.includes('procedures');
    await trx
      .updateTable('case_person')
      .set({
        real_name_encrypted: kept.realName ? encryptField(key, kept.realName, field(person.id, 'real_name')) : null,
        profile_encrypted: encryptField(key, JSON.stringify(kept.profile), field(person.id, 'profile')),
        updated_at: now,
        ...(closing ? { status: 'closed' as const, closed_at: person.closed_at ?? now, purge_after: now } : {})
      })
      .where('organization_id', '=', ctx.who.organizationId)
      .where('id', '=', person.id)
      .execute();
    if (closing) await syncReminders(trx, ctx.who.organizationId, person.id, new Date(now));
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'consent.withdraw', target: { kind: 'person', id: person.id }, at: new Date(now) });
  });
}

/** Records a new consent (e.g. she now agrees to keep her contact details). */
export async function recordConsent(ctx: CaseContext, personId: string, consent: ConsentInput): Promise<void> {
  requireRole(ctx.who, 'case.write');
  const now = (ctx.now ?? new Date()).toISOString();
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    await insertConsent(trx, ctx, person.id, consent, now);
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'consent.record', target: { kind: 'person', id: person.id }, at: new Date(now) });
  });
}

/** The accounts that can be assigned to her (case roles, active), with their emails. */
export async function listHelperAccounts(ctx: CaseContext): Promise<Array<{ accountId: string; email: string; role: Role }>> {
  requireRole(ctx.who, 'case.read');
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const rows = await trx
      .selectFrom('person_account')
      .selectAll()
      .where('organization_id', '=', ctx.who.organizationId)
      .where('status', '=', 'active')
      .where('role', 'in', [...HELPER_ROLES])
      .orderBy('created_at')
      .execute();
    return Promise.all(rows.map(async (a) => ({ accountId: a.id, email: await readAccountEmail(trx, ctx.masterKey, a), role: a.role as Role })));
  });
}

/** Assigns a helper of her organization. Throws `forbidden`, `not_found` (person or account). */
export async function assignHelper(ctx: CaseContext, personId: string, accountId: string): Promise<void> {
  requireRole(ctx.who, 'case.assign');
  const now = (ctx.now ?? new Date()).toISOString();
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const account = await trx
      .selectFrom('person_account')
      .select(['id', 'role'])
      .where('organization_id', '=', ctx.who.organizationId)
      .where('id', '=', accountId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!account || !HELPER_ROLES.includes(account.role as Role)) throw new DomainError('not_found', 'no such helper');
    await trx
      .insertInto('case_assignment')
      .values({ organization_id: ctx.who.organizationId, person_id: person.id, account_id: account.id, assigned_by: ctx.who.accountId, assigned_at: now })
      .onConflict((oc) => oc.columns(['person_id', 'account_id']).doNothing())
      .execute();
    await syncReminders(trx, ctx.who.organizationId, person.id, new Date(now));
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'person.assign', target: { kind: 'person', id: person.id }, at: new Date(now) });
  });
}

/** Removes a helper; the last helper cannot be removed (nobody would see her any more). */
export async function unassignHelper(ctx: CaseContext, personId: string, accountId: string): Promise<void> {
  requireRole(ctx.who, 'case.assign');
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const assignments = await listAssignments(trx, ctx.who.organizationId, person.id);
    if (!assignments.some((a) => a.account_id === accountId)) throw new DomainError('not_found', 'not assigned');
    if (assignments.length === 1) throw new DomainError('conflict', 'last helper');
    await trx.deleteFrom('case_assignment').where('organization_id', '=', ctx.who.organizationId).where('person_id', '=', person.id).where('account_id', '=', accountId).execute();
    await syncReminders(trx, ctx.who.organizationId, person.id, ctx.now ?? new Date());
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'person.unassign', target: { kind: 'person', id: person.id }, at: ctx.now });
  });
}

/**
 * A coordinator opens a record not assigned to her, for BREAK_GLASS_HOURS, with a written
 * reason (encrypted; shown to the admins). Throws `forbidden`, `not_found`, `invalid_input`.
 */
export async function breakGlass(ctx: CaseContext, personId: string, reason: string): Promise<void> {
  requireRole(ctx.who, 'case.break_glass');
  const text = reason.trim();
  if (text.length < 10 || text.length > 1000) throw new DomainError('invalid_input', 'a reason of 10 to 1000 characters');
  const now = ctx.now ?? new Date();
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await findPersonInOrganization(trx, ctx.who.organizationId, personId);
    if (!person) throw new DomainError('not_found', 'no such person');
    const orgKey = await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId);
    const id = randomUUID();
    await trx
      .insertInto('case_access')
      .values({
        id,
        organization_id: ctx.who.organizationId,
        person_id: person.id,
        account_id: ctx.who.accountId,
        reason_encrypted: encryptField(orgKey, text, field(id, 'reason', 'case_access')),
        opened_at: now.toISOString(),
        expires_at: new Date(now.getTime() + BREAK_GLASS_HOURS * 3_600_000).toISOString()
      })
      .execute();
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'person.break_glass', target: { kind: 'person', id: person.id }, at: now });
  });
}

/** The admins' list of broken glasses (newest first) with their reasons. Throws `forbidden`. */
export async function listBrokenGlass(ctx: CaseContext, sinceDays = 90): Promise<Array<{ id: string; personId: string; accountId: string; email: string; reason: string; openedAt: string; expiresAt: string }>> {
  if (ctx.who.role !== 'admin') throw new DomainError('forbidden', 'admins only');
  const since = new Date((ctx.now ?? new Date()).getTime() - sinceDays * 86_400_000).toISOString();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const orgKey = await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId);
    const rows = await trx
      .selectFrom('case_access')
      .innerJoin('person_account', 'person_account.id', 'case_access.account_id')
      .selectAll('case_access')
      .select(['person_account.email_encrypted', 'person_account.organization_id as account_org'])
      .where('case_access.organization_id', '=', ctx.who.organizationId)
      .where('person_account.organization_id', '=', ctx.who.organizationId)
      .where('case_access.opened_at', '>=', since)
      .orderBy('case_access.opened_at', 'desc')
      .limit(200)
      .execute();
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        personId: r.person_id,
        accountId: r.account_id,
        email: decryptField(orgKey, r.email_encrypted, { table: 'person_account', column: 'email_encrypted', rowId: r.account_id }),
        reason: decryptField(orgKey, r.reason_encrypted, field(r.id, 'reason', 'case_access')),
        openedAt: r.opened_at,
        expiresAt: r.expires_at
      }))
    );
  });
}

/** Opens a procedure for her. Throws `forbidden`, `not_found`, `invalid_input` (no consent). */
export async function openProcedure(ctx: CaseContext, personId: string, kind: ProcedureKind): Promise<{ id: string }> {
  requireRole(ctx.who, 'case.write');
  const now = (ctx.now ?? new Date()).toISOString();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    await requireOpenWithConsent(trx, ctx, person);
    const start = startProcedure(kind);
    const id = randomUUID();
    await trx
      .insertInto('case_procedure')
      .values({ id, organization_id: ctx.who.organizationId, person_id: person.id, kind, state: start.state, since: null, terminal: 0, opened_by: ctx.who.accountId, opened_at: now, updated_at: now })
      .execute();
    await touchPerson(trx, ctx.who.organizationId, person.id, now);
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'procedure.open', target: { kind: 'procedure', id }, at: new Date(now) });
    return { id };
  });
}

async function requireOpenWithConsent(trx: Transaction<Database>, ctx: CaseContext, person: CasePersonTable): Promise<void> {
  if (person.status !== 'open') throw new DomainError('conflict', 'her record is closed');
  if (!activeScopes(await listConsents(trx, ctx.who.organizationId, person.id)).includes('procedures')) throw new DomainError('invalid_input', 'no consent to record procedures');
}

async function touchPerson(trx: Transaction<Database>, organizationId: string, personId: string, now: string): Promise<void> {
  await trx.updateTable('case_person').set({ updated_at: now }).where('organization_id', '=', organizationId).where('id', '=', personId).execute();
}

export interface ProcedureView {
  id: string;
  personId: string;
  pseudonym: string;
  kind: ProcedureKind;
  snapshot: ProcedureSnapshot;
  steps: Array<{ seq: number; transition: string; at: string; fields: Record<string, string>; note: string | null; recordedBy: string; recordedAt: string }>;
  allowed: string[];
}

/** A procedure with its history (notes decrypted) and the steps allowed next; audited as a view of her record. */
export async function readProcedure(ctx: CaseContext, procedureId: string): Promise<ProcedureView> {
  requireRole(ctx.who, 'case.read');
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const procedure = await findProcedure(trx, ctx.who.organizationId, procedureId);
    if (!procedure) throw new DomainError('not_found', 'no such procedure');
    const person = await loadVisible(trx, ctx, procedure.person_id);
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    const rows = await listSteps(trx, ctx.who.organizationId, procedure.id);
    const kind = procedure.kind as ProcedureKind;
    const snapshot = replay(
      kind,
      rows.map((r) => ({ transition: r.transition, at: r.at, fields: JSON.parse(r.fields_json) as Record<string, string> }))
    );
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'procedure.view', target: { kind: 'procedure', id: procedure.id }, at: ctx.now });
    return {
      id: procedure.id,
      personId: person.id,
      pseudonym: decryptField(key, person.pseudonym_encrypted!, field(person.id, 'pseudonym')),
      kind,
      snapshot,
      steps: rows.map((r) => ({
        seq: r.seq,
        transition: r.transition,
        at: r.at,
        fields: JSON.parse(r.fields_json) as Record<string, string>,
        note: r.note_encrypted ? decryptField(key, r.note_encrypted, field(r.id, 'note', 'case_step')) : null,
        recordedBy: r.recorded_by,
        recordedAt: r.recorded_at
      })),
      allowed: person.status === 'open' ? transitionsFrom(kind, snapshot.state).map((t) => t.id) : []
    };
  });
}

/**
 * Records one step of a procedure: the machine checks it (StepRefusedError with the code
 * and field otherwise), the step and its encrypted note are stored, the procedure's state
 * and deadlines are updated in the same transaction. Two helpers recording at once: the
 * second gets `conflict` (the step number is unique). Throws `forbidden`, `not_found`.
 */
export async function recordStep(ctx: CaseContext, procedureId: string, input: StepInput, note: string | null): Promise<ProcedureSnapshot> {
  requireRole(ctx.who, 'case.write');
  const now = ctx.now ?? new Date();
  if (note !== null && note.length > 5000) throw new DomainError('invalid_input', 'note too long');
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const procedure = await findProcedure(trx, ctx.who.organizationId, procedureId);
    if (!procedure) throw new DomainError('not_found', 'no such procedure');
    const person = await loadVisible(trx, ctx, procedure.person_id);
    await requireOpenWithConsent(trx, ctx, person);
    const kind = procedure.kind as ProcedureKind;
    const rows = await listSteps(trx, ctx.who.organizationId, procedure.id);
    const before = replay(
      kind,
      rows.map((r) => ({ transition: r.transition, at: r.at, fields: JSON.parse(r.fields_json) as Record<string, string> }))
    );
    const outcome = applyStep(before, input, now);
    if (!outcome.ok) throw new StepRefusedError(outcome.refusal);
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    const stepId = randomUUID();
    const seq = rows.length + 1;
    try {
      await trx
        .insertInto('case_step')
        .values({
          id: stepId,
          organization_id: ctx.who.organizationId,
          procedure_id: procedure.id,
          seq,
          transition: outcome.step.transition,
          at: outcome.step.at,
          fields_json: JSON.stringify(outcome.step.fields),
          note_encrypted: note && note.trim() ? encryptField(key, note.trim(), field(stepId, 'note', 'case_step')) : null,
          recorded_by: ctx.who.accountId,
          recorded_at: now.toISOString()
        })
        .execute();
    } catch {
      throw new DomainError('conflict', 'another step was recorded at the same time');
    }
    const after = outcome.snapshot;
    await trx
      .updateTable('case_procedure')
      .set({ state: after.state, since: after.since, terminal: PROCEDURES[kind].terminal.includes(after.state) ? 1 : 0, updated_at: now.toISOString() })
      .where('organization_id', '=', ctx.who.organizationId)
      .where('id', '=', procedure.id)
      .execute();
    await replaceDeadlines(
      trx,
      ctx.who.organizationId,
      procedure.id,
      after.deadlines.map((d) => ({
        id: randomUUID(),
        organization_id: ctx.who.organizationId,
        person_id: person.id,
        procedure_id: procedure.id,
        step_seq: d.step + 1,
        key: d.key,
        category: d.category,
        due_at: d.due,
        closed_at: d.closedAt,
        rule_id: d.rule?.id ?? null,
        uncertain: d.rule?.uncertain ? 1 : 0
      }))
    );
    // Reminders follow the deadlines: new ones scheduled, closed ones cancelled.
    await syncReminders(trx, ctx.who.organizationId, person.id, now);
    await touchPerson(trx, ctx.who.organizationId, person.id, now.toISOString());
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'procedure.step', target: { kind: 'procedure', id: procedure.id }, at: now });
    return after;
  });
}

export type DashboardGroup = 'overdue' | 'waiting' | 'due_48h' | 'due_week' | 'coming';

export interface DashboardItem {
  group: DashboardGroup;
  personId: string;
  /** Her pseudonym, or only its initials on the association dashboard. */
  label: string;
  visible: boolean;
  procedureId: string;
  kind: string;
  key: string;
  category: string;
  dueAt: string;
  uncertain: boolean;
}

/**
 * "What needs doing": open deadlines overdue, waiting too long, due within 48 hours, this
 * week and in the coming month — of the people she may see (`mine`), or of the whole association for a coordinator
 * (`association`, people she may not open shown by their initials only).
 */
/** The most deadlines the dashboard lists of those overdue, and of those to come. */
export const DASHBOARD_GROUP_LIMIT = 100;

export async function dashboard(ctx: CaseContext, scope: 'mine' | 'association', limit: number = DASHBOARD_GROUP_LIMIT): Promise<DashboardItem[]> {
  requireRole(ctx.who, scope === 'association' ? 'case.association_dashboard' : 'case.read');
  const now = ctx.now ?? new Date();
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + COMING_DAYS * 86_400_000).toISOString();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const orgKey = await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId);
    const viewer = viewerOf(ctx.who);
    // Overdue and coming deadlines are read apart, each to its own limit, so that a long
    // tail of overdue ones never hides what falls due tomorrow (and the page stays small).
    const who = scope === 'mine' ? viewer : null;
    const rows = [
      ...(await listOpenDeadlinesDue(trx, ctx.who.organizationId, who, { before: nowIso }, nowIso, limit)),
      ...(await listOpenDeadlinesDue(trx, ctx.who.organizationId, who, { from: nowIso, before: until }, nowIso, limit))
    ];
    const visibleIds =
      scope === 'mine'
        ? new Set(rows.map((r) => r.person_id))
        : new Set(
            (
              await trx
                .selectFrom('case_person')
                .select('id')
                .where('organization_id', '=', ctx.who.organizationId)
                .where('id', 'in', rows.length ? [...new Set(rows.map((r) => r.person_id))] : [''])
                .where(visibleTo(viewer, nowIso))
                .execute()
            ).map((r) => r.id)
          );
    const pseudonymOf = pseudonymReader(orgKey);
    return rows.map((r) => {
      const pseudonym = pseudonymOf({ id: r.person_id, wrapped_key: r.wrapped_key, pseudonym_encrypted: r.pseudonym_encrypted });
      const visible = visibleIds.has(r.person_id);
      const overdue = r.due_at < nowIso;
      const left = Date.parse(r.due_at) - now.getTime();
      const group: DashboardGroup = overdue ? (r.category === 'waiting' ? 'waiting' : 'overdue') : left <= 48 * 3_600_000 ? 'due_48h' : left <= 7 * 86_400_000 ? 'due_week' : 'coming';
      return {
        group,
        personId: r.person_id,
        label: visible ? pseudonym : initialsOf(pseudonym),
        visible,
        procedureId: r.procedure_id,
        kind: r.kind,
        key: r.key,
        category: r.category,
        dueAt: r.due_at,
        uncertain: r.uncertain === 1
      };
    });
  });
}

/** "Ada Bee" → "A. B." — what the association dashboard and calendar feeds show. */
export function initialsOf(pseudonym: string): string {
  return pseudonym
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 3)
    .map((w) => `${[...w][0]!.toUpperCase()}.`)
    .join(' ');
}

// For the other use cases of her record (document.service.ts, rights.service.ts).
export { activeScopes, field, loadVisible, requireRole };
