import path from 'node:path';

/**
 * Relais is configured by environment variables only. Each one is documented in the README
 * with its default; `relais doctor` checks them. Nothing here reads a file or opens a socket.
 */
export interface Config {
  port: number;
  host: string;
  origin: string;
  /** The app's connection. On PostgreSQL: a role that owns no table (docs/deploy.md). */
  databaseUrl: string;
  dialect: 'sqlite' | 'postgres';
  /**
   * PostgreSQL only, optional: the role that owns the tables. Migrations (`relais migrate`,
   * start-up) and operator commands use it, then grant the app's role its rights.
   */
  ownerDatabaseUrl?: string;
  dataDir: string;
  masterKeyFile: string;
  quickExitUrl: string;
  logLevel: 'info' | 'warn' | 'error' | 'silent';
  /** A staff session ends after this many minutes without a request (default 30). */
  sessionIdleMinutes: number;
  /** A staff session ends this many hours after sign-in, whatever happens (default 12). */
  sessionMaxHours: number;
  /**
   * Reminder emails (optional): the SMTP server, smtp://user:password@host:587 or
   * smtps://…:465, and the sender. Without them no email is sent (`relais doctor` says so).
   */
  smtpUrl?: string;
  mailFrom?: string;
  /** `relais serve` purges closed records past their retention every this many hours (default 6; 0: never — run `relais cases purge` from cron). */
  purgeEveryHours: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
  }
}

/** Reads and validates the configuration; throws ConfigError naming the variable at fault. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError('PORT', `PORT must be a number from 1 to 65535, not "${env.PORT}"`);
  }
  const host = env.HOST ?? '127.0.0.1';
  const shownHost = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
  const origin = env.ORIGIN ?? `http://${shownHost}:${port}`;
  let parsedOrigin: URL;
  try {
    parsedOrigin = new URL(origin);
  } catch {
    throw new ConfigError('ORIGIN', `ORIGIN must be a URL such as https://relais.example.org, not "${origin}"`);
  }
  if (parsedOrigin.origin !== origin.replace(/\/$/, '')) {
    throw new ConfigError('ORIGIN', `ORIGIN must be an origin only (scheme, host, port), not "${origin}"`);
  }
  const dataDir = path.resolve(env.RELAIS_DATA_DIR ?? 'data');
  const databaseUrl = env.DATABASE_URL ?? path.join(dataDir, 'relais.db');
  const dialect = /^postgres(ql)?:\/\//.test(databaseUrl) ? 'postgres' : 'sqlite';
  const ownerDatabaseUrl = env.RELAIS_OWNER_DATABASE_URL || undefined;
  if (ownerDatabaseUrl && (dialect !== 'postgres' || !/^postgres(ql)?:\/\//.test(ownerDatabaseUrl))) {
    throw new ConfigError('RELAIS_OWNER_DATABASE_URL', 'RELAIS_OWNER_DATABASE_URL must be a postgres:// URL, and DATABASE_URL one too (SQLite has a single file and no roles)');
  }
  const quickExitUrl = env.RELAIS_QUICK_EXIT_URL ?? 'https://meteofrance.com/';
  try {
    const u = new URL(quickExitUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
  } catch {
    throw new ConfigError('RELAIS_QUICK_EXIT_URL', `RELAIS_QUICK_EXIT_URL must be an http(s) URL, not "${quickExitUrl}"`);
  }
  const logLevel = (env.RELAIS_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError('RELAIS_LOG_LEVEL', 'RELAIS_LOG_LEVEL must be info, warn, error or silent');
  }
  const sessionIdleMinutes = Number(env.RELAIS_SESSION_IDLE_MINUTES ?? '30');
  if (!Number.isInteger(sessionIdleMinutes) || sessionIdleMinutes < 1 || sessionIdleMinutes > 24 * 60) {
    throw new ConfigError('RELAIS_SESSION_IDLE_MINUTES', 'RELAIS_SESSION_IDLE_MINUTES must be a whole number of minutes from 1 to 1440');
  }
  const sessionMaxHours = Number(env.RELAIS_SESSION_MAX_HOURS ?? '12');
  if (!Number.isInteger(sessionMaxHours) || sessionMaxHours < 1 || sessionMaxHours > 7 * 24) {
    throw new ConfigError('RELAIS_SESSION_MAX_HOURS', 'RELAIS_SESSION_MAX_HOURS must be a whole number of hours from 1 to 168');
  }
  const smtpUrl = env.RELAIS_SMTP_URL || undefined;
  if (smtpUrl) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(smtpUrl);
    } catch {
      parsed = undefined;
    }
    // Never echo the URL: it may hold the SMTP password.
    if (!parsed || (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || !parsed.hostname) {
      throw new ConfigError('RELAIS_SMTP_URL', 'RELAIS_SMTP_URL must be a URL such as smtp://user:password@mail.example.org:587 or smtps://…:465');
    }
  }
  const mailFrom = env.RELAIS_MAIL_FROM?.trim() || undefined;
  if (smtpUrl && !mailFrom) throw new ConfigError('RELAIS_MAIL_FROM', 'RELAIS_MAIL_FROM is required with RELAIS_SMTP_URL, e.g. "Relais <relais@association.example>"');
  if (mailFrom && (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>$/.test(mailFrom) || /[\r\n]/.test(mailFrom) || mailFrom.length > 200)) {
    throw new ConfigError('RELAIS_MAIL_FROM', `RELAIS_MAIL_FROM must be an address, or a name and an address: "Relais <relais@association.example>", not "${mailFrom}"`);
  }
  const purgeEveryHours = Number(env.RELAIS_PURGE_EVERY_HOURS ?? '6');
  if (!Number.isInteger(purgeEveryHours) || purgeEveryHours < 0 || purgeEveryHours > 24 * 7) {
    throw new ConfigError('RELAIS_PURGE_EVERY_HOURS', 'RELAIS_PURGE_EVERY_HOURS must be a whole number of hours from 0 (never) to 168');
  }
  return {
    port,
    host,
    origin: parsedOrigin.origin,
    databaseUrl: dialect === 'sqlite' ? path.resolve(databaseUrl) : databaseUrl,
    dialect,
    ownerDatabaseUrl,
    dataDir,
    masterKeyFile: path.resolve(env.RELAIS_MASTER_KEY_FILE ?? path.join(dataDir, 'master.key')),
    quickExitUrl,
    logLevel,
    sessionIdleMinutes,
    sessionMaxHours,
    smtpUrl,
    mailFrom,
    purgeEveryHours
  };
}
