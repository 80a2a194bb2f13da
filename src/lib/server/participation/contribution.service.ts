/**
 * Contributions (issue 7): what members answer to the chosen questions — typed, recorded or
 * transcribed — and what facilitators enter from a workshop's paper. Anonymous by design
 * (docs/security.md "Participation"):
 *
 * - the `contribution` row has no author column; a member's own carries `author_tag`, an
 *   HMAC under the author key that lives only in her browser's cookie (authorship.ts). Her
 *   own are found by recomputing the tag of each contribution of the consultation with her
 *   key — never by a query on her account;
 * - during a facilitator's proxy session (member.repository.ts `openedAsProxy`: live, ended or run out), no author key
 *   is made or read: what is written is sent at once, `source` facilitator, no tag;
 * - a facilitator's transcription and a workshop batch carry no tag either;
 * - dates are days (Paris), the audit entries of contribution actions name no one (actor
 *   `member` or `facilitator`) and carry the day, not the instant;
 * - texts, translations and recordings are encrypted under the organization's data key,
 *   bound to the contribution's id.
 *
 * Refusals a form shows next to a field are `ContributionRefusedError` (field + message key);
 * anything she may not reach is `not_found`.
 */
import { randomUUID } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import { DomainError } from '../../errors';
import { memberMay, type MemberAction } from '../../participation/phases';
import { countForDisplay, type CountMessage } from '../../participation/counts';
import { MAX_AUDIO_BYTES, audioTypeOf, isConsent, isContentNote, isTextLanguage, type Consent, type ContentNote } from '../../participation/contributions';
import { fromParis, parisDateKey, parseDateKey } from '../../time/paris-time';
import { dataKeyOf } from '../accounts/organization.service';
import { appendAudit } from '../audit/audit';
import { decryptBytes, decryptField, encryptBytes, encryptField } from '../crypto/envelope';
import type { ContributionTable, Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { ensureAuthorKey, isAuthor, readAuthorKey, authorTag } from './authorship';
import { consultationOf, type Consultation } from './consultation.repository';
import { requireFacilitator, type ParticipationContext } from './consultation.service';
import { findMember, openedAsProxy } from './member.repository';

/** The audit actor of every contribution action: never an account. */
export const MEMBER_ACTOR = 'member';
export const FACILITATOR_ACTOR = 'facilitator';

export interface MemberContext extends ParticipationContext {
  /** Her browser's cookies: where her author key lives. */
  cookies: Pick<Cookies, 'get' | 'set'>;
  /** The instance is served over https (the author cookie is then Secure). */
  secure: boolean;
}

/** A refused field: `field` names the form field, `key` the message she reads. */
export class ContributionRefusedError extends DomainError {
  constructor(
    readonly field: string,
    readonly key: string
  ) {
    super('invalid_input', `contribution refused: ${field}`);
  }
}

export interface AudioInput {
  bytes: Buffer;
  /** As the browser declared it. */
  type: string;
}

export interface WriteInput {
  /** Her draft or sent contribution she edits; absent for a new one. */
  contributionId?: string | null;
  questionId: string;
  language: string;
  text: string;
  contentNote: string | null;
  consent: string;
  audio: AudioInput | null;
  /** pause: keep it as a draft; send: submit it. */
  intent: 'pause' | 'send';
}

export interface UsableContribution {
  id: string;
  questionId: string | null;
  language: string;
  text: string | null;
  translation: string | null;
  translationLanguage: string | null;
  consent: Consent;
  source: string;
  workshopId: string | null;
  presentCount: number | null;
}

const ctxOf = (id: string, column: 'text_encrypted' | 'translation_encrypted' | 'audio_encrypted') => ({ table: 'contribution', column, rowId: id });

function today(now: Date): string {
  return parisDateKey(now);
}

/** The audit instant of a contribution action: the start of the Paris day, not the minute. */
function auditDay(now: Date): Date {
  const { year, month, day } = parseDateKey(today(now))!;
  return fromParis({ year, month, day, hour: 0, minute: 0 });
}

/**
 * Audits what a facilitator does to a contribution (actor `facilitator`, the day). What a
 * member does to her own (write, consent, translate, withdraw, confirm) is NOT audited: the
 * audit log is one hash chain in order, and an entry "a contribution was sent" right after
 * "she signed in" would tell who wrote it, whatever its actor and its time say.
 */
async function auditContribution(db: Kysely<Database>, organizationId: string, actor: string, action: Parameters<typeof appendAudit>[1]['action'], id: string, now: Date): Promise<void> {
  if (actor === MEMBER_ACTOR) return;
  await appendAudit(db, { organizationId, actorId: actor, action, target: { kind: 'contribution', id }, at: auditDay(now) });
}

function decryptText(key: Buffer, row: Pick<ContributionTable, 'id' | 'text_encrypted'>): string | null {
  return row.text_encrypted ? decryptField(key, row.text_encrypted, ctxOf(row.id, 'text_encrypted')) : null;
}

function decryptTranslation(key: Buffer, row: Pick<ContributionTable, 'id' | 'translation_encrypted'>): string | null {
  return row.translation_encrypted ? decryptField(key, row.translation_encrypted, ctxOf(row.id, 'translation_encrypted')) : null;
}

/** Encrypts a recording for `contribution.audio_encrypted` (base64 of the sealed bytes). */
export function sealAudio(key: Buffer, contributionId: string, bytes: Buffer): string {
  return encryptBytes(key, bytes, ctxOf(contributionId, 'audio_encrypted')).toString('base64');
}

function openAudio(key: Buffer, contributionId: string, sealed: string): Buffer {
  return decryptBytes(key, Buffer.from(sealed, 'base64'), ctxOf(contributionId, 'audio_encrypted'));
}

function checkAudio(audio: AudioInput | null, field: string): { bytes: Buffer; type: string } | null {
  if (!audio || audio.bytes.length === 0) return null;
  if (audio.bytes.length > MAX_AUDIO_BYTES) throw new ContributionRefusedError(field, 'participation.contribution.error.audio_too_big');
  const type = audioTypeOf(audio.type);
  if (!type) throw new ContributionRefusedError(field, 'participation.contribution.error.audio_type');
  return { bytes: audio.bytes, type };
}

function checkCommon(input: { language: string; consent: string; contentNote: string | null; text: string }, prefix = ''): { consent: Consent; contentNote: ContentNote | null } {
  if (!isTextLanguage(input.language)) throw new ContributionRefusedError(`${prefix}language`, 'participation.contribution.error.language');
  if (!isConsent(input.consent)) throw new ContributionRefusedError(`${prefix}consent`, 'participation.contribution.error.consent');
  if (input.contentNote !== null && !isContentNote(input.contentNote)) throw new ContributionRefusedError(`${prefix}content_note`, 'participation.contribution.error.content_note');
  return { consent: input.consent, contentNote: input.contentNote as ContentNote | null };
}

// ——— Member side ————————————————————————————————————————————————————————————————

interface MemberScope {
  consultation: Consultation;
  language: string;
  /** A facilitator acts for her in this session: no author key. */
  proxy: boolean;
  submitted: boolean;
}

async function memberScope(ctx: ParticipationContext, consultationId: string): Promise<MemberScope> {
  if (ctx.who.role !== 'member') throw new DomainError('forbidden');
  const member = await findMember(ctx.db, ctx.who.organizationId, ctx.who.accountId);
  if (!member || member.left_at) throw new DomainError('forbidden');
  const consultation = await consultationOf(ctx.db, ctx.who.organizationId, consultationId);
  if (!consultation) throw new DomainError('not_found');
  const proxy = await openedAsProxy(ctx.db, ctx.who);
  return { consultation, language: member.language, proxy, submitted: consultation.submittedAt !== null };
}

function requireMay(scope: MemberScope, action: MemberAction): void {
  if (!memberMay(action, { phase: scope.consultation.phase, submitted: scope.submitted })) throw new ContributionRefusedError('form', `participation.contribution.error.closed_${action}`);
}

/** Her author key from this browser, never made here; null in a proxy session. */
function ownKey(ctx: MemberContext, scope: MemberScope): Buffer | null {
  return scope.proxy ? null : readAuthorKey(ctx.cookies, ctx.masterKey, ctx.who.accountId);
}

/** One of her own contributions (its tag matches her key), or `not_found`. */
async function findOwn(ctx: MemberContext, scope: MemberScope, contributionId: string): Promise<ContributionTable> {
  const key = ownKey(ctx, scope);
  if (!key) throw new DomainError('not_found');
  const { organizationId } = ctx.who;
  const row = await inTenant(ctx.db, organizationId, (trx) =>
    trx.selectFrom('contribution').selectAll().where('organization_id', '=', organizationId).where('consultation_id', '=', scope.consultation.id).where('id', '=', contributionId).executeTakeFirst()
  );
  if (!row || !isAuthor(key, row.id, row.author_tag)) throw new DomainError('not_found');
  return row;
}

export interface OwnContribution {
  id: string;
  questionId: string | null;
  language: string;
  text: string | null;
  translation: string | null;
  translationLanguage: string | null;
  contentNote: string | null;
  consent: Consent;
  status: string;
  hasAudio: boolean;
  createdOn: string;
  updatedOn: string;
  withdrawnOn: string | null;
}

export interface WorkshopBatchToConfirm {
  workshopId: string;
  workshopTitle: string;
  contributions: Array<{ id: string; text: string | null; questionId: string | null; verdict: string | null }>;
}

/**
 * Her page of a consultation: its chosen questions, what she may do in this phase, her own
 * contributions (found with the key of this browser; none in a proxy session) and the
 * transcriptions of workshops she attended, to confirm. Throws `forbidden`, `not_found`.
 */
export async function memberConsultation(ctx: MemberContext, consultationId: string) {
  const scope = await memberScope(ctx, consultationId);
  const { organizationId, accountId } = ctx.who;
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  const authorKey = ownKey(ctx, scope);
  const own: OwnContribution[] = [];
  const { rows, attended } = await inTenant(ctx.db, organizationId, async (trx) => ({
    rows: authorKey
      ? await trx
          .selectFrom('contribution')
          .selectAll()
          .where('organization_id', '=', organizationId)
          .where('consultation_id', '=', consultationId)
          .where('author_tag', 'is not', null)
          .orderBy('created_on')
          .orderBy('id')
          .execute()
      : [],
    attended: await trx
      .selectFrom('workshop_attendance')
      .innerJoin('workshop', 'workshop.id', 'workshop_attendance.workshop_id')
      .select(['workshop.id as id', 'workshop.title as title'])
      .where('workshop_attendance.organization_id', '=', organizationId)
      .where('workshop.organization_id', '=', organizationId)
      .where('workshop_attendance.account_id', '=', accountId)
      .where('workshop.consultation_id', '=', consultationId)
      .execute()
  }));
  for (const row of rows) {
    if (!authorKey || !isAuthor(authorKey, row.id, row.author_tag)) continue;
    own.push({
      id: row.id,
      questionId: row.question_id,
      language: row.language,
      text: decryptText(key, row),
      translation: decryptTranslation(key, row),
      translationLanguage: row.translation_language,
      contentNote: row.content_note,
      consent: row.consent,
      status: row.status,
      hasAudio: row.audio_encrypted !== null,
      createdOn: row.created_on,
      updatedOn: row.updated_on,
      withdrawnOn: row.withdrawn_on
    });
  }
  const toConfirm: WorkshopBatchToConfirm[] = [];
  if (attended.length) {
    const batch = await inTenant(ctx.db, organizationId, async (trx) => ({
      rows: await trx
        .selectFrom('contribution')
        .select(['id', 'workshop_id', 'question_id', 'text_encrypted'])
        .where('organization_id', '=', organizationId)
        .where('consultation_id', '=', consultationId)
        .where('source', '=', 'workshop')
        .where('status', '=', 'submitted')
        .where(
          'workshop_id',
          'in',
          attended.map((w) => w.id)
        )
        .orderBy('id')
        .execute(),
      verdicts: await trx.selectFrom('contribution_confirmation').select(['contribution_id', 'verdict']).where('organization_id', '=', organizationId).where('account_id', '=', accountId).execute()
    }));
    for (const w of attended) {
      const contributions = batch.rows
        .filter((r) => r.workshop_id === w.id)
        .map((r) => ({ id: r.id, questionId: r.question_id, text: decryptText(key, r), verdict: batch.verdicts.find((v) => v.contribution_id === r.id)?.verdict ?? null }));
      if (contributions.length) toConfirm.push({ workshopId: w.id, workshopTitle: w.title, contributions });
    }
  }
  const state = { phase: scope.consultation.phase, submitted: scope.submitted };
  return {
    consultation: { ...scope.consultation, questions: scope.consultation.questions.filter((q) => q.chosen) },
    language: scope.language,
    proxy: scope.proxy,
    /** This browser holds her author key (she has written from it before). */
    hasKey: authorKey !== null,
    may: {
      write: memberMay('write', state),
      edit: memberMay('edit', state),
      consent: memberMay('consent', state),
      translate: memberMay('translate', state),
      withdraw: memberMay('withdraw', state),
      confirm: memberMay('confirm', state)
    },
    own,
    toConfirm
  };
}

/**
 * Writes her answer to a chosen question, or changes her draft or sent answer (while collect
 * is open): `pause` keeps it as a draft only she finds again; `send` submits it. A text or a
 * recording is required. In her own session the first write sets her author key's cookie and
 * the row gets her tag; in a proxy session the answer is sent at once (no draft: nobody could
 * find it again), with no tag and `source` facilitator.
 * Throws ContributionRefusedError, `forbidden`, `not_found`.
 */
export async function writeContribution(ctx: MemberContext, consultationId: string, input: WriteInput, now: Date = new Date()): Promise<{ id: string; status: 'draft' | 'submitted' }> {
  const scope = await memberScope(ctx, consultationId);
  const { organizationId } = ctx.who;
  const existing = input.contributionId ? await findOwn(ctx, scope, input.contributionId) : null;
  requireMay(scope, existing ? 'edit' : 'write');
  if (existing?.status === 'withdrawn') throw new DomainError('not_found');
  const prefix = `${input.questionId}-`;
  const question = scope.consultation.questions.find((q) => q.id === input.questionId && q.chosen);
  if (!question) throw new ContributionRefusedError('form', 'participation.contribution.error.question');
  if (existing && existing.question_id !== question.id) throw new DomainError('not_found');
  const { consent, contentNote } = checkCommon(input, prefix);
  const audio = checkAudio(input.audio, `${prefix}audio`);
  const text = input.text.trim();
  const keepsAudio = existing?.audio_encrypted != null;
  if (!text && !audio && !keepsAudio) throw new ContributionRefusedError(`${prefix}text`, 'participation.contribution.error.empty');
  if (text.length > 10_000) throw new ContributionRefusedError(`${prefix}text`, 'participation.contribution.error.too_long');
  if (scope.proxy && input.intent === 'pause') throw new ContributionRefusedError('form', 'participation.contribution.error.proxy_pause');
  const status = input.intent === 'send' ? 'submitted' : 'draft';
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  const day = today(now);
  const id = existing?.id ?? randomUUID();
  let tag: string | null = existing?.author_tag ?? null;
  if (!existing && !scope.proxy) tag = authorTag(ensureAuthorKey(ctx.cookies, ctx.masterKey, ctx.who.accountId, { secure: ctx.secure }), id);
  const fields = {
    language: input.language,
    text_encrypted: text ? encryptField(key, text, ctxOf(id, 'text_encrypted')) : null,
    content_note: contentNote,
    consent,
    status,
    updated_on: day,
    ...(audio ? { audio_encrypted: sealAudio(key, id, audio.bytes), audio_type: audio.type } : {})
  };
  await inTenant(ctx.db, organizationId, async (trx) => {
    if (existing) {
      await trx.updateTable('contribution').set(fields).where('organization_id', '=', organizationId).where('id', '=', id).execute();
    } else {
      await trx
        .insertInto('contribution')
        .values({
          id,
          organization_id: organizationId,
          consultation_id: consultationId,
          question_id: question.id,
          source: scope.proxy ? 'facilitator' : 'member',
          workshop_id: null,
          present_count: null,
          translation_encrypted: null,
          translation_language: null,
          translation_by: null,
          audio_encrypted: null,
          audio_type: null,
          author_tag: tag,
          created_on: day,
          withdrawn_on: null,
          ...fields
        })
        .execute();
    }
    await auditContribution(trx, organizationId, MEMBER_ACTOR, status === 'submitted' ? 'contribution.submit' : 'contribution.draft', id, now);
  });
  return { id, status };
}

/** Changes the consent of one of hers (until the submission). Throws ContributionRefusedError, `forbidden`, `not_found`. */
export async function changeOwnConsent(ctx: MemberContext, consultationId: string, contributionId: string, consent: string, now: Date = new Date()): Promise<void> {
  const scope = await memberScope(ctx, consultationId);
  const row = await findOwn(ctx, scope, contributionId);
  requireMay(scope, 'consent');
  if (!isConsent(consent)) throw new ContributionRefusedError(`consent-${contributionId}`, 'participation.contribution.error.consent');
  if (row.status === 'withdrawn') throw new DomainError('not_found');
  const { organizationId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    await trx.updateTable('contribution').set({ consent, updated_on: today(now) }).where('organization_id', '=', organizationId).where('id', '=', row.id).execute();
    await auditContribution(trx, organizationId, MEMBER_ACTOR, 'contribution.consent', row.id, now);
  });
}

