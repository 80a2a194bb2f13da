/**
 * A helper's private calendar feed (issue 6): an .ics at a secret URL,
 * `<origin>/calendar/<organization id>.<secret>.ics`, that her calendar app reads without
 * signing in — the secret is the credential. Like a session cookie, the organization comes
 * first (the tenant must be known before the secret is looked up) and only the secret's
 * SHA-256 is stored: the URL is shown once, when she creates it. She can replace it (the
 * old one stops at once) or revoke it. A feed answers only while her account is active and
 * her role may read records; it holds the open deadlines of the people assigned to her, by
 * their pseudonym's initials (accompaniment/calendar.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { feedIcs, type FeedEvent } from '../../accompaniment/calendar';
import { translator } from '../../i18n/translate';
import { isLocale, type LocaleCode } from '../../i18n/locales';
import { DomainError } from '../../errors';
import { appendAudit } from '../audit/audit';
import { dataKeyOf } from '../accounts/organization.service';
import type { Role } from '../accounts/roles';
import { newTenantToken, parseTenantToken } from '../accounts/tenant-token';
import { decryptField, hashToken } from '../crypto/envelope';
import type { Database } from '../db/schema';
import { inTenant } from '../db/tenant';
import { canDoCase } from './person.policy';
import { initialsOf, personKeyOf, type CaseContext } from './person.service';
import { findLiveFeedBySecretHash, findLiveFeedOfAccount, insertFeed, listOpenDeadlinesAssignedTo, revokeFeedsOfAccount } from './reminder.repository';

/** Overdue deadlines stay in the feed this long (they are still open). */
const PAST_DAYS = 90;
const MAX_EVENTS = 1000;

/** The URL path of a feed token. */
export const calendarPath = (token: string) => `/calendar/${token}.ics`;

function requireReader(ctx: CaseContext): void {
  if (!canDoCase(ctx.who.role, 'case.read')) throw new DomainError('forbidden', 'calendar feeds are for helpers');
}

/** Whether she has a live feed, and since when (the URL itself is never shown again). Throws `forbidden`. */
export async function calendarFeedOf(ctx: CaseContext): Promise<{ createdAt: string } | null> {
  requireReader(ctx);
  const feed = await inTenant(ctx.db, ctx.who.organizationId, (trx) => findLiveFeedOfAccount(trx, ctx.who.organizationId, ctx.who.accountId));
  return feed ? { createdAt: feed.created_at } : null;
}

/**
 * Creates her feed (revoking the one she had) and returns its URL — the only time it is
 * shown. Events are worded in `locale`. Audited. Throws `forbidden`.
 */
export async function createCalendarFeed(ctx: CaseContext, origin: string, locale: LocaleCode): Promise<{ url: string }> {
  requireReader(ctx);
  const now = ctx.now ?? new Date();
  const { token, secret } = newTenantToken(ctx.who.organizationId);
  const id = randomUUID();
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    await revokeFeedsOfAccount(trx, ctx.who.organizationId, ctx.who.accountId, now.toISOString());
    await insertFeed(trx, {
      id,
      organization_id: ctx.who.organizationId,
      account_id: ctx.who.accountId,
      secret_hash: hashToken(secret),
      locale,
      created_at: now.toISOString(),
      revoked_at: null
    });
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'calendar.create', target: { kind: 'calendar_feed', id }, at: now });
  });
  return { url: `${origin}${calendarPath(token)}` };
}

/** Revokes her feed; false when she had none. Audited. Throws `forbidden`. */
export async function revokeCalendarFeed(ctx: CaseContext): Promise<boolean> {
  requireReader(ctx);
  const now = ctx.now ?? new Date();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const revoked = await revokeFeedsOfAccount(trx, ctx.who.organizationId, ctx.who.accountId, now.toISOString());
    if (revoked === 0) return false;
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'calendar.revoke', target: { kind: 'calendar_feed', id: ctx.who.accountId }, at: now });
    return true;
  });
}

/**
 * The feed a token names, as .ics text, or null — for a token that is malformed, unknown,
 * revoked, of a disabled account or of a role that no longer reads records (the route
 * answers 404 to all alike). Reads are not audited (calendar apps poll every hour); the
 * feed's creation is.
 */
export async function readCalendarFeed(db: Kysely<Database>, masterKey: Buffer, token: string, origin: string, now: Date = new Date()): Promise<string | null> {
  const named = parseTenantToken(token);
  if (!named) return null;
  const { organizationId } = named;
  return inTenant(db, organizationId, async (trx) => {
    const feed = await findLiveFeedBySecretHash(trx, organizationId, hashToken(named.secret));
    if (!feed) return null;
    const account = await trx.selectFrom('person_account').select(['status', 'role']).where('organization_id', '=', organizationId).where('id', '=', feed.account_id).executeTakeFirst();
    if (!account || account.status !== 'active' || !canDoCase(account.role as Role, 'case.read')) return null;
    const rows = await listOpenDeadlinesAssignedTo(trx, organizationId, feed.account_id, new Date(now.getTime() - PAST_DAYS * 86_400_000).toISOString(), MAX_EVENTS);
    const orgKey = rows.length ? await dataKeyOf(trx, masterKey, organizationId) : null;
    const initials = new Map<string, string>();
    const events: FeedEvent[] = [];
    for (const r of rows) {
      if (!r.wrapped_key || !r.pseudonym_encrypted) continue;
      let label = initials.get(r.person_id);
      if (label === undefined) {
        try {
          const pseudonym = decryptField(personKeyOf(orgKey!, { id: r.person_id, wrapped_key: r.wrapped_key }), r.pseudonym_encrypted, { table: 'case_person', column: 'pseudonym', rowId: r.person_id });
          label = initialsOf(pseudonym);
        } catch {
          // One unreadable record must not take her whole calendar down: its deadline stays.
          label = '?';
        }
        initials.set(r.person_id, label);
      }
      events.push({
        uid: createHash('sha256').update(`${r.procedure_id}|${r.key}|${r.step_seq}`).digest('hex').slice(0, 32),
        initials: label,
        deadlineKey: r.key,
        procedureKind: r.kind,
        category: r.category,
        due: r.due_at,
        uncertain: r.uncertain === 1,
        link: `${origin}/staff/people/${r.person_id}/procedures/${r.procedure_id}`
      });
    }
    return feedIcs(events, translator(isLocale(feed.locale) ? feed.locale : 'fr'), now);
  });
}
