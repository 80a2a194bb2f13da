/**
 * The access matrix (issue 5, "What it must show"): every signed-in route × every role ×
 * (her own record, a colleague's record, another organization's record, a record that does
 * not exist, no session) → the expected answer. `access-matrix.e2e.ts` runs it against the
 * built server on SQLite and on PostgreSQL (the app's non-owner role), and fails if a load,
 * action or endpoint under `src/routes/(staff)` has no row here.
 *
 * Adding a route = appending a row: how to ask for one record, what each role gets for each
 * kind of record, and how to see whether the record was changed.
 */
import { randomBytes } from 'node:crypto';
import { ROLES, type Role } from '../../src/lib/server/accounts/roles';
import { MATRIX_AUDIO, MATRIX_DOCUMENT, type Person, type World } from './world';
import { addParisDays, parisDateKey } from '../../src/lib/time/paris-time';

/**
 * Whose record the request names. `missing`: ids that exist nowhere; a record of another
 * organization must be answered exactly like it (the runner checks the rows say so) —
 * except in a row whose record belongs to no organization (`scope: 'instance'`), where the
 * organization must make no difference.
 */
export const SUBJECTS = ['own', 'colleague', 'other_organization', 'missing'] as const;
export type Subject = (typeof SUBJECTS)[number];

export interface Expected {
  status: number;
  /** For a redirect. */
  location?: string;
  /** The record's marker (its email) is on the page: it was shown to her. */
  shows?: boolean;
  /** The record was changed by the request (checked with the row's `changed`). */
  changed?: boolean;
}

