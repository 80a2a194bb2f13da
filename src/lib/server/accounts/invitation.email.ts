/**
 * The invitation email: the one-time link, the role and until when it works. The link is the
 * secret: it goes to the address invited and to nobody else, and it is never logged. A mail
 * that cannot be sent is reported to the admin (with the SMTP code only), who still has the
 * link on her screen to give by another way.
 */
import { formatDateTime, type Translate } from '../../i18n/translate';
import { isUndeliverable, MailError, type Mailer } from '../mail/mailer';

export interface InvitationEmailInput {
  to: string;
  role: string;
  link: string;
  expiresAt: string;
}

export function invitationEmail(t: Translate, input: Omit<InvitationEmailInput, 'to'>): { subject: string; text: string } {
  const lines = [
    t('invitation.email.greeting'),
    '',
    t('invitation.email.intro', { role: t(`staff.role.${input.role}`) }),
    '',
    t('invitation.email.link', { link: input.link }),
    t('invitation.email.until', { date: formatDateTime(t, new Date(input.expiresAt)) }),
    '',
    '-- ',
    t('invitation.email.why')
  ];
  return { subject: t('invitation.email.subject'), text: lines.join('\n') + '\n' };
}

export type InvitationMailOutcome = { sent: true } | { sent: false; code: string };

/** Sends the invitation; a mail failure is an outcome (with its code), not an exception. */
export async function sendInvitationEmail(mailer: Mailer, t: Translate, input: InvitationEmailInput): Promise<InvitationMailOutcome> {
  const { subject, text } = invitationEmail(t, input);
  // A member enrolled in person has a `.invalid` address: there is nobody to write to.
  if (isUndeliverable(input.to)) return { sent: false, code: 'EUNDELIVERABLE' };
  try {
    await mailer.send({ to: input.to, subject, text });
    return { sent: true };
  } catch (error) {
    if (error instanceof MailError) return { sent: false, code: error.code };
    throw error;
  }
}