/**
 * Adds or replaces her own translation of one of hers, marked as hers (the original is kept).
 * Throws ContributionRefusedError, `forbidden`, `not_found`.
 */
export async function translateOwn(ctx: MemberContext, consultationId: string, contributionId: string, input: { language: string; translation: string }, now: Date = new Date()): Promise<void> {
  const scope = await memberScope(ctx, consultationId);
  const row = await findOwn(ctx, scope, contributionId);
  requireMay(scope, 'translate');
  if (row.status === 'withdrawn') throw new DomainError('not_found');
  await storeTranslation(ctx, row, input, 'member', MEMBER_ACTOR, `translation-${contributionId}`, now);
}

async function storeTranslation(ctx: ParticipationContext, row: ContributionTable, input: { language: string; translation: string }, by: 'member' | 'facilitator', actor: string, field: string, now: Date): Promise<void> {
  const translation = input.translation.trim();
  if (!isTextLanguage(input.language)) throw new ContributionRefusedError(`${field}-language`, 'participation.contribution.error.language');
  if (!translation) throw new ContributionRefusedError(field, 'participation.contribution.error.empty_translation');
  if (translation.length > 10_000) throw new ContributionRefusedError(field, 'participation.contribution.error.too_long');
  const { organizationId } = ctx.who;
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  await inTenant(ctx.db, organizationId, async (trx) => {
    await trx
      .updateTable('contribution')
      .set({ translation_encrypted: encryptField(key, translation, ctxOf(row.id, 'translation_encrypted')), translation_language: input.language, translation_by: by, updated_on: today(now) })
      .where('organization_id', '=', organizationId)
      .where('id', '=', row.id)
      .execute();
    await auditContribution(trx, organizationId, actor, 'contribution.translate', row.id, now);
  });
}