export interface Request {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/staff?/disable`. */
  path: string;
  /** Sent as a form without JavaScript would (POST, urlencoded, same origin). */
  form?: Record<string, string>;
  /** Sent as JSON instead, as the page's script does (the passkey endpoints). */
  json?: unknown;
}

export interface MatrixRow {
  /** The route as its folder names it, groups left out: `/staff`, `/staff/people/[id]`. */
  route: string;
  /** `load`, `action:<name>` (`action:default`), or an endpoint's method (`POST`). */
  handler: string;
  /** The request that names `target`'s record. */
  request(target: Person): Request;
  /** Signed in with each role, for each kind of record. */
  answers: Record<Role, Record<Subject, Expected>>;
  /** Without a session (the record is her own). */
  noSession: Expected;
  /** Whether `target`'s record was changed; required when an answer says `changed`. */
  changed?(world: World, target: Person): Promise<boolean>;
  /** The people of the cell get case records (Person.case). */
  cases?: boolean;
  /** What on a page shows that `target`'s record was shown (default: her email). */
  marker?(target: Person): string;
  /** The people of the cell get help directory services (Person.service). */
  directory?: boolean;
  /**
   * `instance`: the record belongs to no organization (the help directory is one per
   * instance), so another organization's record is answered like a colleague's — by
   * status — and not like a missing one. Default `tenant`.
   */
  scope?: 'tenant' | 'instance';
  /**
   * The request counts against her account's sign-in throttle (a failed confirmation): a new
   * cell for each kind of record, or the fourth would be answered 429.
   */
  throttled?: boolean;
  /** The people of the cell get a consultation of their organization (Person.consultation). */
  consultation?: boolean;
  /** Run before the request: gives `target` what the request could change. */
  prepare?(world: World, target: Person): Promise<void>;
}

export const TO_SIGN_IN: Expected = { status: 303, location: '/sign-in', changed: false };
const FORBIDDEN: Expected = { status: 403, changed: false };
const NOT_FOUND_FORM: Expected = { status: 400, changed: false };
/** Her own account in a form that refuses it ("you cannot disable yourself"). */
const SELF_REFUSED: Expected = { status: 400, changed: false };

/** The same answers for every role. */
function everyRole(answers: Record<Subject, Expected>): Record<Role, Record<Subject, Expected>> {
  return Object.fromEntries(ROLES.map((role) => [role, answers])) as Record<Role, Record<Subject, Expected>>;
}

/** Some roles answered one way, every other role another. */
function roles(allowed: readonly Role[], yes: Record<Subject, Expected>, no: Record<Subject, Expected>): Record<Role, Record<Subject, Expected>> {
  return Object.fromEntries(ROLES.map((role) => [role, allowed.includes(role) ? yes : no])) as Record<Role, Record<Subject, Expected>>;
}

const ALL_FORBIDDEN = { own: FORBIDDEN, colleague: FORBIDDEN, other_organization: FORBIDDEN, missing: FORBIDDEN };
/** A page (a GET: it changes nothing) the role may not see. */
const PAGE_FORBIDDEN: Expected = { status: 403 };
const ALL_PAGE_FORBIDDEN = { own: PAGE_FORBIDDEN, colleague: PAGE_FORBIDDEN, other_organization: PAGE_FORBIDDEN, missing: PAGE_FORBIDDEN };

// The case tracker (issue 6). Roles that read records: coordinator, social worker, peer
// helper, lawyer — only the people assigned to them. Admins, members and observers: 403.
const CASE_ROLES: readonly Role[] = ['coordinator', 'social_worker', 'peer_helper', 'lawyer'];
const ASSIGN_ROLES: readonly Role[] = ['coordinator', 'social_worker'];
const NOT_FOUND: Expected = { status: 404, changed: false };
/** For pages (loads), which change nothing. */
const PAGE_NOT_FOUND: Expected = { status: 404 };
const PAGES_FORBIDDEN: Record<Subject, Expected> = { own: { status: 403 }, colleague: { status: 403 }, other_organization: { status: 403 }, missing: { status: 403 } };
const onlyOwnPage = (own: Expected): Record<Subject, Expected> => ({ own, colleague: PAGE_NOT_FOUND, other_organization: PAGE_NOT_FOUND, missing: PAGE_NOT_FOUND });
const caseOf = (target: Person) => {
  if (!target.case) throw new Error('a case row without case records');
  return target.case;
};
/** Her own record: `own`; any other: "not found", like a record that does not exist. */
const onlyOwn = (own: Expected): Record<Subject, Expected> => ({ own, colleague: NOT_FOUND, other_organization: NOT_FOUND, missing: NOT_FOUND });
const recordPath = (target: Person) => `/staff/people/${caseOf(target).id}`;
const caseRow = (row: Omit<MatrixRow, 'cases' | 'noSession'>): MatrixRow => ({ cases: true, noSession: TO_SIGN_IN, ...row });

const CASE_ROWS: MatrixRow[] = [
  caseRow({
    // Her "what needs doing": deadlines of the people assigned to her.
    route: '/staff/today',
    handler: 'load',
    request: () => ({ method: 'GET', path: '/staff/today' }),
    marker: (target) => `/staff/people/${caseOf(target).id}/`,
    answers: roles(
      CASE_ROLES,
      { own: { status: 200, shows: true }, colleague: { status: 200, shows: false }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } },
      PAGES_FORBIDDEN
    )
  }),
  caseRow({
    // The list, searched by her exact pseudonym: a link to her record only if she is hers.
    route: '/staff/people',
    handler: 'load',
    request: (target) => ({ method: 'GET', path: `/staff/people?q=${encodeURIComponent(caseOf(target).pseudonym)}` }),
    marker: (target) => `href="${recordPath(target)}"`,
    answers: roles(
      CASE_ROLES,
      { own: { status: 200, shows: true }, colleague: { status: 200, shows: false }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } },
      PAGES_FORBIDDEN
    )
  }),
  caseRow({
    // Breaking the glass: coordinators only, with a reason, on a record of her organization.
    route: '/staff/people',
    handler: 'action:breakGlass',
    request: (target) => ({ method: 'POST', path: '/staff/people?/breakGlass', form: { person: caseOf(target).id, reason: 'Matrix: her helper is away today' } }),
    answers: roles(
      ['coordinator'],
      {
        own: { status: 303, changed: true },
        colleague: { status: 303, changed: true },
        other_organization: NOT_FOUND,
        missing: NOT_FOUND
      },
      ALL_FORBIDDEN
    ),
    changed: async (world, target) => (await world.audited(target, 'person.break_glass', caseOf(target).id)) > 0
  }),
  caseRow({
    route: '/staff/people/new',
    handler: 'load',
    request: () => ({ method: 'GET', path: '/staff/people/new' }),
    answers: roles(ASSIGN_ROLES, { own: { status: 200 }, colleague: { status: 200 }, other_organization: { status: 200 }, missing: { status: 200 } }, PAGES_FORBIDDEN)
  }),
  caseRow({
    route: '/staff/people/new',
    handler: 'action:default',
    request: () => ({
      method: 'POST',
      path: '/staff/people/new',
      form: { pseudonym: `Matrix new ${Math.random().toString(36).slice(2, 8)}`, scopes: 'procedures', consent_language: 'fr', retention_months: '24', consent_explained: 'on' }
    }),
    answers: roles(ASSIGN_ROLES, { own: { status: 303 }, colleague: { status: 303 }, other_organization: { status: 303 }, missing: { status: 303 } }, PAGES_FORBIDDEN)
  }),
  caseRow({
    // Her record; the view is audited.
    route: '/staff/people/[id]',
    handler: 'load',
    request: (target) => ({ method: 'GET', path: recordPath(target) }),
    marker: (target) => caseOf(target).pseudonym,
    answers: roles(CASE_ROLES, onlyOwnPage({ status: 200, shows: true }), PAGES_FORBIDDEN)
  }),
  caseRow({
    route: '/staff/people/[id]',
    handler: 'action:assign',
    request: (target) => ({ method: 'POST', path: `${recordPath(target)}?/assign`, form: { account: caseOf(target).spareHelperId } }),
    answers: roles(ASSIGN_ROLES, onlyOwn({ status: 200, changed: true }), ALL_FORBIDDEN),
    changed: (world, target) => world.assigned(target, caseOf(target).spareHelperId)
  }),
  caseRow({
    // She removes herself (the social worker who opened the record stays).
    route: '/staff/people/[id]',
    handler: 'action:unassign',
    request: (target) => ({ method: 'POST', path: `${recordPath(target)}?/unassign`, form: { account: target.accountId } }),
    answers: roles(ASSIGN_ROLES, onlyOwn({ status: 303, location: '/staff/people', changed: true }), ALL_FORBIDDEN),
    changed: async (world, target) => (await world.audited(target, 'person.unassign', caseOf(target).id)) > 0
  }),
  caseRow({
    route: '/staff/people/[id]',
    handler: 'action:withdraw',
    request: (target) => ({ method: 'POST', path: `${recordPath(target)}?/withdraw`, form: { consent: caseOf(target).consentId } }),
    answers: roles(CASE_ROLES, onlyOwn({ status: 200, changed: true }), ALL_FORBIDDEN),
    changed: async (world, target) => (await world.audited(target, 'consent.withdraw', caseOf(target).id)) > 0
  }),
  caseRow({
    route: '/staff/people/[id]',
    handler: 'action:consent',
    request: (target) => ({
      method: 'POST',
      path: `${recordPath(target)}?/consent`,
      form: { scopes: 'contact', consent_language: 'fr', retention_months: '24', consent_explained: 'on' }
    }),
    answers: roles(CASE_ROLES, onlyOwn({ status: 200, changed: true }), ALL_FORBIDDEN),
    changed: async (world, target) => (await world.audited(target, 'consent.record', caseOf(target).id)) > 0
  }),
  caseRow({
    route: '/staff/people/[id]',
    handler: 'action:update',
    request: (target) => ({ method: 'POST', path: `${recordPath(target)}?/update`, form: { languages: 'en', in_danger: 'on' } }),
    answers: roles(CASE_ROLES, onlyOwn({ status: 200, changed: true }), ALL_FORBIDDEN),
    changed: async (world, target) => (await world.audited(target, 'person.update', caseOf(target).id)) > 0
  }),
  caseRow({
    route: '/staff/people/[id]',
    handler: 'action:openProcedure',
    request: (target) => ({ method: 'POST', path: `${recordPath(target)}?/openProcedure`, form: { kind: 'asylum' } }),
    answers: roles(CASE_ROLES, onlyOwn({ status: 303, changed: true }), ALL_FORBIDDEN),
    changed: async (world, target) => (await world.caseRows(target, 'case_procedure')) > 1
  }),
  caseRow({
    route: '/staff/people/[id]/procedures/[procedureId]',
    handler: 'load',
    request: (target) => ({ method: 'GET', path: `${recordPath(target)}/procedures/${caseOf(target).procedureId}` }),
    marker: (target) => caseOf(target).pseudonym,
    answers: roles(CASE_ROLES, onlyOwnPage({ status: 200, shows: true }), PAGES_FORBIDDEN)
  }),
  caseRow({
    route: '/staff/people/[id]/procedures/[procedureId]',
    handler: 'action:step',
    request: (target) => ({
      method: 'POST',
      path: `${recordPath(target)}/procedures/${caseOf(target).procedureId}?/step`,
      form: { transition: 'place', at_date: parisDateKey(new Date()), place_kind: 'hotel' }
    }),
    answers: roles(CASE_ROLES, onlyOwn({ status: 303, changed: true }), ALL_FORBIDDEN),
    changed: async (world, target) => (await world.audited(target, 'procedure.step', caseOf(target).procedureId)) > 1
  }),
  ...rightsRows(),
  ...appointmentRows()
];

/**
 * The help directory (`/staff/directory…`, issue 4). It is one per instance, not a
 * tenant's: every editor of every organization may edit every service. The "record" is a
 * directory service the target created; another organization's service is therefore
 * editable (unlike a tenant's record), and only a service that does not exist is 404.
 * Lawyers, members and observers are refused every page and action (403), whatever the
 * service.
 */
const DIRECTORY_EDITORS: readonly Role[] = ['admin', 'coordinator', 'social_worker', 'peer_helper'];
const serviceOf = (target: Person) => {
  if (!target.service) throw new Error('a directory row without directory services');
  return target.service;
};
const servicePath = (target: Person, rest = '') => `/staff/directory/${encodeURIComponent(serviceOf(target).id)}${rest}`;
const directoryRow = (row: Omit<MatrixRow, 'directory' | 'scope' | 'noSession'>): MatrixRow => ({ directory: true, scope: 'instance', noSession: TO_SIGN_IN, ...row });

/** Editors get `found` for an existing service and 404 for a missing one; others 403. */
function directoryAnswers(found: Expected): Record<Role, Record<Subject, Expected>> {
  const isPage = found.changed === undefined;
  return roles(DIRECTORY_EDITORS, { own: found, colleague: found, other_organization: found, missing: isPage ? PAGE_NOT_FOUND : NOT_FOUND }, isPage ? PAGES_FORBIDDEN : ALL_FORBIDDEN);
}

/** The staff form filled in full, as a browser without JavaScript posts it. */
function serviceForm(name: string, version: string): Record<string, string> {
  return { version, organization: 'Organisation Matrice', status: 'active', free: 'unknown', wheelchair: 'unknown', public_holidays: 'unknown', name_fr: name };
}

const createdName = (target: Person) => `Service Matrice créé pour ${serviceOf(target).id}`;
const editedName = (target: Person) => `Service Matrice modifié ${serviceOf(target).id}`;

const DIRECTORY_ROWS: MatrixRow[] = [
  directoryRow({
    // The list, searched by a word of the target's service: editors find any organization's.
    route: '/staff/directory',
    handler: 'load',
    request: (target) => ({ method: 'GET', path: `/staff/directory?q=${serviceOf(target).word}` }),
    marker: (target) => `href="${servicePath(target)}"`,
    answers: roles(
      DIRECTORY_EDITORS,
      { own: { status: 200, shows: true }, colleague: { status: 200, shows: true }, other_organization: { status: 200, shows: true }, missing: { status: 200, shows: false } },
      PAGES_FORBIDDEN
    )
  }),
  directoryRow({
    route: '/staff/directory/new',
    handler: 'load',
    request: () => ({ method: 'GET', path: '/staff/directory/new' }),
    answers: roles(DIRECTORY_EDITORS, { own: { status: 200 }, colleague: { status: 200 }, other_organization: { status: 200 }, missing: { status: 200 } }, PAGES_FORBIDDEN)
  }),
  directoryRow({
    // Creating a service names no existing one: "changed" = the service she posted now exists.
    route: '/staff/directory/new',
    handler: 'action:default',
    request: (target) => ({ method: 'POST', path: '/staff/directory/new', form: serviceForm(createdName(target), '0') }),
    answers: roles(
      DIRECTORY_EDITORS,
      { own: { status: 303, changed: true }, colleague: { status: 303, changed: true }, other_organization: { status: 303, changed: true }, missing: { status: 303, changed: true } },
      ALL_FORBIDDEN
    ),
    changed: (world, target) => world.serviceNamed(createdName(target))
  }),
  directoryRow({
    route: '/staff/directory/[id]',
    handler: 'load',
    request: (target) => ({ method: 'GET', path: servicePath(target) }),
    answers: directoryAnswers({ status: 200 })
  }),
  directoryRow({
    // The form as filled from version 1 (the service's only version so far).
    route: '/staff/directory/[id]',
    handler: 'action:save',
    request: (target) => ({ method: 'POST', path: servicePath(target, '?/save'), form: serviceForm(editedName(target), '1') }),
    answers: directoryAnswers({ status: 303, changed: true }),
    changed: async (world, target) => (await world.service(target))?.texts.fr?.name === editedName(target)
  }),
  directoryRow({
    route: '/staff/directory/[id]',
    handler: 'action:verify',
    request: (target) => ({ method: 'POST', path: servicePath(target, '?/verify'), form: {} }),
    answers: directoryAnswers({ status: 303, changed: true }),
    changed: async (world, target) => Boolean((await world.service(target))?.lastVerifiedAt)
  }),
  directoryRow({
    route: '/staff/directory/[id]',
    handler: 'action:full',
    request: (target) => ({ method: 'POST', path: servicePath(target, '?/full'), form: {} }),
    answers: directoryAnswers({ status: 303, changed: true }),
    changed: (world, target) => world.serviceNoticed(target)
  }),
  directoryRow({
    route: '/staff/directory/[id]',
    handler: 'action:closure',
    request: (target) => {
      const today = parisDateKey(new Date());
      return { method: 'POST', path: servicePath(target, '?/closure'), form: { closure_from: today, closure_to: addParisDays(today, 2), closure_reason: 'Matrice' } };
    },
    answers: directoryAnswers({ status: 303, changed: true }),
    changed: async (world, target) => ((await world.service(target))?.hours?.closures ?? []).length > 0
  }),
  directoryRow({
    // Who changed what: a colleague by address, someone of another organization by role only.
    route: '/staff/directory/[id]/history',
    handler: 'load',
    request: (target) => ({ method: 'GET', path: servicePath(target, '/history') }),
    answers: roles(
      DIRECTORY_EDITORS,
      { own: { status: 200, shows: true }, colleague: { status: 200, shows: true }, other_organization: { status: 200, shows: false }, missing: PAGE_NOT_FOUND },
      PAGES_FORBIDDEN
    )
  }),
  directoryRow({
    route: '/staff/directory/[id]/delete',
    handler: 'load',
    request: (target) => ({ method: 'GET', path: servicePath(target, '/delete') }),
    answers: directoryAnswers({ status: 200 })
  }),
  directoryRow({
    route: '/staff/directory/[id]/delete',
    handler: 'action:default',
    request: (target) => ({ method: 'POST', path: servicePath(target, '/delete'), form: {} }),
    answers: directoryAnswers({ status: 303, location: '/staff/directory?deleted=1', changed: true }),
    changed: async (world, target) => serviceOf(target).id.startsWith('matrix-service-') && (await world.service(target)) === null
  })
];

// Calendar feeds (issue 6): a helper creates or revokes her own, never anyone else's.
const FEED_ROWS: MatrixRow[] = [
  {
    route: '/staff',
    handler: 'action:createFeed',
    request: () => ({ method: 'POST', path: '/staff?/createFeed', form: {} }),
    answers: roles(
      CASE_ROLES,
      { own: { status: 200, changed: true }, colleague: { status: 200, changed: false }, other_organization: { status: 200, changed: false }, missing: { status: 200, changed: false } },
      ALL_FORBIDDEN
    ),
    noSession: TO_SIGN_IN,
    changed: async (world, target) => (await world.feeds(target)).live > 0
  },
  {
    // Everyone in the cell has a feed; only hers is revoked (she has none in the other cells: 400).
    route: '/staff',
    handler: 'action:revokeFeed',
    request: (target) => ({ method: 'POST', path: '/staff?/revokeFeed', form: { account: target.accountId } }),
    prepare: (world, target) => world.giveFeed(target),
    answers: roles(CASE_ROLES, { own: { status: 200, changed: true }, colleague: NOT_FOUND_FORM, other_organization: NOT_FOUND_FORM, missing: NOT_FOUND_FORM }, ALL_FORBIDDEN),
    noSession: TO_SIGN_IN,
    changed: async (world, target) => (await world.feeds(target)).revoked > 0
  }
];

/**
 * Her rights (documents, export, erasure, closing, retention). The matrix's accounts have no
 * password: the export and the erasure, which ask for one, answer 400 on her own record and
 * change nothing; their success is tested in rights.db.test.ts and her-rights.e2e.ts.
 */
function rightsRows(): MatrixRow[] {
  const EXPORT_ROLES: readonly Role[] = ['coordinator', 'social_worker'];
  const CONFIRM = { password: 'not her password', code: '123456' };
  return [
    caseRow({
      // Her documents (audited as a view of her record).
      route: '/staff/people/[id]/documents',
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${recordPath(target)}/documents` }),
      marker: () => 'matrix.pdf',
      answers: roles(CASE_ROLES, onlyOwnPage({ status: 200, shows: true }), PAGES_FORBIDDEN)
    }),
    caseRow({
      // Without a file (the matrix sends no multipart): "choose a file" on her record only.
      route: '/staff/people/[id]/documents',
      handler: 'action:upload',
      request: (target) => ({ method: 'POST', path: `${recordPath(target)}/documents?/upload`, form: { file: 'not a file' } }),
      answers: roles(CASE_ROLES, onlyOwn({ status: 400, changed: false }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.caseRows(target, 'case_document')) > 1
    }),
    caseRow({
      route: '/staff/people/[id]/documents',
      handler: 'action:remove',
      request: (target) => ({ method: 'POST', path: `${recordPath(target)}/documents?/remove`, form: { document: caseOf(target).documentId } }),
      answers: roles(CASE_ROLES, onlyOwn({ status: 303, changed: true }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.audited(target, 'document.delete', caseOf(target).documentId)) > 0
    }),
    caseRow({
      // The download: an attachment, audited.
      route: '/staff/people/[id]/documents/[documentId]',
      handler: 'GET',
      request: (target) => ({ method: 'GET', path: `${recordPath(target)}/documents/${caseOf(target).documentId}` }),
      marker: () => MATRIX_DOCUMENT,
      answers: roles(CASE_ROLES, onlyOwn({ status: 200, shows: true, changed: true }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.audited(target, 'document.download', caseOf(target).documentId)) > 0
    }),
    caseRow({
      route: '/staff/people/[id]/export',
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${recordPath(target)}/export` }),
      marker: (target) => caseOf(target).pseudonym,
      answers: roles(EXPORT_ROLES, onlyOwnPage({ status: 200, shows: true }), PAGES_FORBIDDEN)
    }),
    caseRow({
      route: '/staff/people/[id]/export',
      handler: 'action:default',
      request: (target) => ({ method: 'POST', path: `${recordPath(target)}/export`, form: CONFIRM }),
      answers: roles(EXPORT_ROLES, onlyOwn({ status: 400, changed: false }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.audited(target, 'person.export', caseOf(target).id)) > 0
    }),
    caseRow({
      // The JSON file: a failed proof goes back to the export page.
      route: '/staff/people/[id]/export/json',
      handler: 'POST',
      request: (target) => ({ method: 'POST', path: `${recordPath(target)}/export/json`, form: CONFIRM }),
      answers: roles(EXPORT_ROLES, onlyOwn({ status: 303, changed: false }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.audited(target, 'person.export', caseOf(target).id)) > 0
    }),
    caseRow({
      route: '/staff/people/[id]/erase',
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${recordPath(target)}/erase` }),
      marker: (target) => caseOf(target).pseudonym,
      answers: roles(['coordinator'], onlyOwnPage({ status: 200, shows: true }), PAGES_FORBIDDEN)
    }),
    caseRow({
      route: '/staff/people/[id]/erase',
      handler: 'action:default',
      request: (target) => ({ method: 'POST', path: `${recordPath(target)}/erase`, form: { understood: 'on', ...CONFIRM } }),
      answers: roles(['coordinator'], onlyOwn({ status: 400, changed: false }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.audited(target, 'person.erase', caseOf(target).id)) > 0
    }),
    caseRow({
      // Closing: coordinators and social workers; peer helpers and lawyers may read, not close.
      route: '/staff/people/[id]',
      handler: 'action:close',
      request: (target) => ({ method: 'POST', path: `${recordPath(target)}?/close`, form: { reason: 'completed' } }),
      answers: roles(EXPORT_ROLES, onlyOwn({ status: 200, changed: true }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.audited(target, 'person.close', caseOf(target).id)) > 0
    }),
    caseRow({
      // What will be purged next month: coordinators only (none of these records is closed).
      route: '/staff/retention',
      handler: 'load',
      request: () => ({ method: 'GET', path: '/staff/retention' }),
      marker: (target) => caseOf(target).pseudonym,
      answers: roles(['coordinator'], { own: { status: 200, shows: false }, colleague: { status: 200, shows: false }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } }, PAGES_FORBIDDEN)
    })
  ];
}

