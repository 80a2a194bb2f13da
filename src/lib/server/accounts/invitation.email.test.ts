import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n/translate';
import { invitationEmail } from './invitation.email';

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
