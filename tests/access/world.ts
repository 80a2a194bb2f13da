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
import { acceptInvitation, emailIndex, inviteAccount, startSession } from '../../src/lib/server/accounts/account.service';
import { dataKeyOf } from '../../src/lib/server/accounts/organization.service';
import { insertPasskey } from '../../src/lib/server/accounts/passkey.repository';
import { encryptField } from '../../src/lib/server/crypto/envelope';
import type { Role } from '../../src/lib/server/accounts/roles';
import { HELPER_ROLES } from '../../src/lib/server/accompaniment/person.policy';
import { assignHelper, openPerson, openProcedure, recordStep, type CaseContext } from '../../src/lib/server/accompaniment/person.service';
import { uploadDocument } from '../../src/lib/server/accompaniment/document.service';
import { addAppointment } from '../../src/lib/server/accompaniment/appointment.service';
import { fromParis, parisDateKey, parseDateKey } from '../../src/lib/time/paris-time';
import { formatIsoWeek, isoWeekOfDateKey, parisIsoWeek } from '../../src/lib/time/iso-week';
import { findServiceById, saveServices } from '../../src/lib/server/directory/repository';
import { listNoticesOfService } from '../../src/lib/server/directory/staff.repository';
import { staffActor } from '../../src/lib/server/directory/version-history';
import type { DirectoryService } from '../../src/lib/server/directory/model';
import { addMember, findMember } from '../../src/lib/server/participation/member.repository';

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
  /** One of her two passkeys (a stored credential; never used to sign in here). */
  passkeyId: string;
  /**
   * Her case record (rows with `cases`): a person of her organization assigned to her when
   * her role can hold cases, opened by another social worker who stays assigned too; with an
   * accommodation request (a deadline within the week).
   */
  case?: CaseRecord;
  /**
   * A help directory service she created (rows with `directory`): its first version names
   * her. The directory is one per instance, not a tenant's: "her" service is hers only by
   * its history.
   */
  service?: ServiceRecord;
  /** Deliberation (issue 7): a consultation of her organization and its records (rows' `prepare`). */
  deliberation?: DeliberationRecord;
}

// ---- Deliberation (issue 7: themes, statements, recommendations, the submission) ----------
/**
 * A consultation of her organization with one chosen question, a workshop, a submitted
 * contribution, a theme, an open statement and a recommendation under vote. Made fresh for
 * each request (rows' `prepare`), since the requests change them. `title` is its marker.
 */
export interface DeliberationRecord {
  consultationId: string;
  title: string;
  questionId: string;
  themeId: string;
  statementId: string;
  statementText: string;
  recommendationId: string;
  contributionId: string;
}

export interface ServiceRecord {
  id: string;
  /** A word of its name found in no other service (to search for it). */
  word: string;
}

export interface CaseRecord {
  id: string;
  pseudonym: string;
  procedureId: string;
  consentId: string;
  /** A helper of her organization who is not assigned to this record. */
  spareHelperId: string;
  /** One of her documents (a small PDF whose text is MATRIX_DOCUMENT). */
  documentId: string;
  /** An appointment with her today at 23:00 (Paris), her helper who opened the record going… */
  appointmentId: string;
  /** …and its week, 'YYYY-Www'. */
  appointmentWeek: string;
}