/**
 * Appointments (issue 6): on her record like its other parts (roles that read records, on
 * the people assigned to them), and the week view, which lists only theirs.
 */
function appointmentRows(): MatrixRow[] {
  return [
    caseRow({
      // Her helper (the actor, on her own record) goes with her, today late in the evening.
      route: '/staff/people/[id]',
      handler: 'action:addAppointment',
      request: (target) => ({
        method: 'POST',
        path: `${recordPath(target)}?/addAppointment`,
        form: { appointment_date: parisDateKey(new Date()), appointment_time: '23:30', duration: '', place: 'Matrix new place', purpose: '', attendee: target.accountId }
      }),
      answers: roles(CASE_ROLES, onlyOwn({ status: 303, changed: true }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.caseRows(target, 'case_appointment')) > 1
    }),
    caseRow({
      route: '/staff/people/[id]',
      handler: 'action:cancelAppointment',
      request: (target) => ({ method: 'POST', path: `${recordPath(target)}?/cancelAppointment`, form: { appointment: caseOf(target).appointmentId } }),
      answers: roles(CASE_ROLES, onlyOwn({ status: 303, changed: true }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.audited(target, 'appointment.cancel', caseOf(target).appointmentId)) > 0
    }),
    caseRow({
      // The week of her appointment: a link to her record only if she is hers.
      route: '/staff/week',
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `/staff/week?week=${caseOf(target).appointmentWeek}` }),
      marker: (target) => `href="${recordPath(target)}#appointments"`,
      answers: roles(
        CASE_ROLES,
        { own: { status: 200, shows: true }, colleague: { status: 200, shows: false }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } },
        PAGES_FORBIDDEN
      )
    })
  ];
}


