import { describe, expect, it } from 'vitest';
import { parse } from '@formatjs/icu-messageformat-parser';
import { catalogues } from './catalogues';
import { localeCodes, sourceLocale } from './locales';

const source = catalogues[sourceLocale];

describe('message catalogues', () => {
  for (const code of localeCodes) {
    const catalogue = catalogues[code];
    it(`${code} has every key of the French source and no other`, () => {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(source).sort());
    });
    it(`${code}: every message parses as ICU and uses the source's placeholders`, () => {
      for (const [key, message] of Object.entries(catalogue)) {
        expect(() => parse(message), `${code} ${key}`).not.toThrow();
        const placeholders = (m: string) => [...m.matchAll(/\{(\w+)/g)].map((x) => x[1]).sort();
        expect(placeholders(message), `${code} ${key}`).toEqual(placeholders(source[key] ?? ''));
      }
    });
    it(`${code}: no message holds HTML or an empty text`, () => {
      for (const [key, message] of Object.entries(catalogue)) {
        expect(message.trim(), key).not.toBe('');
        expect(message, key).not.toMatch(/<\/?(a|b|strong|em|p|br|span|div)\b/i);
      }
    });
  }
  it('never calls a woman a prostitute, illegal or clandestine', () => {
    const banned = /\b(prostitu[ée]e?s?|prostitutes?|illegal|ill[ée]gale?s?|clandestine?s?|sans-papiers)\b/i;
    for (const code of localeCodes) {
      for (const [key, message] of Object.entries(catalogues[code])) {
        expect(message, `${code} ${key}`).not.toMatch(banned);
      }
    }
  });
});