async function markWithdrawn(ctx: ParticipationContext, row: ContributionTable, erase: boolean, actor: string, now: Date): Promise<void> {
  const { organizationId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    await trx
      .updateTable('contribution')
      .set({
        status: 'withdrawn',
        withdrawn_on: today(now),
        updated_on: today(now),
        ...(erase ? { text_encrypted: null, translation_encrypted: null, translation_language: null, translation_by: null, audio_encrypted: null, audio_type: null } : {})
      })
      .where('organization_id', '=', organizationId)
      .where('id', '=', row.id)
      .execute();
    await auditContribution(trx, organizationId, actor, 'contribution.withdraw', row.id, now);
  });
}

/**
 * Withdraws one of hers (until the submission): it leaves every theme, count and draft that
 * reads usable contributions; `erase` also deletes its text, translation and recording.
 * Throws ContributionRefusedError, `forbidden`, `not_found`.
 */
export async function withdrawOwn(ctx: MemberContext, consultationId: string, contributionId: string, erase: boolean, now: Date = new Date()): Promise<void> {
  const scope = await memberScope(ctx, consultationId);
  const row = await findOwn(ctx, scope, contributionId);
  requireMay(scope, 'withdraw');
  if (row.status === 'withdrawn' && !erase) return;
  await markWithdrawn(ctx, row, erase, MEMBER_ACTOR, now);
}