// ---- Participation: members, workshops, training, pay (issue 7, p7-members) --------------
// Facilitators (admin, coordinator) manage members, workshops, training and pay; members
// (role member, in the group) see their own pages. `prepare` gives the person a request
// names her participation records (World.participationOf): a record of another
// organization, or of nobody, is "not found" (404), like the case tracker's.
const FACILITATE: readonly Role[] = ['admin', 'coordinator'];
const MEMBER: readonly Role[] = ['member'];
const P_NOT_FOUND: Expected = { status: 404, changed: false };
const pOwnOrColleague = (yes: Expected): Record<Subject, Expected> => {
  const no = yes.changed === undefined ? { status: 404 } : P_NOT_FOUND;
  return { own: yes, colleague: yes, other_organization: no, missing: no };
};
const pEvery = (yes: Expected): Record<Subject, Expected> => ({ own: yes, colleague: yes, other_organization: yes, missing: yes });
const pPage = (ok: Record<Subject, Expected>, allowed: readonly Role[] = FACILITATE) => roles(allowed, ok, ALL_PAGE_FORBIDDEN);
/** A refused action: checked unchanged when the row knows how to look (its `changed`). */
const pAction = (ok: Record<Subject, Expected>, allowed: readonly Role[] = FACILITATE) =>
  roles(allowed, ok, Object.values(ok).some((e) => e.changed !== undefined) ? ALL_FORBIDDEN : ALL_PAGE_FORBIDDEN);
const rec = (target: Person) => {
  if (!target.participation) throw new Error('a participation row without its prepare');
  return target.participation;
};
const pRow = (row: Omit<MatrixRow, 'noSession'>): MatrixRow => ({ noSession: TO_SIGN_IN, ...row });
const prepared = (options: { completed?: boolean; attended?: boolean } = {}) => async (world: World, target: Person) => {
  await world.participationOf(target, options);
};
const shown = (target: Person) => rec(target).pseudonym;
const PAGE_SHOWS: Record<Subject, Expected> = { own: { status: 200, shows: true }, colleague: { status: 200, shows: true }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } };

