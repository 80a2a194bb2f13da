/**
 * Search across the guide, in the reader's language: accent- and case-insensitive, every
 * word of the query must appear (a word of 4 letters or more also matches as a prefix:
 * "avocat" finds "avocats"). Pure: runs on the server and could run offline.
 */
export interface Searchable {
  id: string;
  title: string;
  summary: string;
  text: string;
}

export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function queryWords(query: string): string[] {
  return [...new Set(normalizeForSearch(query).split(' ').filter((w) => w.length >= 2 || /\d/.test(w)))].slice(0, 12);
}

function countMatches(haystackWords: string[], word: string): number {
  let n = 0;
  for (const w of haystackWords) if (w === word || (word.length >= 4 && w.startsWith(word))) n++;
  return n;
}

export interface SearchHit<T> {
  item: T;
  score: number;
  snippet: string;
}

export function searchGuide<T extends Searchable>(items: T[], query: string): Array<SearchHit<T>> {
  const words = queryWords(query);
  if (!words.length) return [];
  const hits: Array<SearchHit<T>> = [];
  for (const item of items) {
    const title = normalizeForSearch(item.title).split(' ');
    const summary = normalizeForSearch(item.summary).split(' ');
    const body = normalizeForSearch(item.text).split(' ');
    let score = 0;
    let all = true;
    for (const word of words) {
      const t = countMatches(title, word);
      const s = countMatches(summary, word);
      const b = countMatches(body, word);
      if (!t && !s && !b) all = false;
      score += t * 10 + s * 4 + Math.min(b, 10);
    }
    if (all && score > 0) hits.push({ item, score, snippet: snippetFor(item.text, words) });
  }
  return hits.sort((a, b) => b.score - a.score || a.item.title.localeCompare(b.item.title));
}

/** The first sentence that holds one of the words, shortened to about 200 characters. */
export function snippetFor(text: string, words: string[]): string {
  const sentences = text.split(/(?<=[.!?:])\s+/);
  const found = sentences.find((s) => {
    const n = normalizeForSearch(s).split(' ');
    return words.some((w) => countMatches(n, w) > 0);
  });
  const s = found ?? sentences[0] ?? '';
  return s.length > 200 ? s.slice(0, 197).replace(/\s+\S*$/, '') + '…' : s;
}
