/**
 * `relais demo generate`: fills an organization with generated people for benchmarks and
 * demonstrations. Everything goes through the case tracker's own pieces: her columns are
 * sealed by `personSealer` (her own data key, the pseudonym's blind index, AES-GCM fields),
 * her procedures are played through the state machine (`applyStep`), so the derived
 * deadlines are the ones the app computes, and rows are written through the repository's
 * batch inserts in `inTenant` transactions (one per batch of people). Helpers are real
 * accounts (invitation accepted). Deterministic for a seed, except the keys and ids.
 *
 * The names are invented and marked as generated; no real person is described.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import { applyStep, startProcedure, type ProcedureSnapshot, type StepInput } from '../../accompaniment/machine';
import { PROCEDURES, type ProcedureKind } from '../../accompaniment/procedures';
import { acceptInvitation, inviteAccount } from '../accounts/account.service';
import { createOrganization, dataKeyOf } from '../accounts/organization.service';
import type { Role } from '../accounts/roles';
import { appendAudit } from '../audit/audit';
import type { CaseAssignmentTable, CaseConsentTable, CaseDeadlineTable, CasePersonTable, CaseProcedureTable, CaseStepTable, Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { HELPER_ROLES } from '../accompaniment/person.policy';
import { personSealer, withinConsent, type PersonProfile } from '../accompaniment/person.service';
import { insertCaseRows } from '../accompaniment/person.repository';

export const MAX_GENERATED_PERSONS = 1_000_000;
const BATCH = 1000;
const DAY = 86_400_000;

export interface GenerateOptions {
  persons: number;
  /** An existing organization; a new demo organization otherwise. */
  organizationId?: string;
  /** How many helpers to create when the organization has none (default 5). */
  helpers?: number;
  now?: Date;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateSummary {
  organizationId: string;
  organizationCreated: boolean;
  helpers: Array<{ accountId: string; role: Role }>;
  persons: number;
  open: number;
  closed: number;
  procedures: number;
  steps: number;
  openDeadlines: number;
  overdue: number;
  due48h: number;
  dueWeek: number;
  seconds: number;
}

/** A small, fast, seeded generator (LCG): the same seed gives the same people. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FIRST = ['Amara', 'Blessing', 'Chiara', 'Dalia', 'Esther', 'Fatou', 'Grace', 'Hawa', 'Ines', 'Joy', 'Kemi', 'Lina', 'Mariam', 'Nadia', 'Olga', 'Precious', 'Rosa', 'Sara', 'Tina', 'Vera'];
const SECOND = ['Aube', 'Brume', 'Cèdre', 'Dune', 'Étoile', 'Flamme', 'Galet', 'Houle', 'Iris', 'Jade', 'Lune', 'Mousse', 'Nacre', 'Opale', 'Perle', 'Rivière', 'Saule', 'Terre', 'Vague', 'Zéphyr'];

/**
 * The pseudonym of generated person `i`: unique within a run, and what the benchmark looks
 * up through the blind index. Marked "(gen.)" so nobody mistakes it for a real person.
 */
export function generatedPseudonym(i: number): string {
  return `${FIRST[i % FIRST.length]} ${SECOND[Math.floor(i / FIRST.length) % SECOND.length]} ${i} (gen.)`;
}

const dateKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const instant = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';

type Script = { kind: ProcedureKind; steps: StepInput[] };

/**
 * One procedure's steps, chosen so the dashboard has every group: overdue, waiting too
 * long, due within 48 hours, this week, in the coming month, and later.
 */
