/**
 * The people and records of the access matrix, made through the app's own services on the
 * database the server under test uses (as the app's role on PostgreSQL). Every cell gets
 * fresh people, so that a request that changes something cannot spoil the next cell.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { inTenant } from '../../src/lib/server/db/tenant';
import { createOrganization } from '../../src/lib/server/accounts/organization.service';
import { acceptInvitation, inviteAccount, startSession } from '../../src/lib/server/accounts/account.service';
import type { Role } from '../../src/lib/server/accounts/roles';

export interface Person {
  organizationId: string;
  accountId: string;
  /** Her marker on a page. */
  email: string;
  role: Role;
  /** The cookie of her signed-in session… */
  cookie: string;
  /** …that session's id (the hash the server keeps)… */
  sessionId: string;
  /** …and another live session of hers. */
  spareSessionId: string;
}

export interface Cell {
  /** Who asks, signed in, in organization A. */
  actor: Person;
  /** Someone else of organization A. */
  colleague: Person;
  /** Someone of organization B. */
  stranger: Person;
  /** Ids that exist nowhere. */
  ghost: Person;
}

let counter = 0;

export class World {
  private constructor(
    readonly db: Kysely<Database>,
    readonly masterKey: Buffer,
    readonly organizationA: string,
    readonly organizationB: string
  ) {}

  static async create(db: Kysely<Database>, masterKey: Buffer): Promise<World> {
    const a = await createOrganization(db, masterKey, { name: 'Matrice A', actor: { id: 'cli' } });
    const b = await createOrganization(db, masterKey, { name: 'Matrice B', actor: { id: 'cli' } });
    return new World(db, masterKey, a.id, b.id);
  }

  async person(organizationId: string, role: Role): Promise<Person> {
    const email = `matrix.person.${++counter}.${randomBytes(4).toString('hex')}@example.test`;
    const { token } = await inviteAccount(this.db, this.masterKey, { organizationId, email, role, actor: { id: 'cli' } });
    const { accountId } = await acceptInvitation(this.db, this.masterKey, token);
    const signedIn = await startSession(this.db, { organizationId, accountId });
    const spare = await startSession(this.db, { organizationId, accountId });
    return { organizationId, accountId, email, role, cookie: signedIn.token, sessionId: signedIn.sessionId, spareSessionId: spare.sessionId };
  }

  ghost(): Person {
    const hash = () => randomBytes(32).toString('hex');
    return { organizationId: randomUUID(), accountId: randomUUID(), email: `matrix.ghost.${randomBytes(4).toString('hex')}@example.test`, role: 'admin', cookie: '', sessionId: hash(), spareSessionId: hash() };
  }

  async cell(role: Role): Promise<Cell> {
    return {
      actor: await this.person(this.organizationA, role),
      colleague: await this.person(this.organizationA, 'social_worker'),
      stranger: await this.person(this.organizationB, 'admin'),
      ghost: this.ghost()
    };
  }

  /** True when this session of hers exists and has ended. */
  async sessionEnded(person: Person, sessionId: string): Promise<boolean> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return false;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('session').select('ended_at').where('organization_id', '=', person.organizationId).where('id_hash', '=', sessionId).executeTakeFirst()
    );
    return Boolean(row?.ended_at);
  }

  /** True when her account exists and is disabled. */
  async accountDisabled(person: Person): Promise<boolean> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return false;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('person_account').select('status').where('organization_id', '=', person.organizationId).where('id', '=', person.accountId).executeTakeFirst()
    );
    return row?.status === 'disabled';
  }
}
