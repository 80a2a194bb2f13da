/**
 * Suggested themes (issue 7: "Relais suggests a grouping with a local, deterministic method …
 * across languages through the available translations — nothing is ever sent to an outside
 * service"). Pure: no I/O, no randomness, no clock. Members then confirm, merge, rename or
 * reject the suggestion in a workshop; this module only proposes.
 *
 * The method, in order:
 * 1. Each contribution becomes one document: its text, plus its translation when it was
 *    written in another language than the consultation's (a Pidgin answer with a French
 *    translation is read in both; its French words meet the French answers).
 * 2. Tokens: lower case, accents folded (é → e), words of 3 letters or more, small stop-word
 *    lists for French, English and Nigerian Pidgin removed, a light plural strip (permits →
 *    permit).
 * 3. TF-IDF vectors (log-scaled term frequency × smoothed inverse document frequency),
 *    normalised to length 1.
 * 4. Agglomerative clustering with average linkage over cosine similarity: start with one
 *    group per contribution, join the two most similar groups until k remain. Ties are broken
 *    by position, so the same input always gives the same output.
 * 5. k is chosen between 2 and 8 (never more than the number of contributions) by the best
 *    mean silhouette (cosine distance); on a tie, the smaller k.
 * 6. A theme's title is its three heaviest terms; themes are ordered by size, then by the
 *    position of their first contribution.
 * A contribution with no usable words (an audio answer not yet transcribed) is left out and
 * listed in `unplaced`: a facilitator places it by hand.
 */

export interface ThemeInput {
  id: string;
  language: string;
  text: string;
  translation: string | null;
  translationLanguage: string | null;
}

export interface SuggestedTheme {
  /** Its three heaviest terms, joined with " · " (a starting point: members rename it). */
  title: string;
  terms: string[];
  contributionIds: string[];
}

export interface ThemeSuggestion {
  themes: SuggestedTheme[];
  /** Contributions with no words to compare (audio only, or stop words only). */
  unplaced: string[];
}

export const MIN_THEMES = 2;
export const MAX_THEMES = 8;
const TITLE_TERMS = 3;

const STOP_WORDS = new Set(
  [
    // French
    'les des une un le la du de et en au aux ce ces cet cette qui que quoi dont ou où pour par sur sous dans avec sans pas plus moins mais donc car ni ne se sa son ses leur leurs nous vous ils elles elle il on je tu me te mon ma mes ton ta tes notre nos votre vos est sont etait ete etre avoir ont avait avons etaient fait faire tres tout tous toute toutes aussi comme quand alors ainsi meme autre autres entre vers chez apres avant encore deja peu beaucoup trop bien ici cela ceci ca celle celles ceux celui lui eux y a si parce peut peuvent doit doivent faut nous-memes',
    // English
    'the and for are but not you all any can had her was one our out has him his how its may who did get got let say she too use that this with from they them their there then than have been were will would should could what when where which while about into onto over under also just only some such very more most other others because being does doing done each few here itself own same so both yet your yours ours we us is be it of to in on at by or an as do if no my me',
    // Nigerian Pidgin
    'dey dem wey don una wetin sey say make go come for na no be di de im am oga sabi abeg small plenty like dis dat how wen na im ehn sef even ooo oo ooh'
  ]
    .join(' ')
    .split(/\s+/)
);

/** Lower case, accents folded, split on anything not a letter or a digit. */
export function tokenize(text: string): string[] {
  const folded = text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
  const out: string[] = [];
  for (const raw of folded.split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 3 || /^\p{N}+$/u.test(raw) || STOP_WORDS.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

/** A light plural strip, the same for the three languages: enough for "permits"/"permit". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  if (word.length > 5 && word.endsWith('x') && word.endsWith('aux')) return word.slice(0, -1);
  return word;
}

/** The words a contribution is compared on. */
export function documentOf(item: ThemeInput, consultationLanguage: string): string {
  const useTranslation = item.translation !== null && item.translation.trim() !== '' && item.language !== consultationLanguage;
  return useTranslation ? `${item.text}\n${item.translation}` : item.text;
}

type Vector = Map<string, number>;

function tfidf(docs: string[][]): Vector[] {
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const n = docs.length;
  return docs.map((doc) => {
    const tf = new Map<string, number>();
    for (const term of doc) tf.set(term, (tf.get(term) ?? 0) + 1);
    const v: Vector = new Map();
    let norm = 0;
    for (const [term, count] of [...tf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const w = (1 + Math.log(count)) * (Math.log((1 + n) / (1 + (df.get(term) ?? 0))) + 1);
      v.set(term, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [term, w] of v) v.set(term, w / norm);
    return v;
  });
}

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [term, w] of small) {
    const o = large.get(term);
    if (o !== undefined) s += w * o;
  }
  return s;
}

/** Average-linkage agglomeration down to each k in [kMin, kMax]; partitions as index lists. */
function agglomerate(sim: number[][], kMin: number, kMax: number): Map<number, number[][]> {
  let clusters: number[][] = sim.map((_, i) => [i]);
  const result = new Map<number, number[][]>();
  const linkage = (a: number[], b: number[]) => {
    let s = 0;
    for (const i of a) for (const j of b) s += sim[i]![j]!;
    return s / (a.length * b.length);
  };
  if (clusters.length <= kMax) result.set(clusters.length, clusters.map((c) => [...c]));
  while (clusters.length > kMin) {
    let best = -Infinity;
    let bi = 0;
    let bj = 1;
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const l = linkage(clusters[i]!, clusters[j]!);
        // Strictly greater: the first pair in position order wins a tie.
        if (l > best + 1e-12) {
          best = l;
          bi = i;
          bj = j;
        }
      }
    }
    const merged = [...clusters[bi]!, ...clusters[bj]!].sort((x, y) => x - y);
    clusters = clusters.filter((_, idx) => idx !== bi && idx !== bj);
    clusters.push(merged);
    clusters.sort((x, y) => x[0]! - y[0]!);
    if (clusters.length <= kMax) result.set(clusters.length, clusters.map((c) => [...c]));
  }
  return result;
}