const PARTICIPATION_MEMBERS_ROWS: MatrixRow[] = [
  pRow({
    // The group's members, by pseudonym: her organization's, nobody else's.
    route: '/staff/members',
    handler: 'load',
    prepare: prepared(),
    request: () => ({ method: 'GET', path: '/staff/members' }),
    marker: shown,
    answers: pPage(PAGE_SHOWS)
  }),
  pRow({
    // Enrols someone new in person (names no record).
    route: '/staff/members',
    handler: 'action:enrol',
    request: () => ({ method: 'POST', path: '/staff/members?/enrol', form: { pseudonym: `Nouvelle ${randomBytes(5).toString('hex')}`, language: 'pcm' } }),
    answers: pAction(pEvery({ status: 200 }))
  }),
  pRow({
    // A one-time sign-in code for a member of her organization.
    route: '/staff/members',
    handler: 'action:code',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: '/staff/members?/code', form: { account: target.accountId } }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => (await world.participationRows(target, 'sign_in_code')) > 0
  }),
  pRow({
    // Invites an address as a member: one that has an account here already is refused.
    route: '/staff/members',
    handler: 'action:invite',
    request: (target) => ({ method: 'POST', path: '/staff/members?/invite', form: { email: target.email } }),
    answers: pAction({ own: { status: 409, changed: false }, colleague: { status: 409, changed: false }, other_organization: { status: 200, changed: true }, missing: { status: 200, changed: true } }),
    changed: async (world, target) => (await world.invitationsFor(target.email)) > 0
  }),
  pRow({
    // A pseudonym for a member account that accepted an invitation: these accounts are not
    // `member` accounts, or already in the group, or elsewhere: "not found" for all.
    route: '/staff/members',
    handler: 'action:enrolAccount',
    request: (target) => ({ method: 'POST', path: '/staff/members?/enrolAccount', form: { account: target.accountId, pseudonym: `Autre ${randomBytes(5).toString('hex')}`, language: 'fr' } }),
    answers: pAction(pEvery({ status: 404 }))
  }),
  pRow({
    route: '/staff/members',
    handler: 'action:leave',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: '/staff/members?/leave', form: { account: target.accountId } }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => (await world.participationRows(target, 'left')) > 0
  }),
  pRow({
    // Acting on her behalf: a session of her account, a proxy row, then her home.
    route: '/staff/members',
    handler: 'action:proxy',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: '/staff/members?/proxy', form: { account: target.accountId, reason: 'Raison de la matrice', minutes: '10' } }),
    answers: pAction(pOwnOrColleague({ status: 303, location: '/staff/participate', changed: true })),
    changed: async (world, target) => (await world.participationRows(target, 'proxy')) > 0
  }),
  pRow({
    route: '/staff/training',
    handler: 'load',
    request: () => ({ method: 'GET', path: '/staff/training' }),
    answers: pPage(pEvery({ status: 200 }))
  }),
  pRow({
    route: '/staff/training',
    handler: 'action:create',
    request: () => ({ method: 'POST', path: '/staff/training?/create', form: { title: 'Module', content: 'Texte', duration: '30', language: 'fr' } }),
    answers: pAction(pEvery({ status: 303 }))
  }),
  pRow({
    route: '/staff/training/[id]',
    handler: 'load',
    prepare: prepared(),
    request: (target) => ({ method: 'GET', path: `/staff/training/${rec(target).moduleId}` }),
    marker: shown,
    answers: pPage({ own: { status: 200, shows: true }, colleague: { status: 200, shows: true }, other_organization: { status: 404 }, missing: { status: 404 } })
  }),
  pRow({
    route: '/staff/training/[id]',
    handler: 'action:complete',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: `/staff/training/${rec(target).moduleId}?/complete`, form: { account: target.accountId } }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => (await world.participationRows(target, 'completion')) > 0
  }),
  pRow({
    route: '/staff/training/[id]',
    handler: 'action:uncomplete',
    prepare: prepared({ completed: true }),
    request: (target) => ({ method: 'POST', path: `/staff/training/${rec(target).moduleId}?/uncomplete`, form: { account: target.accountId } }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => world.knows(target) && (await world.participationRows(target, 'completion')) === 0
  }),
  pRow({
    route: '/staff/workshops',
    handler: 'load',
    request: () => ({ method: 'GET', path: '/staff/workshops' }),
    answers: pPage(pEvery({ status: 200 }))
  }),
  pRow({
    route: '/staff/workshops',
    handler: 'action:create',
    request: () => ({ method: 'POST', path: '/staff/workshops?/create', form: { title: 'Atelier', starts_at: '2026-12-03T14:30', duration: '90', place: 'Salle', format: 'debate' } }),
    answers: pAction(pEvery({ status: 200 }))
  }),
  pRow({
    route: '/staff/workshops/[id]',
    handler: 'load',
    prepare: prepared(),
    request: (target) => ({ method: 'GET', path: `/staff/workshops/${rec(target).workshopId}` }),
    marker: shown,
    answers: pPage({ own: { status: 200, shows: true }, colleague: { status: 200, shows: true }, other_organization: { status: 404 }, missing: { status: 404 } })
  }),
  pRow({
    route: '/staff/workshops/[id]',
    handler: 'action:code',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: `/staff/workshops/${rec(target).workshopId}?/code`, form: {} }),
    answers: pAction(pOwnOrColleague({ status: 200 }))
  }),
  pRow({
    route: '/staff/workshops/[id]',
    handler: 'action:present',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: `/staff/workshops/${rec(target).workshopId}?/present`, form: { account: target.accountId } }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => (await world.participationRows(target, 'attendance')) > 0
  }),
  pRow({
    route: '/staff/workshops/[id]',
    handler: 'action:absent',
    prepare: prepared({ attended: true }),
    request: (target) => ({ method: 'POST', path: `/staff/workshops/${rec(target).workshopId}?/absent`, form: { account: target.accountId } }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => world.knows(target) && (await world.participationRows(target, 'attendance')) === 0
  }),
  pRow({
    route: '/staff/workshops/[id]',
    handler: 'action:minutes',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: `/staff/workshops/${rec(target).workshopId}?/minutes`, form: { minutes: 'Compte rendu de la matrice' } }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => (await world.participationRows(target, 'minutes')) > 0
  }),
  pRow({
    route: '/staff/workshops/[id]',
    handler: 'action:cancel',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: `/staff/workshops/${rec(target).workshopId}?/cancel`, form: {} }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => (await world.participationRows(target, 'cancelled')) > 0
  }),
  pRow({
    // The pay table, by pseudonym: her organization's members only.
    route: '/staff/pay',
    handler: 'load',
    prepare: prepared(),
    request: () => ({ method: 'GET', path: '/staff/pay' }),
    marker: shown,
    answers: pPage(PAGE_SHOWS)
  }),
  pRow({
    route: '/staff/pay',
    handler: 'action:rate',
    request: () => ({ method: 'POST', path: '/staff/pay?/rate', form: { rate: '12,50' } }),
    answers: pAction(pEvery({ status: 200 }))
  }),
  pRow({
    route: '/staff/pay',
    handler: 'action:review',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: '/staff/pay?/review', form: { account: target.accountId, worked_on: '2026-12-01', minutes: '45' } }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => (await world.participationRows(target, 'pay_entry')) > 0
  }),
  pRow({
    route: '/staff/pay',
    handler: 'action:payment',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: '/staff/pay?/payment', form: { account: target.accountId, amount: '10', paid_on: '2026-12-01', method: 'cash' } }),
    answers: pAction(pOwnOrColleague({ status: 200, changed: true })),
    changed: async (world, target) => (await world.participationRows(target, 'payment')) > 0
  }),
  pRow({
    // The bookkeeping CSV: her organization's members only.
    route: '/staff/pay/export.csv',
    handler: 'GET',
    prepare: prepared(),
    request: () => ({ method: 'GET', path: '/staff/pay/export.csv' }),
    marker: shown,
    answers: pPage(PAGE_SHOWS)
  }),
  pRow({
    // Her home (members only): greets her by her pseudonym, nobody else's.
    route: '/staff/participate',
    handler: 'load',
    prepare: prepared(),
    request: () => ({ method: 'GET', path: '/staff/participate' }),
    marker: shown,
    answers: pPage({ own: { status: 200, shows: true }, colleague: { status: 200, shows: false }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } }, MEMBER)
  }),
  pRow({
    // Ending a proxy from a session that is not one: back home, nothing changes.
    route: '/staff/participate',
    handler: 'action:endProxy',
    prepare: prepared(),
    request: () => ({ method: 'POST', path: '/staff/participate?/endProxy', form: {} }),
    answers: pAction(pEvery({ status: 303, location: '/staff/participate' }), MEMBER)
  }),
  pRow({
    route: '/staff/participate/check-in',
    handler: 'load',
    prepare: prepared(),
    request: () => ({ method: 'GET', path: '/staff/participate/check-in' }),
    answers: pPage(pEvery({ status: 200 }), MEMBER)
  }),
  pRow({
    // The door code of a workshop of her organization works; another organization's does not (400).
    route: '/staff/participate/check-in',
    handler: 'action:default',
    prepare: prepared(),
    request: (target) => ({ method: 'POST', path: '/staff/participate/check-in', form: { code: rec(target).doorCode } }),
    answers: pAction({ own: { status: 200, changed: true }, colleague: { status: 200, changed: true }, other_organization: { status: 400, changed: false }, missing: { status: 400, changed: false } }, MEMBER),
    changed: async (world, target) => (await world.participationRows(target, 'attendance')) > 0
  }),
  pRow({
    route: '/staff/participate/training/[id]',
    handler: 'load',
    prepare: prepared(),
    request: (target) => ({ method: 'GET', path: `/staff/participate/training/${rec(target).moduleId}` }),
    answers: pPage({ own: { status: 200 }, colleague: { status: 200 }, other_organization: { status: 404 }, missing: { status: 404 } }, MEMBER)
  })
];
/**
 * Consultations and contributions (issue 7). Facilitators (admins, coordinators) reach every
 * consultation of their organization — hers and a colleague's alike — and another
 * organization's is "not found". Members take part in their organization's consultations.
 * Her own contributions are hers by the author key in her browser's cookie, which the
 * matrix's requests do not carry: every contribution the matrix names (a facilitator's
 * transcription, with no author tag) is "not found" to a member, her own included; her own
 * are tested in contribution.service.db.test.ts and contributions.e2e.ts.
 */
const FACILITATOR_ROLES: readonly Role[] = ['admin', 'coordinator'];
const MEMBER_ROLES: readonly Role[] = ['member'];
const consultationRec = (target: Person) => {
  if (!target.consultation) throw new Error('a consultation row without a consultation');
  return target.consultation;
};
const consultationPath = (target: Person, rest = '') => `/staff/consultations/${consultationRec(target).consultationId}${rest}`;
const participatePath = (target: Person, rest = '') => `/staff/participate/${consultationRec(target).consultationId}${rest}`;
const participationRow = (row: Omit<MatrixRow, 'consultation' | 'noSession'>): MatrixRow => ({ consultation: true, noSession: TO_SIGN_IN, ...row });
/** Her organization's (hers or a colleague's): `found`; another's or none: 404. */
const inOrganization = (found: Expected): Record<Subject, Expected> => {
  const missing = found.changed === undefined ? PAGE_NOT_FOUND : NOT_FOUND;
  return { own: found, colleague: found, other_organization: missing, missing };
};
const ALL_NOT_FOUND: Record<Subject, Expected> = { own: NOT_FOUND, colleague: NOT_FOUND, other_organization: NOT_FOUND, missing: NOT_FOUND };

