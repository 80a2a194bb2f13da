/**
 * The languages Relais speaks. Adding one is one catalogue folder entry per area
 * (`messages/<area>/<code>.json`) plus one line here; see docs/languages.md.
 * `intl` is the BCP 47 tag used for dates and numbers.
 */
export const locales = [
  { code: 'fr', name: 'Français', intl: 'fr-FR', dir: 'ltr' },
  { code: 'en', name: 'English', intl: 'en-GB', dir: 'ltr' },
  { code: 'pcm', name: 'Naijá (Pidgin)', intl: 'pcm-NG', dir: 'ltr' }
] as const satisfies ReadonlyArray<{ code: string; name: string; intl: string; dir: 'ltr' | 'rtl' }>;

export type LocaleCode = (typeof locales)[number]['code'];
export const sourceLocale: LocaleCode = 'fr';
export const localeCodes: readonly LocaleCode[] = locales.map((l) => l.code);

export function isLocale(value: string): value is LocaleCode {
  return (localeCodes as readonly string[]).includes(value);
}

export function localeInfo(code: LocaleCode) {
  return locales.find((l) => l.code === code)!;
}

/**
 * Picks the best language from an Accept-Language header (RFC 9110 quality values);
 * French when nothing matches. `pcm` also answers a Nigerian English preference.
 */
export function negotiateLocale(header: string | null | undefined): LocaleCode {
  if (!header) return sourceLocale;
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.tag && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === 'en-ng') return isLocale('pcm') ? 'pcm' : 'en';
    const primary = tag.split('-')[0] ?? '';
    if (isLocale(primary)) return primary;
  }
  return sourceLocale;
}
