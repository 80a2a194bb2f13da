/**
 * Two organizations and their staff, for database tests: `account(organization, role)` invites
 * and accepts an account (staff<n>@example.test) and returns what a use case needs (its
 * context: database, master key, the signed-in person; `now` when given).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { createOrganization } from '../../src/lib/server/accounts/organization.service';
import { acceptInvitation, inviteAccount } from '../../src/lib/server/accounts/account.service';
import type { Role } from '../../src/lib/server/accounts/roles';
import type { SignedIn } from '../../src/lib/server/accounts/sign-in.service';
import { DomainError } from '../../src/lib/errors';

/** The actor of what the administrator's command line does. */
export const CLI_ACTOR = { id: 'cli' };

export interface StaffContext {
  db: Kysely<Database>;
  masterKey: Buffer;
  who: SignedIn;
  now?: Date;
  email: string;
}

export interface TwoOrganizations {
  db: Kysely<Database>;
  masterKey: Buffer;
  orgA: string;
  orgB: string;
  account(organizationId: string, role: Role): Promise<StaffContext>;
}

export async function twoOrganizations(db: Kysely<Database>, options: { now?: Date } = {}): Promise<TwoOrganizations> {
  const masterKey = randomBytes(32);
  const orgA = await createOrganization(db, masterKey, { name: 'Association A', actor: CLI_ACTOR });
  const orgB = await createOrganization(db, masterKey, { name: 'Association B', actor: CLI_ACTOR });
  let n = 0;
  async function account(organizationId: string, role: Role): Promise<StaffContext> {
    n += 1;
    const email = `staff${n}@example.test`;
    const invitation = await inviteAccount(db, masterKey, { organizationId, email, role, actor: CLI_ACTOR });
    const accepted = await acceptInvitation(db, masterKey, invitation.token);
    const who: SignedIn = { sessionId: `s${n}`, organizationId, accountId: accepted.accountId, role };
    return options.now ? { db, masterKey, who, now: options.now, email } : { db, masterKey, who, email };
  }
  return { db, masterKey, orgA: orgA.id, orgB: orgB.id, account };
}

/** The code of the DomainError a promise is rejected with (the test fails if it is not one). */
export async function domainErrorCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${error === null ? 'success' : String(error)}`);
  return error.code;
}
