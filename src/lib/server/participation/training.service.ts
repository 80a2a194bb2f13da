/**
 * Training (issue 7): modules written by facilitators (title, plain text, duration,
 * language) and who completed them. A completion is recorded by a facilitator: she was
 * there, or she checked with the member — an association pays for training time, so a
 * click by the member alone is not enough (docs/participation.md). Completing adds the
 * module's duration to what she is owed; removing the completion removes it.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import type { Database, TrainingModuleTable } from '../db/schema';
import { appendAudit } from '../audit/audit';
import { inTenant } from '../db/tenant';
import { parisDateKey } from '../../time/paris-time';
import { isMemberLanguage, nowOf, requirePolicy, type ParticipationContext } from './context';
import { addAutomaticEntry, removeAutomaticEntry } from './pay.service';

export interface TrainingModule {
  id: string;
  title: string;
  content: string;
  language: string;
  durationMinutes: number;
}

const moduleOf = (r: TrainingModuleTable): TrainingModule => ({ id: r.id, title: r.title, content: r.content, language: r.language, durationMinutes: r.duration_minutes });

/**
 * Whether the member has completed the module (the gate "a consultation can require a
 * module before a member joins the drafting"). A module of another organization, or an
 * unknown one, is never completed.
 */
export async function hasCompleted(db: Kysely<Database>, organizationId: string, accountId: string, moduleId: string): Promise<boolean> {
  const row = await inTenant(db, organizationId, (trx) =>
    trx
      .selectFrom('training_completion')
      .select('module_id')
      .where('organization_id', '=', organizationId)
      .where('account_id', '=', accountId)
      .where('module_id', '=', moduleId)
      .executeTakeFirst()
  );
  return row !== undefined;
}

/** Creates a module. Throws `invalid_input` (title, content, duration, language). */
export async function createModule(ctx: ParticipationContext, input: { title: string; content: string; durationMinutes: number; language: string }): Promise<{ id: string }> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const title = input.title.trim();
  if (title.length < 1 || title.length > 200) throw new DomainError('invalid_input', 'title');
  if (input.content.trim().length < 1 || input.content.length > 20_000) throw new DomainError('invalid_input', 'content');
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes > 1440) throw new DomainError('invalid_input', 'duration');
  if (!isMemberLanguage(input.language)) throw new DomainError('invalid_input', 'language');
  const { organizationId } = ctx.who;
  const id = randomUUID();
  await inTenant(ctx.db, organizationId, async (trx) => {
    await trx
      .insertInto('training_module')
      .values({ id, organization_id: organizationId, title, content: input.content.trim(), language: input.language, duration_minutes: input.durationMinutes, created_by: ctx.who.accountId, created_at: nowOf(ctx).toISOString(), archived_at: null })
      .execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.training.create', target: { kind: 'training_module', id }, at: nowOf(ctx) });
  });
  return { id };
}

/** The organization's modules (not archived), with how many members completed each. */
export async function listModules(ctx: ParticipationContext): Promise<Array<TrainingModule & { completed: number }>> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  return inTenant(ctx.db, organizationId, async (trx) => {
    const rows = await trx.selectFrom('training_module').selectAll().where('organization_id', '=', organizationId).where('archived_at', 'is', null).orderBy('created_at').execute();
    const done = await trx.selectFrom('training_completion').select('module_id').where('organization_id', '=', organizationId).execute();
    return rows.map((r) => ({ ...moduleOf(r), completed: done.filter((d) => d.module_id === r.id).length }));
  });
}

async function requireModule(trx: Kysely<Database>, organizationId: string, moduleId: string): Promise<TrainingModuleTable> {
  const row = await trx.selectFrom('training_module').selectAll().where('organization_id', '=', organizationId).where('id', '=', moduleId).where('archived_at', 'is', null).executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'no such module');
  return row;
}

