/**
 * What the deliberation services share (issue 7: themes, statements and votes,
 * recommendations, the submission): the context of a use case, the refusal of one form
 * field, the consultation lookup, and the reader of usable contributions.
 *
 * A contribution is usable when `status = 'submitted'`: a withdrawn one disappears from
 * themes, statements' evidence and the submission, because every reader here goes through
 * `readUsableContributions` (or joins on `status = 'submitted'`).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { DomainError } from '../../errors';
import type { ConsultationTable, Database } from '../db/schema';
import { usableContributions, type UsableContribution as SubmittedContribution } from './contribution.service';

export type { ParticipationContext } from './context';
import type { ParticipationContext } from './context';

/** Input refused on one field; `key` is the message she reads, `field` the form field it names. */
export class ParticipationRefusedError extends DomainError {
  constructor(
    readonly field: string,
    readonly key: string
  ) {
    super('invalid_input', `refused: ${field}`);
  }
}

/** The actor of an audit entry about something a member did anonymously (never her account). */
export const MEMBER_ACTOR = 'member';

export const nowOf = (ctx: { now?: Date }) => ctx.now ?? new Date();
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The consultation of her organization, or `not_found`. */
export async function consultationOf(trx: Transaction<Database>, organizationId: string, consultationId: string): Promise<ConsultationTable> {
  if (typeof consultationId !== 'string' || consultationId.length > 60) throw new DomainError('not_found');
  const row = await trx.selectFrom('consultation').selectAll().where('organization_id', '=', organizationId).where('id', '=', consultationId).executeTakeFirst();
  if (!row) throw new DomainError('not_found');
  return row;
}

/** Refused once the submission has been sent: what was sent does not change under it. */
/** The consultation's phase state as phases.ts reads it (memberMay). */
export function phaseOf(consultation: ConsultationTable): { phase: ConsultationTable['phase']; submitted: boolean } {
  return { phase: consultation.phase, submitted: consultation.submitted_at !== null };
}

export function requireNotSubmitted(consultation: ConsultationTable): void {
  if (consultation.submitted_at) throw new ParticipationRefusedError('form', 'participation.deliberation.error.submitted');
}

/** A submitted contribution as deliberation reads it: its text ('' for a recording not yet transcribed). */
export type UsableContribution = Omit<SubmittedContribution, 'text'> & { text: string };

/** The consultation's submitted contributions, decrypted, oldest first (usableContributions of the consultations slice). */
export async function readUsableContributions(db: Kysely<Database>, masterKey: Buffer, organizationId: string, consultationId: string): Promise<UsableContribution[]> {
  return (await usableContributions(db, masterKey, organizationId, consultationId)).map((c) => ({ ...c, text: c.text ?? '' }));
}

/** A trimmed text of 1..max characters, or a refusal on `field`. */
export function requiredText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new ParticipationRefusedError(field, 'participation.deliberation.error.required');
  if (text.length > max) throw new ParticipationRefusedError(field, 'participation.deliberation.error.too_long');
  return text;
}

let lastMs = 0;
let counter = 0;
/**
 * A UUID-shaped id that sorts in creation order (UUID version 7 layout: milliseconds, then a
 * counter within the millisecond, then random bits). Statements carry only a day, not an
 * instant; their id keeps the order in which they were proposed.
 */
export function orderedId(now: number = Date.now()): string {
  if (now <= lastMs) {
    counter++;
    now = lastMs;
  } else {
    lastMs = now;
    counter = 0;
  }
  const hex = now.toString(16).padStart(12, '0').slice(-12);
  const seq = (0x7000 | (counter & 0x0fff)).toString(16);
  const rand = randomBytes(8);
  rand[0] = (rand[0]! & 0x3f) | 0x80;
  const tail = rand.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${seq}-${tail.slice(0, 4)}-${tail.slice(4, 16)}`;
}
