import { describe, expect, it } from 'vitest';
import { checkText, disclosureCheck } from './disclosure';

const kinds = (text: string, options = {}) => checkText({ section: 's', text }, options).map((f) => f.kind);

describe('disclosureCheck', () => {
  it('passes clean collective text', () => {
    const clean = [
      'Members of Mist believe that survivors need a dedicated place to take part, with training and pay.',
      'Les membres de Mist estiment que les survivantes doivent être formées et rémunérées pour participer.',
      'There is not enough emergency accommodation, and the Police chase women who solicit in the streets.',
      'The Special Rapporteur should ask States to apply the non-punishment principle.'
    ];
    const flags = disclosureCheck(
      clean.map((text, i) => ({ section: `r${i}`, text })),
      { allow: ['Mist'] }
    );
    expect(flags).toEqual([]);
  });

  it('catches seeded names and pseudonyms, not at the start of a sentence', () => {
    const flags = checkText({ section: 'Question 13 · recommendation 1', text: 'We met with Blessing Okafor last week. Her trafficker was called Johnson.' });
    expect(flags.filter((f) => f.kind === 'name').map((f) => f.excerpt).join(' ')).toContain('Blessing');
    expect(flags.some((f) => f.kind === 'name' && f.excerpt.includes('Johnson'))).toBe(true);
    expect(flags[0]!.section).toBe('Question 13 · recommendation 1');
    expect(kinds('Comme le dit étoile du matin, la solitude pèse.', { pseudonyms: ['Étoile du matin'] })).toContain('name');
  });

  it('catches French and international phone numbers', () => {
    expect(kinds('Appelez le 06 12 34 56 78 le soir.')).toContain('phone');
    expect(kinds('Appelez le 06.12.34.56.78 le soir.')).toContain('phone');
    expect(kinds('Call +33 6 12 34 56 78 now.')).toContain('phone');
    expect(kinds('Her number is +234 803 123 4567 in the group.')).toContain('phone');
    expect(kinds('In 2024, 48 hours to appeal.')).not.toContain('phone');
  });

  it('catches email addresses', () => {
    expect(kinds('Write to blessing.o@example.org for news.')).toContain('email');
  });

  it('catches numeric and written dates in French and English', () => {
    expect(kinds('Elle est arrivée le 15/01/2024.')).toContain('date');
    expect(kinds('Arrêtée le 12 janvier 2024 au soir.')).toContain('date');
    expect(kinds('She was arrested on January 12, 2024.')).toContain('date');
    expect(kinds('We met on 2024-01-12.')).toContain('date');
  });

  it('catches French cities, arrondissements and places after a preposition', () => {
    expect(kinds('Nous travaillions à Pigalle.')).toContain('place');
    expect(kinds('Elle dort dans le 18e arrondissement.')).toContain('place');
    expect(kinds('The shelter near Bordeaux was targeted.')).toContain('place');
    expect(kinds('She came from Benin City with others.')).toContain('place');
  });

  it('catches a nationality in a small group, not a nationality alone', () => {
    expect(kinds('Two Nigerian women in the shelter were arrested.')).toContain('nationality');
    expect(kinds('Une femme congolaise a été expulsée.')).toContain('nationality');
    expect(kinds('Many Nigerian women are in debt bondage.')).not.toContain('nationality');
  });

  it('flags a quoted contribution without quote consent', () => {
    const flags = disclosureCheck([
      { section: 'quote 1', text: 'We are alone.', quote: { contributionId: 'c1', consent: 'summarise' } },
      { section: 'quote 2', text: 'We are alone.', quote: { contributionId: 'c2', consent: 'quote' } }
    ]);
    expect(flags).toEqual([{ kind: 'consent', excerpt: 'We are alone.', section: 'quote 1' }]);
  });
});
