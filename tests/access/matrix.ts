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
import { ROLES, type Role } from '../../src/lib/server/accounts/roles';
import type { Person, World } from './world';

/**
 * Whose record the request names. `missing`: ids that exist nowhere; a record of another
 * organization must be answered exactly like it (the runner checks the rows say so).
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

export const MATRIX: MatrixRow[] = [
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
    // an admin (ending anyone's session from the page is not built: disabling is the way).
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
