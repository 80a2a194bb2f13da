/**
 * The words of a reminder email. It never holds a name, a note or a contact: her
 * pseudonym's initials, the deadline's and the procedure's words, the due date and a link
 * to her record (staff must sign in to open it). The subject says only that a deadline is
 * coming, and when: it is what a locked phone shows.
 */
import { formatDateTime, type Translate } from '../../i18n/translate';

export interface ReminderEmailInput {
  initials: string;
  deadlineKey: string;
  procedureKind: string;
  dueAt: string;
  uncertain: boolean;
  /** Sent long after it was planned (`plannedAt`): said in the email. */
  late: boolean;
  plannedAt: string;
  link: string;
}

export function reminderEmail(t: Translate, input: ReminderEmailInput): { subject: string; text: string } {
  const date = formatDateTime(t, new Date(input.dueAt));
  const lines = [
    t('reminder.email.greeting'),
    '',
    t('reminder.email.intro', { initials: input.initials, procedure: t(`case.procedure.${input.procedureKind}`) }),
    t('reminder.email.due', { deadline: t(`case.deadline.${input.deadlineKey}`), date }),
    ...(input.uncertain ? [t('reminder.uncertain')] : []),
    ...(input.late ? ['', t('reminder.email.late', { planned: formatDateTime(t, new Date(input.plannedAt)) })] : []),
    '',
    t('reminder.email.link', { link: input.link }),
    '',
    '-- ',
    t('reminder.email.why')
  ];
  return { subject: t('reminder.email.subject', { date }), text: lines.join('\n') + '\n' };
}
