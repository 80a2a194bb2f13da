import { readConfig } from '../../src/lib/server/config';
import { openOperatorDatabase, type Db } from '../../src/lib/server/db/connect';
import fs from 'node:fs';
import { ensureMasterKey, readMasterKey } from '../../src/lib/server/crypto/master-key';
import { DomainError } from '../../src/lib/errors';
import { createOrganization } from '../../src/lib/server/accounts/organization.service';
import { disableAccount, findAccountsByEmail, inviteAccount, isEmail } from '../../src/lib/server/accounts/account.service';
import { ROLES, isRole } from '../../src/lib/server/accounts/roles';
import { CommandFailure, EXIT_OK, UsageError, printJson, type Command } from '../command';
import { sendInvitationEmail, type InvitationMailOutcome } from '../../src/lib/server/accounts/invitation.email';
import { smtpMailer } from '../../src/lib/server/mail/mailer';
import { isLocale, localeCodes, sourceLocale } from '../../src/lib/i18n/locales';
import { translator } from '../../src/lib/i18n/translate';

const CLI_ACTOR = { id: 'cli' };

/**
 * Opens the configured database as the operator (the owner's role when
 * RELAIS_OWNER_DATABASE_URL is set), migrated, with the master key; closes it after `work`.
 * Tenant rows are reached only through `inTenant`, organization by organization.
 * `createKeyIfFirst`: on an instance with no organization yet and no key file, creates the
 * key as the first start of `relais serve` would (never when data may already need a key).
 */
export async function withInstance<T>(
  work: (context: { db: Db['db']; dialect: Db['dialect']; masterKey: Buffer; origin: string; masterKeyFile: string }) => Promise<T>,
  options: { createKeyIfFirst?: boolean; io?: { out(text: string): void } } = {}
): Promise<T> {
  const config = readConfig();
  if (options.createKeyIfFirst && !fs.existsSync(config.masterKeyFile)) {
    const { db, close } = await openOperatorDatabase(config);
    try {
      const existing = await db.selectFrom('organization').select('id').limit(1).executeTakeFirst();
      if (!existing && ensureMasterKey(config.masterKeyFile)) {
        options.io?.out(`Created the master key ${config.masterKeyFile} (mode 600). Back it up apart from the database.`);
      }
    } finally {
      await close();
    }
  }
  let masterKey: Buffer;
  try {
    masterKey = readMasterKey(config.masterKeyFile);
  } catch (error) {
    throw new CommandFailure(`${(error as Error).message} (run \`relais doctor\`)`);
  }
  const { db, dialect, close } = await openOperatorDatabase(config);
  try {
    return await work({ db, dialect, masterKey, origin: config.origin, masterKeyFile: config.masterKeyFile });
  } catch (error) {
    // Domain errors carry no personal data: their detail is a fixed sentence.
    if (error instanceof DomainError) throw new CommandFailure(error.message);
    throw error;
  } finally {
    await close();
  }
}

function requiredString(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required`);
  return value;
}

export const orgCreateCommand: Command = {
  name: 'org create',
  summary: 'create an organization (an association: a tenant) with its own data key',
  usage: 'relais org create --name <name> [--json]',
  options: { name: { type: 'string' } },
  async run({ values, io }) {
    const name = requiredString(values, 'name');
    if (name.trim().length > 200) throw new UsageError('--name must have at most 200 characters');
    const organization = await withInstance(({ db, masterKey }) => createOrganization(db, masterKey, { name, actor: CLI_ACTOR }), {
      createKeyIfFirst: true,
      // With --json, standard output is the JSON answer only.
      io: values.json ? { out: (text) => io.err(text) } : io
    });
    if (values.json) printJson(io, organization);
    else io.out(`created organization ${organization.id}`);
    return EXIT_OK;
  }
};

export const userInviteCommand: Command = {
  name: 'user invite',
  summary: 'invite someone by email and role; prints the one-time link (valid 72 hours) and emails it when SMTP is configured',
  usage: `relais user invite --org <id> --email <address> --role <${ROLES.join('|')}> [--lang <${localeCodes.join('|')}>] [--json]`,
  options: { org: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, lang: { type: 'string' } },
  async run({ values, io }) {
    const organizationId = requiredString(values, 'org');
    const email = requiredString(values, 'email');
    const role = requiredString(values, 'role');
    const lang = typeof values.lang === 'string' ? values.lang : sourceLocale;
    if (!isEmail(email)) throw new UsageError('--email is not an email address');
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    if (!isLocale(lang)) throw new UsageError(`--lang must be one of ${localeCodes.join(', ')}`);
    const result = await withInstance(async ({ db, masterKey, origin }) => {
      const invitation = await inviteAccount(db, masterKey, { organizationId, email, role, actor: CLI_ACTOR });
      return { ...invitation, link: `${origin}/invite/${invitation.token}` };
    });
    // With SMTP configured, the link goes to the address too (a failed mail is said, with its code).
    const config = readConfig();
    let mail: InvitationMailOutcome | null = null;
    if (config.smtpUrl && config.mailFrom) {
      const mailer = smtpMailer(config.smtpUrl, config.mailFrom);
      try {
        mail = await sendInvitationEmail(mailer, translator(lang), { to: email.trim(), role, link: result.link, expiresAt: result.expiresAt });
      } finally {
        mailer.close();
      }
    }
    // The link is the secret: shown once, here, to the operator; never logged.
    if (values.json) {
      printJson(io, { invitationId: result.invitationId, link: result.link, expiresAt: result.expiresAt, emailed: mail?.sent ?? false, ...(mail && !mail.sent ? { emailError: mail.code } : {}) });
    } else {
      io.out(`invitation link (give it only to the person invited; valid until ${result.expiresAt}): ${result.link}`);
      if (mail?.sent) io.out('The link was also sent to the address invited.');
      else if (mail) io.out(`The email could not be sent (${mail.code}): give the link by another safe way.`);
    }
    return EXIT_OK;
  }
};

export const userDisableCommand: Command = {
  name: 'user disable',
  summary: 'disable an account and end its sessions at once',
  usage: 'relais user disable <email> [--org <id>] [--json]',
  options: { org: { type: 'string' } },
  allowPositionals: true,
  async run({ values, positionals, io }) {
    if (positionals.length !== 1 || !positionals[0]) throw new UsageError('give one email address');
    const email = positionals[0];
    if (!isEmail(email)) throw new UsageError('not an email address');
    const org = typeof values.org === 'string' ? values.org : undefined;
    const result = await withInstance(async ({ db, masterKey }) => {
      const accounts = (await findAccountsByEmail(db, masterKey, email)).filter((a) => !org || a.organization_id === org);
      if (accounts.length === 0) throw new CommandFailure('no account with this address');
      if (accounts.length > 1) throw new UsageError(`this address has accounts in ${accounts.length} organizations: add --org <id>`);
      const account = accounts[0]!;
      const { sessionsEnded } = await disableAccount(db, { organizationId: account.organization_id, accountId: account.id, actor: CLI_ACTOR });
      return { accountId: account.id, organizationId: account.organization_id, sessionsEnded };
    });
    if (values.json) printJson(io, result);
    else io.out(`disabled account ${result.accountId}; ${result.sessionsEnded} session(s) ended`);
    return EXIT_OK;
  }
};