function participationRows(): MatrixRow[] {
  const facilitate = (found: Expected) => roles(FACILITATOR_ROLES, inOrganization(found), found.changed === undefined ? PAGES_FORBIDDEN : ALL_FORBIDDEN);
  return [
    participationRow({
      route: '/staff/consultations',
      handler: 'load',
      request: () => ({ method: 'GET', path: '/staff/consultations' }),
      marker: (target) => `href="${consultationPath(target)}"`,
      answers: roles(
        FACILITATOR_ROLES,
        { own: { status: 200, shows: true }, colleague: { status: 200, shows: true }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } },
        PAGES_FORBIDDEN
      )
    }),
    participationRow({
      route: '/staff/consultations/new',
      handler: 'load',
      request: () => ({ method: 'GET', path: '/staff/consultations/new' }),
      answers: roles(FACILITATOR_ROLES, { own: { status: 200 }, colleague: { status: 200 }, other_organization: { status: 200 }, missing: { status: 200 } }, PAGES_FORBIDDEN)
    }),
    participationRow({
      // Creating one names no existing record: "changed" = the consultation she posted exists.
      route: '/staff/consultations/new',
      handler: 'action:default',
      request: (target) => ({ method: 'POST', path: '/staff/consultations/new', form: { requester: 'Matrix', title: `Created for ${target.accountId}`, language: 'en', questions: '1. Matrix?' } }),
      answers: roles(
        FACILITATOR_ROLES,
        { own: { status: 303, changed: true }, colleague: { status: 303, changed: true }, other_organization: { status: 303, changed: true }, missing: { status: 303, changed: true } },
        ALL_FORBIDDEN
      ),
      changed: (world, target) => world.consultationTitled(`Created for ${target.accountId}`)
    }),
    participationRow({
      route: '/staff/consultations/[id]',
      handler: 'load',
      request: (target) => ({ method: 'GET', path: consultationPath(target) }),
      marker: (target) => consultationRec(target).title,
      answers: facilitate({ status: 200, shows: true })
    }),
    participationRow({
      route: '/staff/consultations/[id]',
      handler: 'action:details',
      request: (target) => ({ method: 'POST', path: consultationPath(target, '?/details'), form: { requester: 'Matrix', title: `Edited ${consultationRec(target).consultationId}`, language: 'en' } }),
      answers: facilitate({ status: 303, changed: true }),
      changed: async (world, target) => (await world.consultation(target))?.title === `Edited ${consultationRec(target).consultationId}`
    }),
    participationRow({
      route: '/staff/consultations/[id]',
      handler: 'action:choose',
      request: (target) => ({ method: 'POST', path: consultationPath(target, '?/choose'), form: { question: consultationRec(target).otherQuestionId, chosen: '1' } }),
      answers: facilitate({ status: 303, changed: true }),
      changed: async (world, target) => Boolean((await world.consultation(target))?.questions.find((q) => q.id === consultationRec(target).otherQuestionId)?.chosen)
    }),
    participationRow({
      route: '/staff/consultations/[id]',
      handler: 'action:questions',
      request: (target) => ({ method: 'POST', path: consultationPath(target, '?/questions'), form: { questions: '99. Matrix added?' } }),
      answers: facilitate({ status: 303, changed: true }),
      changed: async (world, target) => ((await world.consultation(target))?.questions.length ?? 0) > 2
    }),
    participationRow({
      // Collect is closed first: the next phase may open.
      route: '/staff/consultations/[id]',
      handler: 'action:open',
      prepare: (world, target) => world.closeCollect(target),
      request: (target) => ({ method: 'POST', path: consultationPath(target, '?/open'), form: { phase: 'group' } }),
      answers: facilitate({ status: 303, changed: true }),
      changed: async (world, target) => (await world.consultation(target))?.phase === 'group'
    }),
    participationRow({
      route: '/staff/consultations/[id]',
      handler: 'action:close',
      request: (target) => ({ method: 'POST', path: consultationPath(target, '?/close'), form: { phase: 'collect' } }),
      answers: facilitate({ status: 303, changed: true }),
      changed: async (world, target) => {
        const consultation = await world.consultation(target);
        return consultation !== null && consultation.phase === null;
      }
    }),
    participationRow({
      // Every contribution's text, no author.
      route: '/staff/consultations/[id]/contributions',
      handler: 'load',
      request: (target) => ({ method: 'GET', path: consultationPath(target, '/contributions') }),
      marker: (target) => consultationRec(target).contributionText,
      answers: facilitate({ status: 200, shows: true })
    }),
    participationRow({
      route: '/staff/consultations/[id]/contributions',
      handler: 'action:transcribe',
      request: (target) => ({ method: 'POST', path: consultationPath(target, '/contributions?/transcribe'), form: { question: consultationRec(target).questionId, language: 'fr', text: 'Matrix transcription', content_note: '', consent: 'internal' } }),
      answers: facilitate({ status: 303, changed: true }),
      changed: async (world, target) => (await world.contributions(target)).filter((c) => c.source === 'facilitator').length > 1
    }),
    participationRow({
      route: '/staff/consultations/[id]/contributions',
      handler: 'action:batch',
      request: (target) => ({
        method: 'POST',
        path: consultationPath(target, '/contributions?/batch'),
        form: { workshop: consultationRec(target).workshopId, present_count: '6', batch_question: consultationRec(target).questionId, batch_language: 'fr', batch_consent: 'internal', lines: 'Matrix line one\nMatrix line two' }
      }),
      answers: facilitate({ status: 303, changed: true }),
      changed: async (world, target) => (await world.contributions(target)).filter((c) => c.source === 'workshop').length > 1
    }),
    participationRow({
      route: '/staff/consultations/[id]/contributions',
      handler: 'action:withdraw',
      request: (target) => ({ method: 'POST', path: consultationPath(target, '/contributions?/withdraw'), form: { contribution: consultationRec(target).contributionId } }),
      answers: facilitate({ status: 303, changed: true }),
      changed: async (world, target) => (await world.contributions(target)).some((c) => c.id === consultationRec(target).contributionId && c.status === 'withdrawn')
    }),
    participationRow({
      route: '/staff/consultations/[id]/contributions',
      handler: 'action:translate',
      request: (target) => ({ method: 'POST', path: consultationPath(target, '/contributions?/translate'), form: { contribution: consultationRec(target).contributionId, translation: 'Matrix translation', translation_language: 'fr' } }),
      answers: facilitate({ status: 303, changed: true }),
      changed: async (world, target) => (await world.contributions(target)).some((c) => c.id === consultationRec(target).contributionId && c.translation_by === 'facilitator')
    }),
    participationRow({
      // The recording, decrypted (no-store).
      route: '/staff/consultations/[id]/contributions/[contributionId]/audio',
      handler: 'GET',
      request: (target) => ({ method: 'GET', path: consultationPath(target, `/contributions/${consultationRec(target).contributionId}/audio`) }),
      marker: () => MATRIX_AUDIO,
      answers: roles(FACILITATOR_ROLES, inOrganization({ status: 200, shows: true }), PAGES_FORBIDDEN)
    }),
    participationRow({
      // Her page of a consultation of her organization (the participate layout: members of the group only).
      route: '/staff/participate/[consultationId]',
      handler: 'load',
      request: (target) => ({ method: 'GET', path: participatePath(target) }),
      marker: (target) => consultationRec(target).title,
      answers: roles(MEMBER_ROLES, inOrganization({ status: 200, shows: true }), PAGES_FORBIDDEN)
    }),
    participationRow({
      // An answer to the chosen question, sent: a new contribution in that consultation.
      route: '/staff/participate/[consultationId]',
      handler: 'action:write',
      request: (target) => ({ method: 'POST', path: participatePath(target, '?/write'), form: { question: consultationRec(target).questionId, text: 'Matrix answer', language: 'fr', consent: 'internal', intent: 'send' } }),
      answers: roles(MEMBER_ROLES, inOrganization({ status: 303, changed: true }), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.contributions(target)).some((c) => c.source === 'member')
    }),
    ...(['consent', 'translate', 'withdraw'] as const).map((action) =>
      participationRow({
        // A contribution that is not hers by her key (the matrix carries no author cookie): not found.
        route: '/staff/participate/[consultationId]',
        handler: `action:${action}`,
        request: (target) => ({ method: 'POST', path: participatePath(target, `?/${action}`), form: { contribution: consultationRec(target).contributionId, consent: 'quote', translation: 'Matrix', translation_language: 'fr', erase: 'on' } }),
        answers: roles(MEMBER_ROLES, ALL_NOT_FOUND, ALL_FORBIDDEN),
        changed: async (world, target) => {
          const row = (await world.contributions(target)).find((c) => c.id === consultationRec(target).contributionId);
          return row !== undefined && (row.consent !== 'internal' || row.translation_by !== null || row.status !== 'submitted');
        }
      })
    ),
    participationRow({
      // A line of a workshop she attended (her own consultation's): she confirms it; others' are not found.
      route: '/staff/participate/[consultationId]',
      handler: 'action:confirm',
      request: (target) => ({ method: 'POST', path: participatePath(target, '?/confirm'), form: { contribution: consultationRec(target).lineId, verdict: 'confirmed' } }),
      answers: roles(MEMBER_ROLES, { own: { status: 303, changed: true }, colleague: NOT_FOUND, other_organization: NOT_FOUND, missing: NOT_FOUND }, ALL_FORBIDDEN),
      changed: async (world, target) => (await world.confirmations(target)) > 0
    }),
    participationRow({
      // Her own recording only: a recording that is not hers by her key is not found.
      route: '/staff/participate/[consultationId]/audio/[contributionId]',
      handler: 'GET',
      request: (target) => ({ method: 'GET', path: participatePath(target, `/audio/${consultationRec(target).contributionId}`) }),
      marker: () => MATRIX_AUDIO,
      answers: roles(MEMBER_ROLES, { own: { status: 404, shows: false }, colleague: { status: 404, shows: false }, other_organization: { status: 404, shows: false }, missing: { status: 404, shows: false } }, PAGES_FORBIDDEN)
    })
  ];
}
// ---- Deliberation (issue 7): themes, statements, recommendations, the submission ----------
/**
 * Facilitators (admin, coordinator: participation.facilitate) work on any consultation of
 * their organization; members (participation.take_part) vote on any consultation of theirs.
 * A consultation is the organization's, not a person's: a colleague's is answered like her
 * own; another organization's like one that does not exist (404). Every other role: 403.
 * Each request gets a fresh consultation (`prepare`), its title or statement as the marker.
 */