/** Mean silhouette over all points, with cosine distance; a point alone in its cluster scores 0. */
export function silhouette(sim: number[][], clusters: number[][]): number {
  if (clusters.length < 2) return 0;
  const of = new Map<number, number>();
  clusters.forEach((c, ci) => c.forEach((i) => of.set(i, ci)));
  let total = 0;
  let count = 0;
  for (const [i, ci] of of) {
    count++;
    const own = clusters[ci]!;
    if (own.length === 1) continue;
    const meanDist = (c: number[]) => {
      let s = 0;
      let m = 0;
      for (const j of c) {
        if (j === i) continue;
        s += 1 - sim[i]![j]!;
        m++;
      }
      return m === 0 ? 0 : s / m;
    };
    const a = meanDist(own);
    let b = Infinity;
    clusters.forEach((c, cj) => {
      if (cj !== ci) b = Math.min(b, meanDist(c));
    });
    const d = Math.max(a, b);
    total += d === 0 ? 0 : (b - a) / d;
  }
  return count === 0 ? 0 : total / count;
}

function titleTerms(vectors: Vector[], members: number[]): string[] {
  const weight = new Map<string, number>();
  for (const i of members) for (const [term, w] of vectors[i]!) weight.set(term, (weight.get(term) ?? 0) + w);
  // Prefer terms shared by several contributions: weight × how many of them use it.
  const spread = new Map<string, number>();
  for (const i of members) for (const term of vectors[i]!.keys()) spread.set(term, (spread.get(term) ?? 0) + 1);
  return [...weight]
    .map(([term, w]) => [term, w * (spread.get(term) ?? 1)] as const)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TITLE_TERMS)
    .map(([term]) => term);
}

/**
 * Suggests themes for a consultation's usable contributions. Same input, same output: the
 * order of `items` matters only as the tie-breaker, so callers pass them in a stable order
 * (by id or by date).
 */
export function suggestThemes(items: readonly ThemeInput[], consultationLanguage: string, bounds: { min?: number; max?: number } = {}): ThemeSuggestion {
  const kLow = Math.max(1, bounds.min ?? MIN_THEMES);
  const kHigh = Math.max(kLow, bounds.max ?? MAX_THEMES);
  const docs = items.map((item) => tokenize(documentOf(item, consultationLanguage)));
  const placed = items.map((item, i) => ({ item, doc: docs[i]! })).filter((x) => x.doc.length > 0);
  const unplaced = items.filter((_, i) => docs[i]!.length === 0).map((item) => item.id);
  if (placed.length === 0) return { themes: [], unplaced };
  const vectors = tfidf(placed.map((p) => p.doc));
  const sim = vectors.map((a) => vectors.map((b) => cosine(a, b)));

  let partition: number[][];
  if (placed.length <= kLow) {
    partition = [placed.map((_, i) => i)];
  } else {
    const kMax = Math.min(kHigh, placed.length - 1);
    const kMin = Math.min(kLow, kMax);
    const partitions = agglomerate(sim, kMin, kMax);
    let bestK = kMin;
    let bestScore = -Infinity;
    for (let k = kMin; k <= kMax; k++) {
      const p = partitions.get(k);
      if (!p) continue;
      const score = silhouette(sim, p);
      if (score > bestScore + 1e-9) {
        bestScore = score;
        bestK = k;
      }
    }
    partition = partitions.get(bestK) ?? [placed.map((_, i) => i)];
  }

  const themes = partition
    .map((members) => {
      const terms = titleTerms(vectors, members);
      return { title: terms.join(' · '), terms, contributionIds: members.map((i) => placed[i]!.item.id), first: members[0]! };
    })
    .sort((a, b) => b.contributionIds.length - a.contributionIds.length || a.first - b.first)
    .map(({ title, terms, contributionIds }) => ({ title, terms, contributionIds }));
  return { themes, unplaced };
}