/** What the matrix's document of every record says (its download shows it). */
export const MATRIX_DOCUMENT = 'Matrix fake document';

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
    const dataKey = await dataKeyOf(this.db, this.masterKey, organizationId);
    const passkeyIds = [randomUUID(), randomUUID()];
    await inTenant(this.db, organizationId, async (trx) => {
      for (const id of passkeyIds) {
        await insertPasskey(trx, {
          id,
          organization_id: organizationId,
          account_id: accountId,
          credential_id: randomBytes(32).toString('base64url'),
          public_key: randomBytes(77).toString('base64url'),
          counter: 0,
          transports: '["internal"]',
          user_handle: randomBytes(32).toString('base64url'),
          name_encrypted: encryptField(dataKey, 'matrix', { table: 'passkey', column: 'name_encrypted', rowId: id }),
          device_type: 'singleDevice',
          backed_up: 0,
          created_at: new Date().toISOString(),
          last_used_at: null
        });
      }
    });
    return { organizationId, accountId, email, role, cookie: signedIn.token, sessionId: signedIn.sessionId, spareSessionId: spare.sessionId, passkeyId: passkeyIds[0]! };
  }

  ghost(): Person {
    const hash = () => randomBytes(32).toString('hex');
    return { organizationId: randomUUID(), accountId: randomUUID(), email: `matrix.ghost.${randomBytes(4).toString('hex')}@example.test`, role: 'admin', cookie: '', sessionId: hash(), spareSessionId: hash(), passkeyId: randomUUID() };
  }

  async cell(role: Role, cases = false, directory = false): Promise<Cell> {
    const cell = {
      actor: await this.person(this.organizationA, role),
      colleague: await this.person(this.organizationA, 'social_worker'),
      stranger: await this.person(this.organizationB, 'admin'),
      ghost: this.ghost()
    };
    if (cases) {
      for (const person of [cell.actor, cell.colleague, cell.stranger]) person.case = await this.caseOf(person);
      cell.ghost.case = {
        id: randomUUID(),
        pseudonym: `Ghost ${randomBytes(4).toString('hex')}`,
        procedureId: randomUUID(),
        consentId: randomUUID(),
        spareHelperId: randomUUID(),
        documentId: randomUUID(),
        appointmentId: randomUUID(),
        appointmentWeek: formatIsoWeek(parisIsoWeek(new Date()))
      };
    }
    if (directory) {
      for (const person of [cell.actor, cell.colleague, cell.stranger]) person.service = await this.serviceOf(person);
      cell.ghost.service = { id: `matrix-ghost-${randomBytes(6).toString('hex')}`, word: `ghost${randomBytes(6).toString('hex')}` };
    }
    return cell;
  }

  private helpers = new Map<string, { creator: Person; spare: Person }>();

  /** A case record for `person` (see Person.case). */
  async caseOf(person: Person): Promise<CaseRecord> {
    let helpers = this.helpers.get(person.organizationId);
    if (!helpers) {
      helpers = { creator: await this.person(person.organizationId, 'social_worker'), spare: await this.person(person.organizationId, 'peer_helper') };
      this.helpers.set(person.organizationId, helpers);
    }
    const ctx: CaseContext = {
      db: this.db,
      masterKey: this.masterKey,
      who: { sessionId: 'matrix', organizationId: person.organizationId, accountId: helpers.creator.accountId, role: 'social_worker' }
    };
    const pseudonym = `Dossier ${randomBytes(6).toString('hex')}`;
    const { id } = await openPerson(ctx, {
      pseudonym,
      realName: null,
      profile: { languages: [], nationality: null, birthYear: null, contactRules: null, referredBy: null, minor: false, inDanger: false, noContactWith: null },
      consent: { scopes: ['procedures', 'documents'], retentionMonths: 24, language: 'fr' }
    });
    const document = await uploadDocument(ctx, id, { name: 'matrix.pdf', bytes: Buffer.from(`%PDF-1.4\n% ${MATRIX_DOCUMENT}\n%%EOF\n`, 'latin1') });
    if (HELPER_ROLES.includes(person.role)) await assignHelper(ctx, id, person.accountId);
    const procedure = await openProcedure(ctx, id, 'accommodation');
    await recordStep(ctx, procedure.id, { transition: 'request', at: parisDateKey(new Date()), fields: { request_to: '115' } }, null);
    const today = parisDateKey(new Date());
    const { year, month, day } = parseDateKey(today)!;
    const appointment = await addAppointment(ctx, id, { startsAt: fromParis({ year, month, day, hour: 23, minute: 0 }), durationMinutes: null, place: 'Matrix place', purpose: null, attendeeId: helpers.creator.accountId });
    const consent = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('case_consent').select('id').where('organization_id', '=', person.organizationId).where('person_id', '=', id).executeTakeFirstOrThrow()
    );
    return {
      id,
      pseudonym,
      procedureId: procedure.id,
      consentId: consent.id,
      spareHelperId: helpers.spare.accountId,
      documentId: document.id,
      appointmentId: appointment.id,
      appointmentWeek: formatIsoWeek(isoWeekOfDateKey(today))
    };
  }

  /**
   * A new directory service whose first version is hers (see Person.service). Written
   * through the repository, as an import would, not the staff use case: a member cannot
   * create one, but may have when she held another role.
   */
  async serviceOf(person: Person): Promise<ServiceRecord> {
    const word = `matrice${randomBytes(6).toString('hex')}`;
    const service: DirectoryService = {
      id: `matrix-service-${++counter}-${randomBytes(4).toString('hex')}`,
      organization: { id: 'matrix-organization', name: 'Organisation Matrice' },
      status: 'active',
      sourceLocale: 'fr',
      texts: { fr: { name: `Service ${word}` } },
      categories: [],
      audiences: [],
      languages: [],
      free: null,
      wheelchair: null,
      phones: [],
      hours: null,
      hoursAlternative: null,
      location: null,
      region: null,
      national: false,
      sample: false,
      lastVerifiedAt: null,
      lastVerifiedBy: null
    };
    await saveServices(this.db, [service], { actor: staffActor(person), action: 'create', expectedVersion: 0 });
    return { id: service.id, word };
  }

  // ---- Deliberation (issue 7) ----------------------------------------------------------------
  /**
   * Gives her a consultation of her organization (see DeliberationRecord); a member is also
   * enrolled in the participation group. A ghost gets ids that exist nowhere.
   */
  async deliberationOf(person: Person, options: { submitted?: boolean } = {}): Promise<DeliberationRecord> {
    const hex = randomBytes(6).toString('hex');
    const record: DeliberationRecord = {
      consultationId: randomUUID(),
      title: `Matrix consultation ${hex}`,
      questionId: randomUUID(),
      themeId: randomUUID(),
      statementId: randomUUID(),
      statementText: `Matrix statement ${hex}`,
      recommendationId: randomUUID(),
      contributionId: randomUUID()
    };
    person.deliberation = record;
    const org = person.organizationId;
    if (org !== this.organizationA && org !== this.organizationB) return record;
    if (person.role === 'member' && !(await findMember(this.db, org, person.accountId))) {
      await addMember(this.db, this.masterKey, { organizationId: org, accountId: person.accountId, pseudonym: `Matrix member ${hex}`, language: 'fr', enrolledBy: 'cli' });
    }
    const dataKey = await dataKeyOf(this.db, this.masterKey, org);
    const now = new Date().toISOString();
    const today = now.slice(0, 10);
    await inTenant(this.db, org, async (trx) => {
      await trx
        .insertInto('consultation')
        .values({ id: record.consultationId, organization_id: org, title: record.title, requester: 'Matrix requester', call_url: null, deadline: null, summary: null, language: 'fr', phase: 'agree', required_module_id: null, presentation: null, do_not_publish: 0, submitted_at: options.submitted ? now : null, outcome: null, created_by: 'cli', created_at: now, updated_at: now })
        .execute();
      await trx.insertInto('consultation_question').values({ id: record.questionId, organization_id: org, consultation_id: record.consultationId, position: 1, label: '1', text: 'Matrix question', chosen: 1 }).execute();
      await trx
        .insertInto('contribution')
        .values({
          id: record.contributionId,
          organization_id: org,
          consultation_id: record.consultationId,
          question_id: record.questionId,
          source: 'member',
          workshop_id: null,
          present_count: null,
          language: 'fr',
          text_encrypted: encryptField(dataKey, 'matrice logement titre', { table: 'contribution', column: 'text_encrypted', rowId: record.contributionId }),
          translation_encrypted: null,
          translation_language: null,
          audio_encrypted: null,
          audio_type: null,
          content_note: null,
          consent: 'quote',
          status: 'submitted',
          author_tag: null,
          created_on: today,
          updated_on: today,
          withdrawn_on: null
        })
        .execute();
      await trx.insertInto('theme').values({ id: record.themeId, organization_id: org, consultation_id: record.consultationId, title: 'Matrix theme', summary: null, position: 1, status: 'suggested', merged_into: null, origin: 'facilitator', created_by: 'cli', created_at: now }).execute();
      await trx.insertInto('theme_contribution').values({ organization_id: org, theme_id: record.themeId, contribution_id: record.contributionId, quoted: 0 }).execute();
      await trx.insertInto('statement').values({ id: record.statementId, organization_id: org, consultation_id: record.consultationId, theme_id: record.themeId, text: record.statementText, language: 'fr', proposed_by: 'facilitator', status: 'open', created_on: today }).execute();
      await trx.insertInto('recommendation').values({ id: record.recommendationId, organization_id: org, consultation_id: record.consultationId, theme_id: record.themeId, position: 1, status: 'voting', current_version: 1, adopted_at: null, created_by: 'cli', created_at: now }).execute();
      await trx.insertInto('recommendation_version').values({ organization_id: org, recommendation_id: record.recommendationId, version: 1, text: `Matrix recommendation ${hex}`, note: null, changed_by: 'cli', changed_at: now }).execute();
    });
    return record;
  }

  /** Rows of a deliberation table of her consultation. */
  async deliberationRows(person: Person, table: 'theme' | 'statement' | 'recommendation'): Promise<number> {
    const record = person.deliberation;
    if (!record || (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB)) return 0;
    const rows = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom(table).select('id').where('organization_id', '=', person.organizationId).where('consultation_id', '=', record.consultationId).execute()
    );
    return rows.length;
  }

  /** Her votes, as anyone's: the statement's and the recommendation's vote rows. */
  async deliberationVotes(person: Person): Promise<number> {
    const record = person.deliberation;
    if (!record || (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB)) return 0;
    return inTenant(this.db, person.organizationId, async (trx) => {
      const a = await trx.selectFrom('statement_vote').select('voter_tag').where('organization_id', '=', person.organizationId).where('statement_id', '=', record.statementId).execute();
      const b = await trx.selectFrom('recommendation_vote').select('voter_tag').where('organization_id', '=', person.organizationId).where('recommendation_id', '=', record.recommendationId).execute();
      return a.length + b.length;
    });
  }
  // ---- end of deliberation ---------------------------------------------------------------------

  /** Her directory service as it is now (null once deleted, or for a ghost). */
  async service(person: Person) {
    return person.service ? findServiceById(this.db, person.service.id) : null;
  }

  /** Whether her directory service has had a "full tonight" notice. */
  async serviceNoticed(person: Person): Promise<boolean> {
    return person.service ? (await listNoticesOfService(this.db, person.service.id)).length > 0 : false;
  }

  /** Whether a directory service with this name (in its source language) exists. */
  async serviceNamed(name: string): Promise<boolean> {
    const row = await this.db.selectFrom('directory_service').select('id').where('name', '=', name).executeTakeFirst();
    return row !== undefined;
  }

  /** How many audit entries of her organization record `action` on `targetId`. */
  /** Open invitations for `email`, in either organization of the world. */
  async invitationsFor(email: string): Promise<number> {
    let count = 0;
    for (const organizationId of [this.organizationA, this.organizationB]) {
      const index = emailIndex(await dataKeyOf(this.db, this.masterKey, organizationId), email);
      const rows = await inTenant(this.db, organizationId, (trx) =>
        trx.selectFrom('invitation').select('id').where('organization_id', '=', organizationId).where('email_index', '=', index).where('used_at', 'is', null).execute()
      );
      count += rows.length;
    }
    return count;
  }

  async audited(person: Person, action: string, targetId: string): Promise<number> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return 0;
    const rows = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('audit_entry').select('seq').where('chain', '=', person.organizationId).where('action', '=', action).where('target_id', '=', targetId).execute()
    );
    return rows.length;
  }

  /** Rows of a case table for her record (procedures, consents, assignments, accesses). */
  async caseRows(person: Person, table: 'case_procedure' | 'case_consent' | 'case_access' | 'case_document' | 'case_appointment', where: Record<string, string> = {}): Promise<number> {
    if (!person.case || (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB)) return 0;
    const caseId = person.case.id;
    const rows = await inTenant(this.db, person.organizationId, (trx) => {
      let query = trx.selectFrom(table).select('person_id').where('organization_id', '=', person.organizationId).where('person_id', '=', caseId);
      for (const [column, value] of Object.entries(where)) query = query.where(column as 'person_id', '=', value);
      return query.execute();
    });
    return rows.length;
  }

  async assigned(person: Person, accountId: string): Promise<boolean> {
    if (!person.case || (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB)) return false;
    const caseId = person.case.id;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('case_assignment').select('account_id').where('organization_id', '=', person.organizationId).where('person_id', '=', caseId).where('account_id', '=', accountId).executeTakeFirst()
    );
    return Boolean(row);
  }

  /** True when this session of hers exists and has ended. */
  async sessionEnded(person: Person, sessionId: string): Promise<boolean> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return false;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('session').select('ended_at').where('organization_id', '=', person.organizationId).where('id_hash', '=', sessionId).executeTakeFirst()
    );
    return Boolean(row?.ended_at);
  }

  /** True when her account exists and its role is no longer the one she was given. */
  async roleChanged(person: Person): Promise<boolean> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return false;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('person_account').select('role').where('organization_id', '=', person.organizationId).where('id', '=', person.accountId).executeTakeFirst()
    );
    return row !== undefined && row.role !== person.role;
  }

  /** True when she had this passkey and it is gone. */
  async passkeyRemoved(person: Person): Promise<boolean> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return false;
    const row = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('passkey').select('id').where('organization_id', '=', person.organizationId).where('id', '=', person.passkeyId).executeTakeFirst()
    );
    return row === undefined;
  }

  /** Gives her a live calendar feed (whatever her role), as if she had created one. */
  async giveFeed(person: Person): Promise<void> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return;
    await inTenant(this.db, person.organizationId, (trx) =>
      trx
        .insertInto('calendar_feed')
        .values({ id: randomUUID(), organization_id: person.organizationId, account_id: person.accountId, secret_hash: randomBytes(32).toString('hex'), locale: 'fr', created_at: new Date().toISOString(), revoked_at: null })
        .execute()
    );
  }

  /** Her calendar feeds: live and revoked. */
  async feeds(person: Person): Promise<{ live: number; revoked: number }> {
    if (person.organizationId !== this.organizationA && person.organizationId !== this.organizationB) return { live: 0, revoked: 0 };
    const rows = await inTenant(this.db, person.organizationId, (trx) =>
      trx.selectFrom('calendar_feed').select('revoked_at').where('organization_id', '=', person.organizationId).where('account_id', '=', person.accountId).execute()
    );
    return { live: rows.filter((r) => r.revoked_at === null).length, revoked: rows.filter((r) => r.revoked_at !== null).length };
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
