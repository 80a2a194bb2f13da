import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { catalogues } from './catalogues';
import { localeCodes, sourceLocale } from './locales';

const source = catalogues[sourceLocale];

/** The names of a message's arguments ({name}, plurals, selects), found in its ICU tree. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type !== TYPE.literal && el.type !== TYPE.pound && 'value' in el) names.add(String(el.value));
      if ('options' in el) for (const option of Object.values(el.options)) walk(option.value);
      if ('children' in el) walk(el.children);
    }
  };
  walk(parse(message));
  return [...names].sort();
}

describe('message catalogues', () => {
  for (const code of localeCodes) {
    const catalogue = catalogues[code];
    it(`${code} has every key of the French source and no other`, () => {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(source).sort());
    });
    it(`${code}: every message parses as ICU and uses the source's placeholders`, () => {
      for (const [key, message] of Object.entries(catalogue)) {
        expect(() => parse(message), `${code} ${key}`).not.toThrow();
        expect(argumentsOf(message), `${code} ${key}`).toEqual(argumentsOf(source[key] ?? ''));
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
