import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n/translate';
import { invitationEmail, sendInvitationEmail } from './invitation.email';
import { isUndeliverable, smtpMailer } from '../mail/mailer';

const input = { role: 'social_worker', link: 'https://relais.example/invite/org-1.s3cr3tt0k3n', expiresAt: '2026-12-03T10:00:00.000Z' };

describe('invitationEmail', () => {
  it('gives the link, the role in words and until when it works, in French', () => {
    const { subject, text } = invitationEmail(translator('fr'), input);
    expect(subject).toBe('Relais : vous êtes invitée');
    expect(text).toContain(input.link);
    expect(text).toMatch(/avec le rôle « travail social »/);
    expect(text).toMatch(/3 décembre 2026/);
    expect(text).toMatch(/une seule fois/);
  });

  it('in English; the subject, which a locked phone shows, holds no link', () => {
    const { subject, text } = invitationEmail(translator('en'), input);
    expect(subject).toBe('Relais: you are invited');
    expect(subject).not.toContain('invite/');
    expect(text).toMatch(/with the role “social worker”/);
    expect(text).toMatch(/December 2026/);
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('sendInvitationEmail', () => {
  it('never hands a .invalid address (a member enrolled in person) to the mailer', async () => {
    const sent: string[] = [];
    const mailer = { send: async (m: { to: string }) => void sent.push(m.to), close: () => {} };
    const outcome = await sendInvitationEmail(mailer, translator('fr'), { ...input, to: 'm-0123456789abcdef01234567@members.invalid' });
    expect(outcome).toEqual({ sent: false, code: 'EUNDELIVERABLE' });
    expect(sent).toEqual([]);
    expect(await sendInvitationEmail(mailer, translator('fr'), { ...input, to: 'someone@example.test' })).toEqual({ sent: true });
    expect(sent).toEqual(['someone@example.test']);
  });
});

describe('isUndeliverable', () => {
  it('is true for the reserved .invalid domain only', () => {
    expect(isUndeliverable('m-1@members.invalid')).toBe(true);
    expect(isUndeliverable('M-1@MEMBERS.INVALID.')).toBe(true);
    expect(isUndeliverable('someone@invalid.example')).toBe(false);
  });

  it('the SMTP mailer refuses it before any connection', async () => {
    // Port 9 on loopback: if the mailer tried to connect, the error would be a connection one.
    const mailer = smtpMailer('smtp://127.0.0.1:9', 'relais@example.test');
    await expect(mailer.send({ to: 'm-1@members.invalid', subject: 's', text: 't' })).rejects.toMatchObject({ code: 'EUNDELIVERABLE', connection: false });
    mailer.close();
  });
});