/** A module with who completed it (account ids), for the facilitator. Throws `not_found`. */
export async function moduleDetail(ctx: ParticipationContext, moduleId: string): Promise<TrainingModule & { completedBy: string[] }> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  return inTenant(ctx.db, organizationId, async (trx) => {
    const row = await requireModule(trx, organizationId, moduleId);
    const done = await trx.selectFrom('training_completion').select('account_id').where('organization_id', '=', organizationId).where('module_id', '=', moduleId).execute();
    return { ...moduleOf(row), completedBy: done.map((d) => d.account_id) };
  });
}

/** A module as the member reads it, and whether she completed it. Throws `not_found`. */
export async function moduleForMember(ctx: ParticipationContext, moduleId: string): Promise<TrainingModule & { done: boolean }> {
  requirePolicy(ctx.who, 'participation.take_part');
  const { organizationId } = ctx.who;
  return inTenant(ctx.db, organizationId, async (trx) => {
    const row = await requireModule(trx, organizationId, moduleId);
    return { ...moduleOf(row), done: await hasCompleted(trx, organizationId, ctx.who.accountId, moduleId) };
  });
}

/** Her training: every module, done or to do. */
export async function myTraining(ctx: ParticipationContext): Promise<Array<TrainingModule & { done: boolean }>> {
  requirePolicy(ctx.who, 'participation.take_part');
  const { organizationId } = ctx.who;
  return inTenant(ctx.db, organizationId, async (trx) => {
    const rows = await trx.selectFrom('training_module').selectAll().where('organization_id', '=', organizationId).where('archived_at', 'is', null).orderBy('created_at').execute();
    const done = new Set((await trx.selectFrom('training_completion').select('module_id').where('organization_id', '=', organizationId).where('account_id', '=', ctx.who.accountId).execute()).map((d) => d.module_id));
    return rows.map((r) => ({ ...moduleOf(r), done: done.has(r.id) }));
  });
}

/**
 * A facilitator records that a member completed a module (again: harmless, nothing changes):
 * adds the module's duration to what she is owed. Throws `not_found` (module, member).
 */
export async function recordCompletion(ctx: ParticipationContext, input: { moduleId: string; accountId: string }): Promise<void> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  const now = nowOf(ctx);
  await inTenant(ctx.db, organizationId, async (trx) => {
    const module = await requireModule(trx, organizationId, input.moduleId);
    const member = await trx.selectFrom('participation_member').select('account_id').where('organization_id', '=', organizationId).where('account_id', '=', input.accountId).executeTakeFirst();
    if (!member) throw new DomainError('not_found', 'no such member');
    if (await hasCompleted(trx, organizationId, input.accountId, input.moduleId)) return;
    await trx.insertInto('training_completion').values({ organization_id: organizationId, module_id: input.moduleId, account_id: input.accountId, completed_at: now.toISOString(), recorded_by: ctx.who.accountId }).execute();
    await addAutomaticEntry(trx, { organizationId, accountId: input.accountId, kind: 'training', moduleId: input.moduleId, workedOn: parisDateKey(now), minutes: module.duration_minutes, by: ctx.who.accountId, at: now.toISOString() });
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.training.complete', target: { kind: 'person_account', id: input.accountId }, at: now });
  });
}

/** Takes a completion back (a mistake), and its pay entry. Throws `not_found`. */
export async function removeCompletion(ctx: ParticipationContext, input: { moduleId: string; accountId: string }): Promise<void> {
  requirePolicy(ctx.who, 'participation.facilitate');
  const { organizationId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    await requireModule(trx, organizationId, input.moduleId);
    const removed = await trx.deleteFrom('training_completion').where('organization_id', '=', organizationId).where('module_id', '=', input.moduleId).where('account_id', '=', input.accountId).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw new DomainError('not_found', 'no such completion');
    await removeAutomaticEntry(trx, { organizationId, accountId: input.accountId, moduleId: input.moduleId });
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.training.uncomplete', target: { kind: 'person_account', id: input.accountId }, at: nowOf(ctx) });
  });
}
