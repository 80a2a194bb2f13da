/**
 * Outgoing email through SMTP (nodemailer), configured by RELAIS_SMTP_URL and
 * RELAIS_MAIL_FROM (docs/deploy.md). The reminder worker and `relais reminders run` send
 * reminders; the admin page and `relais user invite` send invitations. A failure is a `MailError` with a code and no
 * address, no message text: it is written to the reminder's row and to the log as is.
 */
import { createTransport } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export class MailError extends Error {
  /**
   * `code`: nodemailer's (ECONNECTION, EAUTH…) or `SMTP_<reply code>`. `connection`: the
   * server could not be reached or refused the session, so the next mails would fail too.
   */
  constructor(
    readonly code: string,
    readonly connection: boolean
  ) {
    super(`mail not sent: ${code}`);
    this.name = 'MailError';
  }
}

/** An address no mail may ever go to: the reserved `.invalid` top-level domain. */
export function isUndeliverable(address: string): boolean {
  return /\.invalid\.?$/i.test(address.trim());
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EPROXY']);
const CODE = /^[A-Z0-9_]{1,30}$/;

/** A MailError from whatever nodemailer threw (its messages can hold addresses: not kept). */
export function mailErrorOf(error: unknown): MailError {
  const e = error as { code?: unknown; responseCode?: unknown };
  if (typeof e?.responseCode === 'number') return new MailError(`SMTP_${e.responseCode}`, e.responseCode === 421);
  const code = typeof e?.code === 'string' && CODE.test(e.code) ? e.code : 'EUNKNOWN';
  return new MailError(code, CONNECTION_CODES.has(code));
}

/**
 * A mailer for `smtpUrl` (smtp://user:password@host:587, smtps://… for TLS from the first
 * byte). STARTTLS is used when the server offers it. Short timeouts: a worker must not hang.
 */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as Parameters<typeof createTransport>[0] & object);
  return {
    async send(mail) {
      // `.invalid` (RFC 2606) is the domain of members enrolled without an email
      // (participation/member.service.ts): never hand it to the SMTP server.
      if (isUndeliverable(mail.to)) throw new MailError('EUNDELIVERABLE', false);
      try {
        await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          // Mail systems must not answer an automatic message (out-of-office replies).
          headers: { 'Auto-Submitted': 'auto-generated' }
        });
      } catch (error) {
        throw mailErrorOf(error);
      }
    },
    close() {
      transport.close();
    }
  };
}

let appMailer: Mailer | null | undefined;

/** The running app's mailer, made once; null when SMTP is not configured. */
export function configuredMailer(config: { smtpUrl?: string; mailFrom?: string }): Mailer | null {
  if (appMailer === undefined) appMailer = config.smtpUrl && config.mailFrom ? smtpMailer(config.smtpUrl, config.mailFrom) : null;
  return appMailer;
}
