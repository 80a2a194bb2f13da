import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n/translate';
import { reminderEmail } from './reminder.email';
import { mailErrorOf } from '../mail/mailer';

const input = {
  initials: 'T. F.',
  deadlineKey: 'start_renewal',
  procedureKind: 'exit_programme',
  dueAt: '2027-02-09T23:00:00.000Z',
  uncertain: false,
  late: false,
  plannedAt: '2027-02-09T07:00:00.000Z',
  link: 'https://relais.example.org/staff/people/p1/procedures/q1'
};

describe('reminderEmail', () => {
  it('says who (initials), what, when, and links to her record; the subject only says when', () => {
    const { subject, text } = reminderEmail(translator('fr'), input);
    expect(subject).toBe('Relais : une échéance le mercredi 10 février 2027 à 00:00');
    expect(text).toContain('T. F. (Parcours de sortie de la prostitution)');
    expect(text).toContain('Commencer le renouvellement du titre — échéance : mercredi 10 février 2027 à 00:00.');
    expect(text).toContain('(connexion nécessaire) : https://relais.example.org/staff/people/p1/procedures/q1');
    expect(text).not.toMatch(/retard/);
    expect(subject).not.toContain('T. F.');
  });

  it('says when it is late, and when the deadline is uncertain, in her language', () => {
    const { text } = reminderEmail(translator('en'), { ...input, late: true, uncertain: true });
    expect(text).toContain('This reminder is late: it should have gone on Tuesday, 9 February 2027 at 08:00');
    expect(text).toContain('This deadline is not certain');
  });
});

describe('mailErrorOf', () => {
  it('keeps a code, never the message (it can hold an address)', () => {
    const refused = mailErrorOf(Object.assign(new Error('550 <ada@example.test> unknown'), { code: 'EENVELOPE', responseCode: 550 }));
    expect(refused).toMatchObject({ code: 'SMTP_550', connection: false });
    expect(refused.message).not.toContain('ada@');
    expect(mailErrorOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET' }))).toMatchObject({ code: 'ESOCKET', connection: true });
    expect(mailErrorOf(Object.assign(new Error('x'), { code: 'weird code; with stuff' })).code).toBe('EUNKNOWN');
    expect(mailErrorOf(Object.assign(new Error('busy'), { responseCode: 421 })).connection).toBe(true);
  });
});
