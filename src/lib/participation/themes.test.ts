import { describe, expect, it } from 'vitest';
import { documentOf, suggestThemes, tokenize, type ThemeInput } from './themes';

const fr = (id: string, text: string): ThemeInput => ({ id, language: 'fr', text, translation: null, translationLanguage: null });
const other = (id: string, language: string, text: string, translation: string | null): ThemeInput => ({
  id,
  language,
  text,
  translation,
  translationLanguage: translation ? 'fr' : null
});

// Four topics of the reference document, in French, English and Pidgin (with French translations).
const STIGMA = [
  fr('s1', "La stigmatisation et le jugement moral nous isolent : la famille nous rejette, la solitude est terrible."),
  fr('s2', "On vit la solitude, rejetées par la famille et les amis, avec la honte et le jugement."),
  other('s3', 'pcm', 'Family don reject us, we dey alone, shame and judgement everywhere.', 'La famille nous rejette, nous sommes seules, la honte et le jugement partout. Solitude.'),
  other('s4', 'en', 'Loneliness and stigma: families reject us and we lose hope.', "La solitude et la stigmatisation : les familles nous rejettent et nous perdons l'espoir.")
];
const POWER = [
  fr('p1', 'Les associations de survivantes ont besoin de formation et de rémunération pour participer.'),
  fr('p2', 'Il faut une formation, une rémunération et du pouvoir pour que les survivantes participent vraiment.'),
  other('p3', 'en', 'Survivors need training and payment to take part, and the power to speak freely.', 'Les survivantes ont besoin de formation et de rémunération pour participer, et du pouvoir de parler librement.'),
  other('p4', 'pcm', 'Make dem pay us and train us so we fit participate with power.', 'Qu’on nous paie, qu’on nous forme, pour participer avec du pouvoir. Formation, rémunération.')
];
const MIGRATION = [
  fr('m1', 'La préfecture refuse le titre de séjour, pas de logement, la police nous arrête.'),
  fr('m2', "Pas assez d'hébergement d'urgence ni de logement social ; la préfecture bloque le titre de séjour."),
  other('m3', 'en', 'Police arrest us, the prefecture refuses the residence permit, no housing.', 'La police nous arrête, la préfecture refuse le titre de séjour, pas de logement.'),
  other('m4', 'pcm', 'Police dey chase us, no house, prefecture no gree give paper.', 'La police nous chasse, pas de logement, la préfecture ne donne pas le titre de séjour.')
];
const CHILDREN = [
  fr('c1', "La protection de l'enfance est en crise : les foyers sont ciblés par les recruteurs, les mineures exploitées."),
  fr('c2', "Les foyers de l'aide sociale à l'enfance manquent de moyens ; les mineures sont recrutées à la sortie des foyers."),
  other('c3', 'en', 'Child protection shelters are targeted by recruiters; minors are exploited.', "Les foyers de protection de l'enfance sont ciblés par les recruteurs ; les mineures sont exploitées."),
  other('c4', 'fr', 'Protection de l’enfance : pas de budget pour les foyers, les mineures en danger.', null)
];

const ALL = [...STIGMA, ...POWER, ...MIGRATION, ...CHILDREN];

function groupOf(themes: { contributionIds: string[] }[], id: string): number {
  return themes.findIndex((t) => t.contributionIds.includes(id));
}

describe('tokenize', () => {
  it('lowercases, folds accents and drops stop words in the three languages', () => {
    expect(tokenize('Les Préfectures refusent le titre de séjour')).toEqual(['prefecture', 'refusent', 'titre', 'sejour']);
    expect(tokenize('The police dey chase us for street')).toEqual(['police', 'chase', 'street']);
  });
});

describe('documentOf', () => {
  it('reads the translation with the original only when she wrote in another language', () => {
    expect(documentOf(STIGMA[2]!, 'fr')).toContain('La famille nous rejette');
    expect(documentOf(STIGMA[2]!, 'fr')).toContain('Family don reject us');
    expect(documentOf({ ...STIGMA[0]!, translation: 'Stigma' }, 'fr')).not.toContain('Stigma');
  });
});

describe('suggestThemes', () => {
  it('separates stigma, power, migration policy and child protection across French, English and Pidgin', () => {
    const { themes, unplaced } = suggestThemes(ALL, 'fr');
    expect(unplaced).toEqual([]);
    expect(themes.length).toBe(4);
    for (const topic of [STIGMA, POWER, MIGRATION, CHILDREN]) {
      const groups = new Set(topic.map((c) => groupOf(themes, c.id)));
      expect(groups.size).toBe(1);
    }
    expect(themes.map((t) => t.contributionIds.length)).toEqual([4, 4, 4, 4]);
  });

  it('titles a theme with its heaviest terms', () => {
    const { themes } = suggestThemes(ALL, 'fr');
    const migration = themes[groupOf(themes, 'm1')]!;
    expect(migration.terms.length).toBe(3);
    expect(migration.terms.some((t) => ['prefecture', 'sejour', 'titre', 'logement', 'police'].includes(t))).toBe(true);
    expect(migration.title).toBe(migration.terms.join(' · '));
    const children = themes[groupOf(themes, 'c1')]!;
    expect(children.terms.some((t) => ['foyer', 'mineure', 'enfance'].includes(t))).toBe(true);
  });

  it('gives the same output for the same input', () => {
    expect(suggestThemes(ALL, 'fr')).toEqual(suggestThemes(ALL, 'fr'));
    expect(JSON.stringify(suggestThemes([...ALL], 'fr'))).toBe(JSON.stringify(suggestThemes(ALL, 'fr')));
  });

  it('keeps between 2 and 8 themes, never more than the contributions', () => {
    expect(suggestThemes(ALL, 'fr', { max: 3 }).themes.length).toBeLessThanOrEqual(3);
    expect(suggestThemes(STIGMA.concat(MIGRATION), 'fr').themes.length).toBe(2);
    const many = Array.from({ length: 30 }, (_, i) => fr(`x${i}`, `sujet${i} alpha${i} beta${i}`));
    const t = suggestThemes(many, 'fr').themes;
    expect(t.length).toBeGreaterThanOrEqual(2);
    expect(t.length).toBeLessThanOrEqual(8);
    expect(t.flatMap((x) => x.contributionIds).sort()).toEqual(many.map((m) => m.id).sort());
  });

  it('handles nothing, one contribution, and contributions without words', () => {
    expect(suggestThemes([], 'fr')).toEqual({ themes: [], unplaced: [] });
    expect(suggestThemes([fr('a', 'Le logement manque')], 'fr').themes).toEqual([{ title: 'logement · manque', terms: ['logement', 'manque'], contributionIds: ['a'] }]);
    const r = suggestThemes([fr('a', ''), fr('b', 'et le la'), ...STIGMA], 'fr');
    expect(r.unplaced).toEqual(['a', 'b']);
    expect(r.themes.flatMap((t) => t.contributionIds).sort()).toEqual(['s1', 's2', 's3', 's4']);
  });

  it('without the translations, the Pidgin answers do not meet the French ones', () => {
    const bare = ALL.map((c) => ({ ...c, translation: null }));
    const { themes } = suggestThemes(bare, 'fr');
    // With translations they join their topic; without, at least one Pidgin answer is elsewhere.
    const together = [STIGMA, POWER, MIGRATION, CHILDREN].every((topic) => new Set(topic.map((c) => groupOf(themes, c.id))).size === 1);
    expect(together).toBe(false);
  });
});