/** The recording of one of hers, decrypted, or `not_found`. */
export async function ownAudio(ctx: MemberContext, consultationId: string, contributionId: string): Promise<{ bytes: Buffer; type: string }> {
  const scope = await memberScope(ctx, consultationId);
  const row = await findOwn(ctx, scope, contributionId);
  if (!row.audio_encrypted || !row.audio_type) throw new DomainError('not_found');
  const key = await dataKeyOf(ctx.db, ctx.masterKey, ctx.who.organizationId);
  return { bytes: openAudio(key, row.id, row.audio_encrypted), type: row.audio_type };
}

/**
 * A member who attended a workshop confirms (or says needs correcting) the transcription of
 * one line of its batch. Throws ContributionRefusedError, `forbidden`, `not_found`.
 */
export async function confirmTranscription(ctx: MemberContext, consultationId: string, contributionId: string, verdict: string, now: Date = new Date()): Promise<void> {
  const scope = await memberScope(ctx, consultationId);
  requireMay(scope, 'confirm');
  if (verdict !== 'confirmed' && verdict !== 'corrected') throw new ContributionRefusedError('form', 'participation.contribution.error.verdict');
  const { organizationId, accountId } = ctx.who;
  await inTenant(ctx.db, organizationId, async (trx) => {
    const row = await trx
      .selectFrom('contribution')
      .innerJoin('workshop_attendance', 'workshop_attendance.workshop_id', 'contribution.workshop_id')
      .select('contribution.id as id')
      .where('contribution.organization_id', '=', organizationId)
      .where('workshop_attendance.organization_id', '=', organizationId)
      .where('contribution.consultation_id', '=', consultationId)
      .where('contribution.id', '=', contributionId)
      .where('contribution.source', '=', 'workshop')
      .where('contribution.status', '=', 'submitted')
      .where('workshop_attendance.account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new DomainError('not_found');
    await trx.deleteFrom('contribution_confirmation').where('organization_id', '=', organizationId).where('contribution_id', '=', contributionId).where('account_id', '=', accountId).execute();
    await trx.insertInto('contribution_confirmation').values({ organization_id: organizationId, contribution_id: contributionId, account_id: accountId, verdict, at: today(now) }).execute();
    await auditContribution(trx, organizationId, MEMBER_ACTOR, 'contribution.confirm', contributionId, now);
  });
}

// ——— Facilitator side ————————————————————————————————————————————————————————————

async function requireFacilitated(ctx: ParticipationContext, consultationId: string): Promise<Consultation> {
  requireFacilitator(ctx.who);
  const consultation = await consultationOf(ctx.db, ctx.who.organizationId, consultationId);
  if (!consultation) throw new DomainError('not_found');
  return consultation;
}

async function findInConsultation(ctx: ParticipationContext, consultationId: string, contributionId: string): Promise<ContributionTable> {
  const { organizationId } = ctx.who;
  const row = await inTenant(ctx.db, organizationId, (trx) =>
    trx.selectFrom('contribution').selectAll().where('organization_id', '=', organizationId).where('consultation_id', '=', consultationId).where('id', '=', contributionId).where('status', '!=', 'draft').executeTakeFirst()
  );
  if (!row) throw new DomainError('not_found');
  return row;
}

export interface FacilitatorContribution {
  id: string;
  questionId: string | null;
  language: string;
  text: string | null;
  translation: string | null;
  translationLanguage: string | null;
  translationBy: string | null;
  contentNote: string | null;
  consent: Consent;
  status: string;
  source: string;
  workshopId: string | null;
  presentCount: number | null;
  hasAudio: boolean;
  createdOn: string;
  withdrawnOn: string | null;
  /**
   * Members present who confirmed the transcription (a workshop line), and who said it needs
   * correcting — as they may be shown ("fewer than 5" below 5): the numbers never leave this
   * module, so they are not in the page's data either.
   */
  confirmed: CountMessage;
  corrected: CountMessage;
}

/**
 * Every contribution of a consultation that has been sent (drafts are hers alone) or
 * withdrawn (listed as such, without its words), decrypted, with nothing about who wrote it
 * — there is nothing to show. The
 * consultation's workshops, for the batch form. Throws `forbidden`, `not_found`.
 */
export async function contributionsForFacilitator(ctx: ParticipationContext, consultationId: string) {
  const consultation = await requireFacilitated(ctx, consultationId);
  const { organizationId } = ctx.who;
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  const { rows, confirmations, workshops } = await inTenant(ctx.db, organizationId, async (trx) => ({
    rows: await trx
      .selectFrom('contribution')
      .select(['id', 'question_id', 'language', 'text_encrypted', 'translation_encrypted', 'translation_language', 'translation_by', 'content_note', 'consent', 'status', 'source', 'workshop_id', 'present_count', 'audio_encrypted', 'created_on', 'withdrawn_on'])
      .where('organization_id', '=', organizationId)
      .where('consultation_id', '=', consultationId)
      .where('status', 'in', ['submitted', 'withdrawn'])
      .orderBy('created_on')
      .orderBy('id')
      .execute(),
    confirmations: await trx
      .selectFrom('contribution_confirmation')
      .innerJoin('contribution', 'contribution.id', 'contribution_confirmation.contribution_id')
      .select(['contribution_confirmation.contribution_id as id', 'contribution_confirmation.verdict as verdict'])
      .where('contribution_confirmation.organization_id', '=', organizationId)
      .where('contribution.organization_id', '=', organizationId)
      .where('contribution.consultation_id', '=', consultationId)
      .execute(),
    workshops: await trx
      .selectFrom('workshop')
      .select(['id', 'title', 'starts_at'])
      .where('organization_id', '=', organizationId)
      .where('consultation_id', '=', consultationId)
      .where('cancelled_at', 'is', null)
      .orderBy('starts_at')
      .execute()
  }));
  // A withdrawn contribution is listed as withdrawn, its words no longer shown to anyone but her.
  const contributions: FacilitatorContribution[] = rows.map((row) => ({
    id: row.id,
    questionId: row.question_id,
    language: row.language,
    text: row.status === 'withdrawn' ? null : decryptText(key, row),
    translation: row.status === 'withdrawn' ? null : decryptTranslation(key, row),
    translationLanguage: row.translation_language,
    translationBy: row.translation_by,
    contentNote: row.content_note,
    consent: row.consent,
    status: row.status,
    source: row.source,
    workshopId: row.workshop_id,
    presentCount: row.present_count === null ? null : Number(row.present_count),
    hasAudio: row.status !== 'withdrawn' && row.audio_encrypted !== null,
    createdOn: row.created_on,
    withdrawnOn: row.withdrawn_on,
    confirmed: countForDisplay(confirmations.filter((c) => c.id === row.id && c.verdict === 'confirmed').length),
    corrected: countForDisplay(confirmations.filter((c) => c.id === row.id && c.verdict === 'corrected').length)
  }));
  return { consultation, contributions, workshops: workshops.map((w) => ({ id: w.id, title: w.title, startsAt: w.starts_at })) };
}

function requireChosenQuestion(consultation: Consultation, questionId: string, field: string) {
  const question = consultation.questions.find((q) => q.id === questionId && q.chosen);
  if (!question) throw new ContributionRefusedError(field, 'participation.contribution.error.question');
  return question;
}

export interface TranscribeInput {
  questionId: string;
  language: string;
  text: string;
  contentNote: string | null;
  consent: string;
}

/**
 * A facilitator writes down what a member said (on the phone, in person): sent at once,
 * `source` facilitator, no author tag — nobody can edit it as hers later, and nothing says
 * whose it is. Throws ContributionRefusedError, `forbidden`, `not_found`.
 */
export async function transcribeContribution(ctx: ParticipationContext, consultationId: string, input: TranscribeInput, now: Date = new Date()): Promise<{ id: string }> {
  const consultation = await requireFacilitated(ctx, consultationId);
  const question = requireChosenQuestion(consultation, input.questionId, 'question');
  const { consent, contentNote } = checkCommon(input);
  const text = input.text.trim();
  if (!text) throw new ContributionRefusedError('text', 'participation.contribution.error.empty');
  if (text.length > 10_000) throw new ContributionRefusedError('text', 'participation.contribution.error.too_long');
  const { organizationId } = ctx.who;
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  const id = randomUUID();
  const day = today(now);
  await inTenant(ctx.db, organizationId, async (trx) => {
    await trx.insertInto('contribution').values(newRow(id, organizationId, consultationId, question.id, 'facilitator', input.language, encryptField(key, text, ctxOf(id, 'text_encrypted')), consent, contentNote, day)).execute();
    await auditContribution(trx, organizationId, FACILITATOR_ACTOR, 'contribution.transcribe', id, now);
  });
  return { id };
}

function newRow(id: string, organizationId: string, consultationId: string, questionId: string | null, source: string, language: string, textEncrypted: string, consent: Consent, contentNote: string | null, day: string, workshop?: { id: string; present: number }): ContributionTable {
  return {
    id,
    organization_id: organizationId,
    consultation_id: consultationId,
    question_id: questionId,
    source,
    workshop_id: workshop?.id ?? null,
    present_count: workshop?.present ?? null,
    language,
    text_encrypted: textEncrypted,
    translation_encrypted: null,
    translation_language: null,
    translation_by: null,
    audio_encrypted: null,
    audio_type: null,
    content_note: contentNote,
    consent,
    status: 'submitted',
    author_tag: null,
    created_on: day,
    updated_on: day,
    withdrawn_on: null
  };
}

export interface WorkshopBatchInput {
  workshopId: string;
  presentCount: number;
  questionId: string | null;
  language: string;
  lines: string[];
  consent: string;
}

/**
 * Input gathered on paper or flip charts at a workshop, entered at once: one contribution per
 * line, attributed to the workshop (with the number present), never to a person; members who
 * attended confirm it later. Throws ContributionRefusedError, `forbidden`, `not_found`.
 */
export async function enterWorkshopBatch(ctx: ParticipationContext, consultationId: string, input: WorkshopBatchInput, now: Date = new Date()): Promise<{ ids: string[] }> {
  const consultation = await requireFacilitated(ctx, consultationId);
  const { organizationId } = ctx.who;
  const workshop = await inTenant(ctx.db, organizationId, (trx) =>
    trx.selectFrom('workshop').select('id').where('organization_id', '=', organizationId).where('id', '=', input.workshopId).where('consultation_id', '=', consultationId).executeTakeFirst()
  );
  if (!workshop) throw new ContributionRefusedError('workshop', 'participation.batch.error.workshop');
  if (!Number.isInteger(input.presentCount) || input.presentCount < 1 || input.presentCount > 1000) throw new ContributionRefusedError('present_count', 'participation.batch.error.present_count');
  const questionId = input.questionId ? requireChosenQuestion(consultation, input.questionId, 'batch_question').id : null;
  const { consent } = checkCommon({ ...input, contentNote: null, text: '' }, 'batch_');
  if (input.lines.length === 0) throw new ContributionRefusedError('lines', 'participation.batch.error.lines');
  if (input.lines.length > 300 || input.lines.some((l) => l.length > 10_000)) throw new ContributionRefusedError('lines', 'participation.contribution.error.too_long');
  const key = await dataKeyOf(ctx.db, ctx.masterKey, organizationId);
  const day = today(now);
  const ids: string[] = [];
  await inTenant(ctx.db, organizationId, async (trx) => {
    for (const line of input.lines) {
      const id = randomUUID();
      ids.push(id);
      await trx
        .insertInto('contribution')
        .values(newRow(id, organizationId, consultationId, questionId, 'workshop', input.language, encryptField(key, line, ctxOf(id, 'text_encrypted')), consent, null, day, { id: workshop.id, present: input.presentCount }))
        .execute();
    }
    await appendAudit(trx, { organizationId, actorId: FACILITATOR_ACTOR, action: 'contribution.workshop_batch', target: { kind: 'workshop', id: workshop.id }, at: auditDay(now) });
  });
  return { ids };
}

/**
 * Withdraws a contribution on a member's request (she points at its text; nobody records
 * who asked). `erase` deletes its text too. Throws `forbidden`, `not_found`.
 */
export async function withdrawOnRequest(ctx: ParticipationContext, consultationId: string, contributionId: string, erase: boolean, now: Date = new Date()): Promise<void> {
  await requireFacilitated(ctx, consultationId);
  const row = await findInConsultation(ctx, consultationId, contributionId);
  if (row.status === 'withdrawn' && !erase) return;
  await markWithdrawn(ctx, row, erase, FACILITATOR_ACTOR, now);
}

/** Adds or replaces a translation marked as the facilitator's (the original is kept). Throws ContributionRefusedError, `forbidden`, `not_found`. */
export async function translateAsFacilitator(ctx: ParticipationContext, consultationId: string, contributionId: string, input: { language: string; translation: string }, now: Date = new Date()): Promise<void> {
  await requireFacilitated(ctx, consultationId);
  const row = await findInConsultation(ctx, consultationId, contributionId);
  if (row.status === 'withdrawn') throw new DomainError('not_found');
  await storeTranslation(ctx, row, input, 'facilitator', FACILITATOR_ACTOR, `translation-${contributionId}`, now);
}

/** A sent contribution's recording, decrypted, for a facilitator; `not_found` without one, or once withdrawn. */
export async function contributionAudio(ctx: ParticipationContext, consultationId: string, contributionId: string): Promise<{ bytes: Buffer; type: string }> {
  await requireFacilitated(ctx, consultationId);
  const row = await findInConsultation(ctx, consultationId, contributionId);
  if (row.status === 'withdrawn' || !row.audio_encrypted || !row.audio_type) throw new DomainError('not_found');
  const key = await dataKeyOf(ctx.db, ctx.masterKey, ctx.who.organizationId);
  return { bytes: openAudio(key, row.id, row.audio_encrypted), type: row.audio_type };
}

// ——— For the other parts of participation ——————————————————————————————————————————————

/**
 * The contributions themes, statements and the submission may use: status `submitted` only
 * (a draft is hers, a withdrawn one is gone), decrypted, with no author information. Their
 * consent says how each may be used ('internal' never goes into the document).
 */
export async function usableContributions(db: Kysely<Database>, masterKey: Buffer, organizationId: string, consultationId: string): Promise<UsableContribution[]> {
  const key = await dataKeyOf(db, masterKey, organizationId);
  const rows = await inTenant(db, organizationId, (trx) =>
    trx
      .selectFrom('contribution')
      .select(['id', 'question_id', 'language', 'text_encrypted', 'translation_encrypted', 'translation_language', 'consent', 'source', 'workshop_id', 'present_count'])
      .where('organization_id', '=', organizationId)
      .where('consultation_id', '=', consultationId)
      .where('status', '=', 'submitted')
      .orderBy('created_on')
      .orderBy('id')
      .execute()
  );
  return rows.map((row) => ({
    id: row.id,
    questionId: row.question_id,
    language: row.language,
    text: decryptText(key, row),
    translation: decryptTranslation(key, row),
    translationLanguage: row.translation_language,
    consent: row.consent,
    source: row.source,
    workshopId: row.workshop_id,
    presentCount: row.present_count === null ? null : Number(row.present_count)
  }));
}
