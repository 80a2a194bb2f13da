/**
 * Paid participation (issue 7): the association's hourly rate, what each member is owed
 * (pay_entry) and what she was paid (payment). Attendance at a workshop and completed
 * training add an entry by themselves, at the rate of that moment; removing the attendance
 * or the completion removes it. Pay records name a member, a workshop or a module — never a
 * contribution, a theme or a statement (no such column exists; keep it so).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import type { Database } from '../db/schema';
import { appendAudit } from '../audit/audit';
import { inTenant } from '../db/tenant';
import { amountFor, payCsv, totalsOf, type LedgerEntry, type LedgerTotals, type MemberLedger } from '../../participation/pay';
import { isValidDateKey } from '../../time/paris-time';
import { nowOf, pseudonymsOf, requirePolicy, type ParticipationContext } from './context';

export const PAYMENT_METHODS = ['cash', 'transfer', 'voucher'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The hourly rate in cents (0 until the association sets one). */
export async function hourlyRate(trx: Kysely<Database>, organizationId: string): Promise<number> {
  const row = await trx.selectFrom('participation_setting').select('hourly_rate_cents').where('organization_id', '=', organizationId).executeTakeFirst();
  return row?.hourly_rate_cents ?? 0;
}

/** Sets the hourly rate (cents, EUR). Entries already recorded keep their rate. Throws `invalid_input`. */
export async function setHourlyRate(ctx: ParticipationContext, cents: number): Promise<void> {
  requirePolicy(ctx.who, 'participation.pay');
  if (!Number.isInteger(cents) || cents < 0 || cents > 100_000) throw new DomainError('invalid_input', 'rate');
  const { organizationId } = ctx.who;
  const at = nowOf(ctx).toISOString();
  await inTenant(ctx.db, organizationId, async (trx) => {
    const existing = await trx.selectFrom('participation_setting').select('organization_id').where('organization_id', '=', organizationId).executeTakeFirst();
    if (existing) await trx.updateTable('participation_setting').set({ hourly_rate_cents: cents, updated_by: ctx.who.accountId, updated_at: at }).where('organization_id', '=', organizationId).execute();
    else await trx.insertInto('participation_setting').values({ organization_id: organizationId, hourly_rate_cents: cents, currency: 'EUR', updated_by: ctx.who.accountId, updated_at: at }).execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.pay.rate', target: { kind: 'organization', id: organizationId }, at: nowOf(ctx) });
  });
}

/** Inside the caller's transaction: an entry at today's rate (attendance, training). */
export async function addAutomaticEntry(
  trx: Kysely<Database>,
  input: { organizationId: string; accountId: string; kind: 'attendance' | 'training'; workshopId?: string; moduleId?: string; workedOn: string; minutes: number; by: string; at: string }
): Promise<void> {
  const rate = await hourlyRate(trx, input.organizationId);
  await trx
    .insertInto('pay_entry')
    .values({
      id: randomUUID(),
      organization_id: input.organizationId,
      account_id: input.accountId,
      kind: input.kind,
      workshop_id: input.workshopId ?? null,
      module_id: input.moduleId ?? null,
      worked_on: input.workedOn,
      minutes: input.minutes,
      rate_cents: rate,
      amount_cents: amountFor(input.minutes, rate),
      recorded_by: input.by,
      recorded_at: input.at
    })
    .execute();
}

/** Inside the caller's transaction: removes the automatic entry of an attendance or a completion. */
export async function removeAutomaticEntry(trx: Kysely<Database>, input: { organizationId: string; accountId: string; workshopId?: string; moduleId?: string }): Promise<void> {
  let query = trx.deleteFrom('pay_entry').where('organization_id', '=', input.organizationId).where('account_id', '=', input.accountId);
  if (input.workshopId) query = query.where('kind', '=', 'attendance').where('workshop_id', '=', input.workshopId);
  else if (input.moduleId) query = query.where('kind', '=', 'training').where('module_id', '=', input.moduleId);
  else return;
  await query.execute();
}

async function requireMember(trx: Kysely<Database>, organizationId: string, accountId: string): Promise<void> {
  const member = await trx.selectFrom('participation_member').select('account_id').where('organization_id', '=', organizationId).where('account_id', '=', accountId).executeTakeFirst();
  if (!member) throw new DomainError('not_found', 'no such member');
}

/** Review work entered by hand (reading a draft, checking a transcription…): a day and minutes. Throws `invalid_input`, `not_found`. */
export async function addReviewWork(ctx: ParticipationContext, input: { accountId: string; workedOn: string; minutes: number }): Promise<void> {
  requirePolicy(ctx.who, 'participation.pay');
  if (!isValidDateKey(input.workedOn)) throw new DomainError('invalid_input', 'worked_on');
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > 1440) throw new DomainError('invalid_input', 'minutes');
  const { organizationId } = ctx.who;
  const at = nowOf(ctx).toISOString();
  await inTenant(ctx.db, organizationId, async (trx) => {
    await requireMember(trx, organizationId, input.accountId);
    const rate = await hourlyRate(trx, organizationId);
    const id = randomUUID();
    await trx
      .insertInto('pay_entry')
      .values({ id, organization_id: organizationId, account_id: input.accountId, kind: 'review', workshop_id: null, module_id: null, worked_on: input.workedOn, minutes: input.minutes, rate_cents: rate, amount_cents: amountFor(input.minutes, rate), recorded_by: ctx.who.accountId, recorded_at: at })
      .execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.pay.entry', target: { kind: 'person_account', id: input.accountId }, at: nowOf(ctx) });
  });
}