function scriptFor(r: () => number, now: number): Script | null {
  const x = r();
  const daysAgo = (d: number) => now - d * DAY - Math.floor(r() * 6) * 3_600_000;
  if (x < 0.25) {
    // Waiting for a shelter place: 115 asked 0–20 days ago (waiting too long after 7 days).
    return { kind: 'accommodation', steps: [{ transition: 'request', at: instant(daysAgo(Math.floor(r() * 20))), fields: { request_to: r() < 0.7 ? '115' : 'siao', department: '75' } }] };
  }
  if (x < 0.45) {
    // Exit programme file submitted 0–120 days ago: the commission is awaited for 3 months.
    return { kind: 'exit_programme', steps: [{ transition: 'submit', at: instant(daysAgo(Math.floor(r() * 120))), fields: { department: r() < 0.5 ? '75' : '93' } }] };
  }
  if (x < 0.6) {
    // Commission date between 5 days ago and 40 days ahead.
    const submitted = daysAgo(60 + Math.floor(r() * 30));
    return {
      kind: 'exit_programme',
      steps: [
        { transition: 'submit', at: instant(submitted), fields: { department: '75' } },
        { transition: 'schedule_commission', at: instant(submitted + 10 * DAY), fields: { commission_date: dateKey(now + (Math.floor(r() * 45) - 5) * DAY) } }
      ]
    };
  }
  if (x < 0.75) {
    // A 6-month permit issued 0–6 months ago: renewal to start 2 months before it ends.
    const from = now - Math.floor(r() * 180) * DAY;
    const start = from - 200 * DAY;
    return {
      kind: 'exit_programme',
      steps: [
        { transition: 'submit', at: instant(start), fields: { department: '75' } },
        { transition: 'schedule_commission', at: instant(start + 10 * DAY), fields: { commission_date: dateKey(start + 40 * DAY) } },
        { transition: 'hold_commission', at: instant(start + 41 * DAY), fields: { opinion: 'favourable' } },
        { transition: 'accept', at: instant(start + 70 * DAY), fields: {} },
        { transition: 'issue_permit', at: instant(from), fields: { valid_from: dateKey(from), valid_to: dateKey(from + 182 * DAY) } }
      ]
    };
  }
  if (x < 0.82) {
    // An order to leave France notified 0–40 days ago (a legal deadline from the guide's engine).
    return {
      kind: 'removal_order',
      steps: [{ transition: 'receive', at: instant(daysAgo(0)), fields: { notified_at: instant(daysAgo(Math.floor(r() * 40))).slice(0, 16), custody: 'free', departure_period: 'granted', department: '75' } }]
    };
  }
  if (x < 0.9) return { kind: 'exit_aid', steps: [{ transition: 'request', at: instant(daysAgo(Math.floor(r() * 60))), fields: {} }] };
  return null;
}

function play(kind: ProcedureKind, steps: StepInput[], now: Date): ProcedureSnapshot | null {
  let snapshot = startProcedure(kind);
  for (const input of steps) {
    const outcome = applyStep(snapshot, input, now);
    if (!outcome.ok) return null;
    snapshot = outcome.snapshot;
  }
  return snapshot;
}

async function ensureHelpers(db: Kysely<Database>, masterKey: Buffer, organizationId: string, count: number, now: Date): Promise<Array<{ accountId: string; role: Role }>> {
  const existing = await inTenant(db, organizationId, (trx) =>
    trx.selectFrom('person_account').select(['id', 'role']).where('organization_id', '=', organizationId).where('status', '=', 'active').where('role', 'in', [...HELPER_ROLES]).orderBy('created_at').execute()
  );
  if (existing.length) return existing.map((a) => ({ accountId: a.id, role: a.role as Role }));
  const roles: Role[] = ['coordinator', 'social_worker', 'social_worker', 'peer_helper', 'peer_helper', 'lawyer'];
  const helpers: Array<{ accountId: string; role: Role }> = [];
  for (let k = 0; k < count; k++) {
    const role = roles[k % roles.length]!;
    const invitation = await inviteAccount(db, masterKey, { organizationId, email: `demo-helper-${k + 1}@example.invalid`, role, actor: { id: 'cli' }, now });
    const accepted = await acceptInvitation(db, masterKey, invitation.token, now);
    helpers.push({ accountId: accepted.accountId, role });
  }
  return helpers;
}