const FACILITATORS: readonly Role[] = ['admin', 'coordinator'];
const MEMBERS: readonly Role[] = ['member'];
const delib = (target: Person) => {
  if (!target.deliberation) throw new Error('a deliberation row without its consultation');
  return target.deliberation;
};
const delibConsultationPath = (target: Person) => `/staff/consultations/${delib(target).consultationId}`;
const delibParticipatePath = (target: Person) => `/staff/participate/${delib(target).consultationId}`;
const orgWide = (yes: Expected, no: Expected): Record<Subject, Expected> => ({ own: yes, colleague: yes, other_organization: no, missing: no });
const PAGE_SHOWN = orgWide({ status: 200, shows: true }, PAGE_NOT_FOUND);
const deliberationRow = (row: Omit<MatrixRow, 'noSession'>): MatrixRow => ({
  noSession: TO_SIGN_IN,
  prepare: async (world, target) => void (await world.deliberationOf(target)),
  ...row
});
const facilitatorAction = (route: string, action: string, form: (target: Person) => Record<string, string>, ok: Expected = { status: 200, changed: true }, changed?: MatrixRow['changed']): MatrixRow =>
  deliberationRow({
    route,
    handler: `action:${action}`,
    request: (target) => ({ method: 'POST', path: `${route.replace('/staff/consultations/[id]', delibConsultationPath(target))}?/${action}`, form: form(target) }),
    answers: roles(FACILITATORS, orgWide(ok, NOT_FOUND), ALL_FORBIDDEN),
    changed
  });

function deliberationRows(): MatrixRow[] {
  const themes = '/staff/consultations/[id]/themes';
  const statements = '/staff/consultations/[id]/statements';
  const recommendations = '/staff/consultations/[id]/recommendations';
  const submission = '/staff/consultations/[id]/submission';
  const audit = (action: string, id: (t: Person) => string) => async (world: World, target: Person) => (await world.audited(target, action, id(target))) > 0;
  return [
    deliberationRow({
      route: themes,
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${delibConsultationPath(target)}/themes` }),
      marker: (target) => delib(target).title,
      answers: roles(FACILITATORS, PAGE_SHOWN, PAGES_FORBIDDEN)
    }),
    facilitatorAction(themes, 'suggest', () => ({}), { status: 200, changed: true }, audit('theme.suggest', (t) => delib(t).consultationId)),
    facilitatorAction(themes, 'create', () => ({ title: 'Matrix new theme' }), { status: 200, changed: true }, async (world, t) => (await world.deliberationRows(t, 'theme')) > 1),
    facilitatorAction(themes, 'decide', (t) => ({ theme: delib(t).themeId, action: 'confirm', workshop: '' }), { status: 200, changed: true }, audit('theme.decide', (t) => delib(t).themeId)),
    facilitatorAction(themes, 'summarise', (t) => ({ theme: delib(t).themeId, summary: 'Matrix summary' }), { status: 200, changed: true }, audit('theme.summarise', (t) => delib(t).themeId)),
    facilitatorAction(themes, 'place', (t) => ({ contribution: delib(t).contributionId, to: delib(t).themeId, quoted: 'on' }), { status: 200, changed: true }, audit('theme.place', (t) => delib(t).themeId)),
    facilitatorAction(themes, 'map', (t) => ({ question: delib(t).questionId, themes: delib(t).themeId }), { status: 200, changed: true }, audit('theme.map', (t) => delib(t).questionId)),
    deliberationRow({
      route: statements,
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${delibConsultationPath(target)}/statements` }),
      marker: (target) => delib(target).statementText,
      answers: roles(FACILITATORS, PAGE_SHOWN, PAGES_FORBIDDEN)
    }),
    facilitatorAction(statements, 'propose', () => ({ text: 'Matrix proposed statement' }), { status: 200, changed: true }, async (world, t) => (await world.deliberationRows(t, 'statement')) > 1),
    facilitatorAction(statements, 'remove', (t) => ({ statement: delib(t).statementId }), { status: 200, changed: true }, audit('statement.remove', (t) => delib(t).statementId)),
    deliberationRow({
      route: recommendations,
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${delibConsultationPath(target)}/recommendations` }),
      marker: (target) => delib(target).statementText,
      answers: roles(FACILITATORS, PAGE_SHOWN, PAGES_FORBIDDEN)
    }),
    facilitatorAction(recommendations, 'draft', (t) => ({ text: 'Matrix recommendation draft', statements: delib(t).statementId }), { status: 200, changed: true }, async (world, t) => (await world.deliberationRows(t, 'recommendation')) > 1),
    facilitatorAction(recommendations, 'amend', (t) => ({ recommendation: delib(t).recommendationId, text: 'Matrix amended', note: '' }), { status: 200, changed: true }, audit('recommendation.amend', (t) => delib(t).recommendationId)),
    facilitatorAction(recommendations, 'stage', (t) => ({ recommendation: delib(t).recommendationId, stage: 'close_vote' }), { status: 200, changed: true }, audit('recommendation.close_vote', (t) => delib(t).recommendationId)),
    deliberationRow({
      route: submission,
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${delibConsultationPath(target)}/submission` }),
      marker: (target) => delib(target).title,
      answers: roles(FACILITATORS, PAGE_SHOWN, PAGES_FORBIDDEN)
    }),
    facilitatorAction(submission, 'settings', () => ({ presentation: 'Matrix presentation', do_not_publish: 'on' }), { status: 200, changed: true }, audit('submission.settings', (t) => delib(t).consultationId)),
    facilitatorAction(submission, 'submit', () => ({}), { status: 200, changed: true }, audit('submission.submit', (t) => delib(t).consultationId)),
    {
      ...facilitatorAction(submission, 'outcome', () => ({ outcome: 'Matrix outcome' }), { status: 200, changed: true }, audit('submission.outcome', (t) => delib(t).consultationId)),
      // Recording what happened needs a submission that was sent.
      prepare: async (world, target) => void (await world.deliberationOf(target, { submitted: true }))
    },
    deliberationRow({
      route: `${submission}/export`,
      handler: 'GET',
      request: (target) => ({ method: 'GET', path: `${delibConsultationPath(target)}/submission/export?file=docx&reviewed=on` }),
      answers: roles(FACILITATORS, orgWide({ status: 200, changed: true }, PAGE_NOT_FOUND), PAGES_FORBIDDEN),
      changed: audit('submission.export', (t) => delib(t).consultationId)
    }),
    deliberationRow({
      route: `${submission}/print`,
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${delibConsultationPath(target)}/submission/print` }),
      marker: (target) => delib(target).title,
      answers: roles(FACILITATORS, PAGE_SHOWN, PAGES_FORBIDDEN)
    }),
    // Her pages (members only, in her language): one statement per screen, adoption votes.
    deliberationRow({
      route: '/staff/participate/[consultationId]/vote',
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${delibParticipatePath(target)}/vote` }),
      marker: (target) => delib(target).statementText,
      answers: roles(MEMBERS, PAGE_SHOWN, PAGES_FORBIDDEN)
    }),
    deliberationRow({
      route: '/staff/participate/[consultationId]/vote',
      handler: 'action:vote',
      request: (target) => ({ method: 'POST', path: `${delibParticipatePath(target)}/vote?/vote`, form: { statement: delib(target).statementId, vote: 'agree', position: '1' } }),
      answers: roles(MEMBERS, orgWide({ status: 303, changed: true }, NOT_FOUND), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.deliberationVotes(target)) > 0
    }),
    deliberationRow({
      route: '/staff/participate/[consultationId]/vote',
      handler: 'action:propose',
      request: (target) => ({ method: 'POST', path: `${delibParticipatePath(target)}/vote?/propose`, form: { text: 'Matrix member statement' } }),
      answers: roles(MEMBERS, orgWide({ status: 200, changed: true }, NOT_FOUND), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.deliberationRows(target, 'statement')) > 1
    }),
    deliberationRow({
      route: '/staff/participate/[consultationId]/recommendations',
      handler: 'load',
      request: (target) => ({ method: 'GET', path: `${delibParticipatePath(target)}/recommendations` }),
      marker: (target) => delib(target).recommendationId,
      answers: roles(MEMBERS, PAGE_SHOWN, PAGES_FORBIDDEN)
    }),
    deliberationRow({
      route: '/staff/participate/[consultationId]/recommendations',
      handler: 'action:vote',
      // Members adopt recommendations while the write phase is open.
      prepare: async (world, target) => void (await world.deliberationOf(target, { phase: 'write' })),
      request: (target) => ({ method: 'POST', path: `${delibParticipatePath(target)}/recommendations?/vote`, form: { recommendation: delib(target).recommendationId, vote: 'agree', reason: '' } }),
      answers: roles(MEMBERS, orgWide({ status: 200, changed: true }, NOT_FOUND), ALL_FORBIDDEN),
      changed: async (world, target) => (await world.deliberationVotes(target)) > 0
    })
  ];
}
// ---- end of deliberation ---------------------------------------------------------------------