/** A payment to a member. Throws `invalid_input` (amount, date, method), `not_found`. */
export async function recordPayment(ctx: ParticipationContext, input: { accountId: string; amountCents: number; paidOn: string; method: string }): Promise<void> {
  requirePolicy(ctx.who, 'participation.pay');
  if (!Number.isInteger(input.amountCents) || input.amountCents <= 0) throw new DomainError('invalid_input', 'amount');
  if (!isValidDateKey(input.paidOn)) throw new DomainError('invalid_input', 'paid_on');
  if (!(PAYMENT_METHODS as readonly string[]).includes(input.method)) throw new DomainError('invalid_input', 'method');
  const { organizationId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    await requireMember(trx, organizationId, input.accountId);
    await trx
      .insertInto('payment')
      .values({ id: randomUUID(), organization_id: organizationId, account_id: input.accountId, amount_cents: input.amountCents, paid_on: input.paidOn, method: input.method, recorded_by: ctx.who.accountId, recorded_at: nowOf(ctx).toISOString() })
      .execute();
    await appendAudit(trx, { organizationId, actorId: ctx.who.accountId, action: 'participation.pay.payment', target: { kind: 'person_account', id: input.accountId }, at: nowOf(ctx) });
  });
}

async function readLedgers(db: Kysely<Database>, masterKey: Buffer, organizationId: string, only?: string): Promise<Array<MemberLedger & { accountId: string; leftAt: string | null }>> {
  const { members, entries, payments } = await inTenant(db, organizationId, async (trx) => {
    let m = trx.selectFrom('participation_member').selectAll().where('organization_id', '=', organizationId);
    let e = trx.selectFrom('pay_entry').selectAll().where('organization_id', '=', organizationId);
    let p = trx.selectFrom('payment').selectAll().where('organization_id', '=', organizationId);
    if (only) {
      m = m.where('account_id', '=', only);
      e = e.where('account_id', '=', only);
      p = p.where('account_id', '=', only);
    }
    return { members: await m.execute(), entries: await e.execute(), payments: await p.execute() };
  });
  const names = await pseudonymsOf(db, masterKey, organizationId, members);
  return members
    .map((m) => ({
      accountId: m.account_id,
      leftAt: m.left_at,
      pseudonym: names.get(m.account_id)!,
      entries: entries.filter((e) => e.account_id === m.account_id).map((e) => ({ kind: e.kind as LedgerEntry['kind'], workedOn: e.worked_on, minutes: e.minutes, rateCents: e.rate_cents, amountCents: e.amount_cents })),
      payments: payments.filter((p) => p.account_id === m.account_id).map((p) => ({ paidOn: p.paid_on, amountCents: p.amount_cents, method: p.method }))
    }))
    .sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
}

export interface PayOverview {
  rateCents: number;
  members: Array<{ accountId: string; pseudonym: string; leftAt: string | null; totals: LedgerTotals; entries: LedgerEntry[] }>;
  totals: LedgerTotals;
}

/** The pay table: per member, hours, owed, paid and balance; and the association's totals. */
export async function payOverview(ctx: ParticipationContext): Promise<PayOverview> {
  requirePolicy(ctx.who, 'participation.pay');
  const { organizationId } = ctx.who;
  const ledgers = await readLedgers(ctx.db, ctx.masterKey, organizationId);
  const rateCents = await inTenant(ctx.db, organizationId, (trx) => hourlyRate(trx, organizationId));
  const members = ledgers.map((l) => ({ accountId: l.accountId, pseudonym: l.pseudonym, leftAt: l.leftAt, totals: totalsOf(l), entries: l.entries }));
  const totals = totalsOf({ entries: ledgers.flatMap((l) => l.entries), payments: ledgers.flatMap((l) => l.payments) });
  return { rateCents, members, totals };
}

/** Her own hours and money (the member's home). */
export async function myPay(ctx: ParticipationContext): Promise<LedgerTotals> {
  requirePolicy(ctx.who, 'participation.take_part');
  const [ledger] = await readLedgers(ctx.db, ctx.masterKey, ctx.who.organizationId, ctx.who.accountId);
  return ledger ? totalsOf(ledger) : { minutes: 0, owedCents: 0, paidCents: 0, balanceCents: 0 };
}

/** The bookkeeping CSV (see participation/pay.ts `payCsv` for its layout). */
export async function payExport(ctx: ParticipationContext, labels: Parameters<typeof payCsv>[1]): Promise<string> {
  requirePolicy(ctx.who, 'participation.pay');
  const ledgers = await readLedgers(ctx.db, ctx.masterKey, ctx.who.organizationId);
  return payCsv(ledgers, labels);
}
