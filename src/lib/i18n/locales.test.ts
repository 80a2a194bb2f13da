import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './locales';

describe('negotiateLocale', () => {
  it('takes the first language the site speaks, by quality', () => {
    expect(negotiateLocale('de-DE,de;q=0.9,en;q=0.8,fr;q=0.7')).toBe('en');
    expect(negotiateLocale('fr;q=0.5,en;q=0.9')).toBe('en');
  });
  it('answers Nigerian English and Pidgin with Pidgin', () => {
    expect(negotiateLocale('en-NG,en;q=0.9')).toBe('pcm');
    expect(negotiateLocale('pcm')).toBe('pcm');
  });
  it('falls back to French for nothing, garbage or a refused language', () => {
    expect(negotiateLocale(null)).toBe('fr');
    expect(negotiateLocale('')).toBe('fr');
    expect(negotiateLocale(';;;,,q=abc')).toBe('fr');
    expect(negotiateLocale('en;q=0')).toBe('fr');
    expect(negotiateLocale('zh-CN')).toBe('fr');
  });
});
