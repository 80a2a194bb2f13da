import { describe, expect, it } from 'vitest';
import { feedIcs, type FeedEvent } from './calendar';
import { translator } from '../i18n/translate';

const t = translator('fr');
const event = (overrides: Partial<FeedEvent> = {}): FeedEvent => ({
  uid: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  initials: 'T. F.',
  deadlineKey: 'removal_appeal',
  procedureKind: 'removal_order',
  category: 'legal',
  due: '2026-12-13T22:10:00.000Z',
  uncertain: true,
  link: 'https://relais.example.org/staff/people/p1/procedures/q1',
  ...overrides
});

/** Content lines, unfolded (RFC 5545 §3.1). */
const unfold = (ics: string) => ics.replace(/\r\n /g, '').split('\r\n');

describe('feedIcs', () => {
  it('writes one event per deadline with the initials and the step, ending at the deadline', () => {
    const ics = feedIcs([event()], t, new Date('2026-12-01T10:00:00Z'));
    const lines = unfold(ics);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-2)).toBe('END:VCALENDAR');
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(lines).toContain('UID:a1b2c3d4e5f60718293a4b5c6d7e8f90@relais.invalid');
    expect(lines).toContain('DTSTAMP:20261201T100000Z');
    expect(lines).toContain('DTSTART:20261213T214000Z');
    expect(lines).toContain('DTEND:20261213T221000Z');
    expect(lines).toContain("SUMMARY:T. F. · Dernier moment pour contester l'OQTF");
    const description = lines.find((l) => l.startsWith('DESCRIPTION:'))!;
    expect(description).toContain('Obligation de quitter la France (OQTF)\\n');
    expect(description).toContain('dimanche 13 décembre 2026 à 23:10');
    expect(description).toContain("n'est pas certain");
    expect(lines).toContain('URL:https://relais.example.org/staff/people/p1/procedures/q1');
    expect(lines).toContain('CLASS:PRIVATE');
    // Legal deadlines: the calendar warns two days and three hours before.
    expect(lines.filter((l) => l.startsWith('TRIGGER;RELATED=END:'))).toEqual(['TRIGGER;RELATED=END:-P2D', 'TRIGGER;RELATED=END:-PT3H']);
  });

  it('escapes text and folds long lines at 75 octets without cutting a character', () => {
    const ics = feedIcs([event({ initials: 'A; B, C\\', deadlineKey: 'start_renewal', category: 'administrative', uncertain: false })], t);
    expect(unfold(ics)).toContain('SUMMARY:A\\; B\\, C\\\\ · Commencer le renouvellement du titre');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    // Administrative deadlines: no alarm (the email says it).
    expect(ics).not.toContain('VALARM');
  });

  it('is an empty calendar without deadlines, and refuses a malformed event', () => {
    expect(unfold(feedIcs([], t))).not.toContain('BEGIN:VEVENT');
    expect(() => feedIcs([event({ due: 'soon' })], t)).toThrow(RangeError);
    expect(() => feedIcs([event({ uid: 'x\r\nATTENDEE:evil' })], t)).toThrow(RangeError);
  });
});
