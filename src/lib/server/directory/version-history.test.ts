import { describe, expect, it } from 'vitest';
import { describeChanges, parseActor, staffActor } from './version-history';

describe('staffActor / parseActor', () => {
  it('names a role and an account, never an address', () => {
    const actor = staffActor({ role: 'social_worker', accountId: '3b1f0c2e-1111-4222-8333-444455556666' });
    expect(actor).toBe('staff:social_worker:3b1f0c2e-1111-4222-8333-444455556666');
    expect(parseActor(actor)).toEqual({ kind: 'staff', role: 'social_worker', accountId: '3b1f0c2e-1111-4222-8333-444455556666' });
  });
  it('leaves scripts and unknown roles as they are', () => {
    expect(parseActor('demo')).toEqual({ kind: 'other', label: 'demo' });
    expect(parseActor('import:file.json')).toEqual({ kind: 'other', label: 'import:file.json' });
    expect(parseActor('staff:root:1')).toEqual({ kind: 'other', label: 'staff:root:1' });
  });
});

describe('describeChanges', () => {
  it('splits texts and places into the fields a person edits, from → to', () => {
    const changes = describeChanges({
      texts: { from: { fr: { name: 'Avant', description: 'Même' } }, to: { fr: { name: 'Après', description: 'Même' }, en: { name: 'After' } } },
      location: { from: { id: 'l', address: '1 rue A', confidential: false }, to: { id: 'l', address: '1 rue A', confidential: true } }
    });
    expect(changes).toEqual([
      { path: ['texts', 'fr', 'name'], from: 'Avant', to: 'Après' },
      { path: ['texts', 'en', 'name'], from: null, to: 'After' },
      { path: ['location', 'confidential'], from: false, to: true }
    ]);
  });
  it('writes hours as an opening_hours string with closures, and lists as words', () => {
    const changes = describeChanges({
      hours: {
        from: null,
        to: { weekly: { 1: [{ opens: '20:00', closes: '08:00' }] }, publicHolidays: 'closed', closures: [{ from: '2026-12-01T00:00:00+01:00', to: '2026-12-04T00:00:00+01:00', reason: 'Travaux' }] }
      },
      categories: { from: ['food'], to: ['food', 'hygiene'] },
      phones: { from: [], to: [{ number: '115', display: '115', kind: 'voice' }] },
      free: { from: null, to: true }
    });
    expect(changes).toEqual([
      { path: ['hours'], from: null, to: 'Mo 20:00-08:00; PH off | 2026-12-01 00:00 → 2026-12-04 00:00 (Travaux)' },
      { path: ['categories'], from: 'food', to: 'food, hygiene' },
      { path: ['phones'], from: null, to: '115' },
      { path: ['free'], from: null, to: true }
    ]);
  });
});