export const MATRIX: MatrixRow[] = [
  ...participationRows(),
  ...CASE_ROWS,
  ...deliberationRows(),
  ...DIRECTORY_ROWS,
  ...FEED_ROWS,
  ...PARTICIPATION_MEMBERS_ROWS,
  {
    // Her page: who she is, her sessions; for an admin, the organization's accounts.
    route: '/staff',
    handler: 'load',
    request: () => ({ method: 'GET', path: '/staff' }),
    answers: roles(
      ['admin'],
      { own: { status: 200, shows: true }, colleague: { status: 200, shows: true }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } },
      { own: { status: 200, shows: true }, colleague: { status: 200, shows: false }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } }
    ),
    noSession: TO_SIGN_IN
  },
  {
    // Ending one of her other sessions. Another account's session is "not found", even for
    // an admin (an admin ends anyone's with `endAnySession`).
    route: '/staff',
    handler: 'action:endSession',
    request: (target) => ({ method: 'POST', path: '/staff?/endSession', form: { session: target.spareSessionId } }),
    answers: everyRole({ own: { status: 200, changed: true }, colleague: NOT_FOUND_FORM, other_organization: NOT_FOUND_FORM, missing: NOT_FOUND_FORM }),
    noSession: TO_SIGN_IN,
    changed: (world, target) => world.sessionEnded(target, target.spareSessionId)
  },
  {
    // An admin disables an account of her organization (not her own).
    route: '/staff',
    handler: 'action:disable',
    request: (target) => ({ method: 'POST', path: '/staff?/disable', form: { account: target.accountId } }),
    answers: roles(['admin'], { own: SELF_REFUSED, colleague: { status: 200, changed: true }, other_organization: NOT_FOUND_FORM, missing: NOT_FOUND_FORM }, ALL_FORBIDDEN),
    noSession: TO_SIGN_IN,
    changed: (world, target) => world.accountDisabled(target)
  },
  {
    // An admin ends a session of anyone in her organization (her own spare one too).
    route: '/staff',
    handler: 'action:endAnySession',
    request: (target) => ({ method: 'POST', path: '/staff?/endAnySession', form: { account: target.accountId, session: target.spareSessionId } }),
    answers: roles(
      ['admin'],
      { own: { status: 200, changed: true }, colleague: { status: 200, changed: true }, other_organization: NOT_FOUND_FORM, missing: NOT_FOUND_FORM },
      ALL_FORBIDDEN
    ),
    noSession: TO_SIGN_IN,
    changed: (world, target) => world.sessionEnded(target, target.spareSessionId)
  },
  {
    // An admin invites an address to her organization. The address of someone who has an
    // account there already is refused; anyone else's (another organization's too: an
    // address may belong to several associations) gets an invitation in HER organization.
    route: '/staff',
    handler: 'action:invite',
    request: (target) => ({ method: 'POST', path: '/staff?/invite', form: { email: target.email, role: 'social_worker' } }),
    answers: roles(['admin'], { own: SELF_REFUSED, colleague: SELF_REFUSED, other_organization: { status: 200, changed: true }, missing: { status: 200, changed: true } }, ALL_FORBIDDEN),
    noSession: TO_SIGN_IN,
    changed: async (world, target) => (await world.invitationsFor(target.email)) > 0
  },
  {
    // An admin changes the role of another account of her organization (not her own). Her
    // session is fresh here; an old one is sent to /staff/confirm first (passkeys.e2e.ts).
    route: '/staff',
    handler: 'action:changeRole',
    request: (target) => ({ method: 'POST', path: '/staff?/changeRole', form: { account: target.accountId, role: 'observer' } }),
    answers: roles(['admin'], { own: SELF_REFUSED, colleague: { status: 200, changed: true }, other_organization: NOT_FOUND_FORM, missing: NOT_FOUND_FORM }, ALL_FORBIDDEN),
    noSession: TO_SIGN_IN,
    changed: (world, target) => world.roleChanged(target)
  },
  {
    // She removes one of her passkeys; anyone else's is "not found", even for an admin.
    route: '/staff',
    handler: 'action:removePasskey',
    request: (target) => ({ method: 'POST', path: '/staff?/removePasskey', form: { passkey: target.passkeyId } }),
    answers: everyRole({ own: { status: 200, changed: true }, colleague: NOT_FOUND_FORM, other_organization: NOT_FOUND_FORM, missing: NOT_FOUND_FORM }),
    noSession: TO_SIGN_IN,
    changed: (world, target) => world.passkeyRemoved(target)
  },
  {
    // Options to add a passkey to HER account: her email is in them, nobody else's.
    route: '/staff/passkeys',
    handler: 'POST',
    request: () => ({ method: 'POST', path: '/staff/passkeys', json: { step: 'options' } }),
    answers: everyRole({ own: { status: 200, shows: true }, colleague: { status: 200, shows: false }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } }),
    noSession: TO_SIGN_IN
  },
  {
    // The confirmation page (re-authentication): hers, whatever she asks for.
    route: '/staff/confirm',
    handler: 'load',
    request: (target) => ({ method: 'GET', path: `/staff/confirm?next=${encodeURIComponent(`/staff/audit?actor=${target.accountId}`)}` }),
    answers: everyRole({ own: { status: 200, shows: false }, colleague: { status: 200, shows: false }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } }),
    noSession: TO_SIGN_IN
  },
  {
    // Confirming with a password: these people have none (refused, nothing changes).
    route: '/staff/confirm',
    handler: 'action:default',
    throttled: true,
    request: (target) => ({ method: 'POST', path: '/staff/confirm', form: { password: `not the password of ${target.accountId}`, code: '123456', next: '/staff' } }),
    answers: everyRole({ own: { status: 400 }, colleague: { status: 400 }, other_organization: { status: 400 }, missing: { status: 400 } }),
    noSession: TO_SIGN_IN
  },
  {
    // Options to confirm with one of HER passkeys (no email in them).
    route: '/staff/confirm/passkey',
    handler: 'POST',
    throttled: true,
    request: () => ({ method: 'POST', path: '/staff/confirm/passkey', json: { step: 'options' } }),
    answers: everyRole({ own: { status: 200, shows: false }, colleague: { status: 200, shows: false }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } }),
    noSession: TO_SIGN_IN
  },
  {
    // The audit page, admins only: her organization's accounts, nobody else's.
    route: '/staff/audit',
    handler: 'load',
    request: (target) => ({ method: 'GET', path: `/staff/audit?actor=${target.accountId}` }),
    answers: roles(
      ['admin'],
      { own: { status: 200, shows: true }, colleague: { status: 200, shows: true }, other_organization: { status: 200, shows: false }, missing: { status: 200, shows: false } },
      ALL_PAGE_FORBIDDEN
    ),
    noSession: TO_SIGN_IN
  },
  {
    // Sign-out ends her session, and only hers, whatever the form names.
    route: '/staff/sign-out',
    handler: 'POST',
    request: (target) => ({ method: 'POST', path: '/staff/sign-out', form: { session: target.sessionId, account: target.accountId } }),
    answers: everyRole({
      own: { status: 303, location: '/sign-in', changed: true },
      colleague: { status: 303, location: '/sign-in', changed: false },
      other_organization: { status: 303, location: '/sign-in', changed: false },
      missing: { status: 303, location: '/sign-in', changed: false }
    }),
    noSession: TO_SIGN_IN,
    changed: (world, target) => world.sessionEnded(target, target.sessionId)
  }
];