const LANGS = ['fr', 'en', 'pcm', 'es', 'ro', 'zh', 'bg'];
const NATIONALITIES = ['NG', 'CN', 'RO', 'BG', 'BR', 'CM', 'CI', 'GH', 'CO', 'AL'];

/**
 * Generates `persons` people in an organization (a new one unless given). Throws
 * `invalid_input` (count), `not_found` (organization). Returns counts only.
 */
export async function generateDemoCases(db: Kysely<Database>, masterKey: Buffer, options: GenerateOptions): Promise<GenerateSummary> {
  const total = options.persons;
  if (!Number.isSafeInteger(total) || total < 1 || total > MAX_GENERATED_PERSONS) throw new DomainError('invalid_input', `the number of people must be an integer from 1 to ${MAX_GENERATED_PERSONS}`);
  const started = performance.now();
  const now = options.now ?? new Date();
  const nowMs = now.getTime();
  const nowIso = now.toISOString();
  let organizationId = options.organizationId;
  let organizationCreated = false;
  if (organizationId) {
    const found = /^[A-Za-z0-9_-]{1,40}$/.test(organizationId) && (await db.selectFrom('organization').select('id').where('id', '=', organizationId).executeTakeFirst());
    if (!found) throw new DomainError('not_found', 'no such organization');
  } else {
    organizationId = (await createOrganization(db, masterKey, { name: 'Association de démonstration (données générées)', actor: { id: 'cli' }, now })).id;
    organizationCreated = true;
  }
  const org = organizationId;
  const helpers = await ensureHelpers(db, masterKey, org, options.helpers ?? 5, now);
  const seal = personSealer(await dataKeyOf(db, masterKey, org));
  const r = seededRandom(options.seed ?? 20261130);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  // Numbering goes on from the people already there, so pseudonyms stay unique.
  const offset = Number(
    (await inTenant(db, org, (trx) => trx.selectFrom('case_person').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', org).executeTakeFirstOrThrow())).n
  );
  const summary: GenerateSummary = { organizationId: org, organizationCreated, helpers, persons: 0, open: 0, closed: 0, procedures: 0, steps: 0, openDeadlines: 0, overdue: 0, due48h: 0, dueWeek: 0, seconds: 0 };

  for (let first = 0; first < total; first += BATCH) {
    const persons: CasePersonTable[] = [];
    const assignments: CaseAssignmentTable[] = [];
    const consents: CaseConsentTable[] = [];
    const procedures: CaseProcedureTable[] = [];
    const steps: CaseStepTable[] = [];
    const deadlines: CaseDeadlineTable[] = [];
    for (let i = first; i < Math.min(total, first + BATCH); i++) {
      const id = randomUUID();
      const n = offset + i;
      const created = nowMs - Math.floor(r() * 730) * DAY - Math.floor(r() * DAY);
      const helper = helpers[Math.floor(r() * helpers.length)]!;
      const closed = r() < 0.15;
      const scopes = r() < 0.6 ? ['procedures', 'identity', 'contact'] : ['procedures'];
      const profile: PersonProfile = {
        languages: [pick(LANGS), ...(r() < 0.5 ? ['fr'] : [])],
        nationality: pick(NATIONALITIES),
        birthYear: 1970 + Math.floor(r() * 38),
        contactRules: r() < 0.3 ? 'Jamais après 20 h (généré)' : null,
        referredBy: r() < 0.5 ? 'Maraude (généré)' : null,
        minor: false,
        inDanger: r() < 0.1,
        noContactWith: null
      };
      const kept = withinConsent(profile, r() < 0.5 ? `Nom généré ${n}` : null, scopes as never);
      let updated = created;
      const personProcedures: Array<{ script: Script; snapshot: ProcedureSnapshot; id: string }> = [];
      if (!closed) {
        const count = r() < 0.3 ? 2 : 1;
        for (let k = 0; k < count; k++) {
          const script = scriptFor(r, nowMs);
          if (!script) continue;
          const snapshot = play(script.kind, script.steps, now);
          if (!snapshot) continue;
          personProcedures.push({ script, snapshot, id: randomUUID() });
          const last = Date.parse(snapshot.steps.at(-1)!.at);
          if (last > updated) updated = last;
        }
      }
      const updatedIso = new Date(Math.min(updated, nowMs)).toISOString();
      const createdIso = new Date(Math.min(created, updated)).toISOString();
      persons.push({
        id,
        organization_id: org,
        status: closed ? 'closed' : 'open',
        ...seal(id, { pseudonym: generatedPseudonym(n), realName: kept.realName, profile: kept.profile }),
        created_by: helper.accountId,
        created_at: createdIso,
        updated_at: updatedIso,
        closed_at: closed ? updatedIso : null,
        purge_after: closed ? new Date(Date.parse(updatedIso) + 730 * DAY).toISOString() : null
      });
      assignments.push({ organization_id: org, person_id: id, account_id: helper.accountId, assigned_by: helper.accountId, assigned_at: createdIso });
      if (helpers.length > 1 && r() < 0.2) {
        const other = helpers[(helpers.indexOf(helper) + 1 + Math.floor(r() * (helpers.length - 1))) % helpers.length]!;
        assignments.push({ organization_id: org, person_id: id, account_id: other.accountId, assigned_by: helper.accountId, assigned_at: createdIso });
      }
      consents.push({ id: randomUUID(), organization_id: org, person_id: id, scopes: scopes.join(','), retention_months: 24, language: pick(LANGS), explained_by: helper.accountId, given_at: createdIso, withdrawn_at: null, withdrawn_by: null });
      for (const { script, snapshot, id: procedureId } of personProcedures) {
        const openedAt = snapshot.steps[0]!.at;
        procedures.push({
          id: procedureId,
          organization_id: org,
          person_id: id,
          kind: script.kind,
          state: snapshot.state,
          since: snapshot.since,
          terminal: PROCEDURES[script.kind].terminal.includes(snapshot.state) ? 1 : 0,
          opened_by: helper.accountId,
          opened_at: openedAt,
          updated_at: snapshot.steps.at(-1)!.at
        });
        snapshot.steps.forEach((s, index) =>
          steps.push({ id: randomUUID(), organization_id: org, procedure_id: procedureId, seq: index + 1, transition: s.transition, at: s.at, fields_json: JSON.stringify(s.fields), note_encrypted: null, recorded_by: helper.accountId, recorded_at: s.at })
        );
        for (const d of snapshot.deadlines) {
          deadlines.push({ id: randomUUID(), organization_id: org, person_id: id, procedure_id: procedureId, step_seq: d.step + 1, key: d.key, category: d.category, due_at: d.due, closed_at: d.closedAt, rule_id: d.rule?.id ?? null, uncertain: d.rule?.uncertain ? 1 : 0 });
          if (d.closedAt !== null) continue;
          summary.openDeadlines++;
          const left = Date.parse(d.due) - nowMs;
          if (d.due < nowIso) summary.overdue++;
          else if (left <= 2 * DAY) summary.due48h++;
          else if (left <= 7 * DAY) summary.dueWeek++;
        }
      }
      summary[closed ? 'closed' : 'open']++;
    }
    await inTenant(db, org, async (trx) => {
      await insertCaseRows(trx, 'case_person', persons);
      await insertCaseRows(trx, 'case_assignment', assignments);
      await insertCaseRows(trx, 'case_consent', consents);
      await insertCaseRows(trx, 'case_procedure', procedures);
      await insertCaseRows(trx, 'case_step', steps);
      await insertCaseRows(trx, 'case_deadline', deadlines);
    });
    summary.persons += persons.length;
    summary.procedures += procedures.length;
    summary.steps += steps.length;
    options.onProgress?.(summary.persons, total);
  }
  await inTenant(db, org, (trx) => appendAudit(trx, { organizationId: org, actorId: 'cli', action: 'demo.generate', target: { kind: 'organization', id: org }, at: now }));
  summary.seconds = Math.round((performance.now() - started) / 100) / 10;
  return summary;
}
