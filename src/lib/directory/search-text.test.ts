import { describe, expect, it } from 'vitest';
import { distanceKm, matchesWords, normalizeSearchText, searchWords } from './search-text';
import { searchOffline, type OfflineSnapshot } from './offline-search';
import { fromParis } from '../time/paris-time';

describe('normalizeSearchText', () => {
  it('lets "hebergement" meet "Hébergement d\'urgence", whatever the case and accents', () => {
    expect(normalizeSearchText("Hébergement d'URGENCE")).toBe('hebergement d urgence');
    expect(normalizeSearchText('Cœur, Ærø, Straße')).toBe('coeur aero strasse');
    expect(matchesWords(normalizeSearchText("Hébergement d'urgence"), searchWords('HEBERG urg'))).toBe(true);
    expect(matchesWords(normalizeSearchText("Hébergement d'urgence"), searchWords('bergement'))).toBe(false);
  });

  it('keeps at most 8 words of at most 40 letters, letters and digits only', () => {
    expect(searchWords('a b c d e f g h i j')).toHaveLength(8);
    expect(searchWords('"; DROP TABLE x:* & |')).toEqual(['drop', 'table', 'x']);
    expect(searchWords('x'.repeat(100))[0]).toHaveLength(40);
  });
});

describe('distanceKm', () => {
  it('measures Paris 10e to Saint-Denis at about 7 km', () => {
    expect(distanceKm({ lat: 48.8761, lon: 2.3607 }, { lat: 48.9362, lon: 2.3574 })).toBeCloseTo(6.7, 0);
  });
});

describe('searchOffline', () => {
  const snapshot: OfflineSnapshot = {
    format: 1,
    region: 'idf',
    generatedAt: '2026-11-29T12:00:00Z',
    dataUpdatedAt: null,
    services: [
      { id: 'night', names: { fr: 'Halte de nuit' }, sourceLocale: 'fr', categories: ['emergency-shelter'], audiences: ['women_only'], languages: ['fr'], free: true, hours: { weekly: { 5: [{ opens: '20:00', closes: '08:00' }] }, publicHolidays: 'open' }, phones: [], national: false, sample: true, city: 'Paris', lat: null, lon: null, text: 'halte de nuit hebergement', lastVerifiedAt: null },
      { id: 'day', names: { fr: 'Accueil de jour' }, sourceLocale: 'fr', categories: ['day-centre'], audiences: [], languages: ['fr'], free: true, hours: { weekly: { 5: [{ opens: '09:00', closes: '17:00' }] }, publicHolidays: 'open' }, phones: [], national: false, sample: true, city: 'Paris', lat: null, lon: null, text: 'accueil de jour', lastVerifiedAt: null }
    ]
  };
  it('answers "open now" at 23:00 on a Friday with the night shelter only', () => {
    const at = fromParis({ year: 2026, month: 12, day: 4, hour: 23, minute: 0 });
    expect(searchOffline(snapshot, { words: '', category: '', when: 'now', womenOnly: false, at }).map((s) => s.id)).toEqual(['night']);
    expect(searchOffline(snapshot, { words: 'hébergement', category: '', when: '', womenOnly: true, at }).map((s) => s.id)).toEqual(['night']);
  });
});
