/**
 * Text made searchable without accents or case: "Hébergement d'urgence" and
 * "hebergement" meet. The same normalisation runs when a service is saved (the
 * full-text index stores it), when a query arrives, and in the offline search on
 * the phone. Pure module.
 */
const LIGATURES: Record<string, string> = { œ: 'oe', Œ: 'oe', æ: 'ae', Æ: 'ae', ß: 'ss', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd' };

/** Lower case, accents removed, anything but letters and digits becomes one space. */
export function normalizeSearchText(text: string): string {
  return text
    .replace(/[œŒæÆßøØłŁđĐ]/g, (c) => LIGATURES[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** At most this many words of a query are searched: the rest is ignored. */
export const MAX_QUERY_WORDS = 8;

/** The words of a query, normalised, at most MAX_QUERY_WORDS, each at most 40 characters. */
export function searchWords(query: string): string[] {
  const words = normalizeSearchText(query.slice(0, 400))
    .split(' ')
    .filter((w) => w.length > 0)
    .map((w) => w.slice(0, 40));
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/** True when every query word starts some word of `normalizedText` (prefix search). */
export function matchesWords(normalizedText: string, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const haystack = ' ' + normalizedText;
  return words.every((w) => haystack.includes(' ' + w));
}

/** Great-circle distance in kilometres. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
