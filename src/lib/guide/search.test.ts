import { describe, expect, it } from 'vitest';
import { normalizeForSearch, queryWords, searchGuide } from './search';

const items = [
  { id: 'shelter', title: "Hébergement d'urgence", summary: 'Appelez le 115.', text: 'Un endroit pour dormir ce soir. Le 115 répond jour et nuit.' },
  { id: 'lawyer', title: 'Trouver un avocat', summary: 'Un avocat gratuit.', text: 'Les avocats commis d’office sont gratuits. Demandez un interprète.' },
  { id: 'health', title: 'Santé', summary: 'Soins gratuits.', text: 'Vous pouvez voir un médecin.' }
];

describe('searchGuide', () => {
  it('finds "Hébergement d\'urgence" when she types "hebergement" without accents', () => {
    expect(searchGuide(items, 'hebergement').map((h) => h.item.id)).toEqual(['shelter']);
  });
  it('ignores case and punctuation', () => {
    expect(searchGuide(items, '  AVOCAT!! ').map((h) => h.item.id)).toEqual(['lawyer']);
  });
  it('matches a longer word by its beginning: "avocat" finds "avocats"', () => {
    expect(searchGuide([items[1]!], 'avo').length).toBe(0);
    expect(searchGuide([{ ...items[1]!, title: 'x', summary: 'y' }], 'avocat').length).toBe(1);
  });
  it('needs every word of the query', () => {
    expect(searchGuide(items, 'avocat médecin')).toEqual([]);
  });
  it('ranks a title match above a body match', () => {
    const hits = searchGuide(
      [
        { id: 'a', title: 'Autre chose', summary: '', text: 'on parle de santé ici' },
        { id: 'b', title: 'Santé', summary: '', text: '' }
      ],
      'sante'
    );
    expect(hits.map((h) => h.item.id)).toEqual(['b', 'a']);
  });
  it('returns a snippet holding the word', () => {
    expect(searchGuide(items, 'interprete')[0]?.snippet).toBe('Demandez un interprète.');
  });
  it('answers an empty or punctuation-only query with nothing', () => {
    expect(searchGuide(items, '')).toEqual([]);
    expect(searchGuide(items, '?!')).toEqual([]);
    expect(queryWords('a')).toEqual([]);
  });
  it('normalizes Pidgin and French text the same way', () => {
    expect(normalizeForSearch('Wetin dey HAPPEN? Éé')).toBe('wetin dey happen ee');
  });
});
