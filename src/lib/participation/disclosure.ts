/**
 * The disclosure check (issue 7: "Before export, a disclosure check flags names, places,
 * dates, phone numbers, email addresses, nationalities in small groups, and any contribution
 * quoted without consent"; anchors §11.3 "small-group disclosure control"). Pure and local:
 * patterns and word lists, nothing sent anywhere.
 *
 * It flags for a person to review; it does not judge. It errs towards flagging: a facilitator
 * reads each flag and rewrites the text or confirms she reviewed it. What it looks for:
 * - name: a capitalised word that does not start a sentence and is not in the list of common
 *   words and known institutions (plus the association's own words passed in `allow`), and
 *   any of the members' pseudonyms wherever it appears;
 * - place: a French city, Paris arrondissements and postcodes, and a capitalised word after
 *   "à / au / en / in / at / from / near / de";
 * - date: numeric (15/01/2024, 2024-01-15) and written (15 janvier 2024, January 15, March 2024);
 * - phone: French (06 12 34 56 78, +33 6 …, 0033 …) and international (+234 …) numbers;
 * - email: an address;
 * - nationality: a nationality or a country of origin within a few words of a number under 5
 *   or "one woman", "une femme", "la seule", "only"…;
 * - consent: a quoted contribution whose consent is not 'quote'.
 */

export type DisclosureKind = 'name' | 'place' | 'date' | 'phone' | 'email' | 'nationality' | 'consent';

export interface DisclosureText {
  /** Where it is, as the document says it ("Question 13 · Stigma · recommendation 2"). */
  section: string;
  text: string;
  /** A quoted contribution carries its consent; other texts do not. */
  quote?: { contributionId: string; consent: string };
}

export interface DisclosureFlag {
  kind: DisclosureKind;
  excerpt: string;
  section: string;
}

export interface DisclosureOptions {
  /** The members' pseudonyms: flagged wherever they appear. */
  pseudonyms?: readonly string[];
  /** Words never flagged as names: the association's name, the requester's … */
  allow?: readonly string[];
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/** Capitalised words that are not people: common words, institutions, the call's vocabulary. */
const COMMON = new Set(
  (
    'i je nous we our the a an le la les un une des this these those it its il elle elles ils they members membres member membre survivors survivantes survivors ' +
    'state states etat etats government gouvernement france french francais francaise europe european union europeenne un onu united nations nations unies human rights council conseil droits homme ' +
    'special rapporteur rapporteuse speciale call input appel contributions contribution question questions questions recommendation recommendations recommandation recommandations theme themes ' +
    'police prefecture prefectures court cour tribunal administrative administratif justice law loi parliament parlement ministry ministere minister ministre ofpra cnda ase aide sociale enfance ' +
    'child welfare protection system systeme power freedom pouvoir liberte stigma stigmatisation loneliness solitude migration policy politique migratoire housing logement ' +
    'olympic games jeux olympiques parcours sortie prostitution association associations ngo ong office caf cpam pmi' +
    ' monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche'
  ).split(/\s+/)
);

const MONTHS_FR = ['janvier', 'fevrier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'août', 'septembre', 'octobre', 'novembre', 'decembre', 'décembre'];
const MONTHS_EN = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTHS = new Set([...MONTHS_FR, ...MONTHS_EN].map(fold));

const CITIES = [
  'Paris', 'Marseille', 'Lyon', 'Toulouse', 'Nice', 'Nantes', 'Strasbourg', 'Montpellier', 'Bordeaux', 'Lille', 'Rennes', 'Reims', 'Saint-Denis',
  'Toulon', 'Grenoble', 'Dijon', 'Angers', 'Nîmes', 'Villeurbanne', 'Le Havre', 'Clermont-Ferrand', 'Aix-en-Provence', 'Brest', 'Limoges', 'Tours',
  'Amiens', 'Perpignan', 'Metz', 'Besançon', 'Orléans', 'Rouen', 'Mulhouse', 'Caen', 'Nancy', 'Argenteuil', 'Montreuil', 'Roubaix', 'Tourcoing',
  'Nanterre', 'Créteil', 'Bobigny', 'Aubervilliers', 'Vitry-sur-Seine', 'Avignon', 'Poitiers', 'Calais', 'Pigalle', 'Barbès', 'Belleville',
  'Château-Rouge', 'Bois de Boulogne', 'Bois de Vincennes', 'La Chapelle', 'Stalingrad', 'Saint-Ouen', 'Clichy', 'Sarcelles', 'Évry', 'Cergy'
];

const NATIONALITIES = [
  // French (all genders and numbers are matched by a prefix below)
  'nigérian', 'nigerian', 'congolais', 'camerounais', 'ivoirien', 'ghanéen', 'ghaneen', 'sénégalais', 'senegalais', 'malien', 'guinéen', 'guineen',
  'roumain', 'bulgare', 'albanais', 'chinois', 'brésilien', 'bresilien', 'marocain', 'algérien', 'algerien', 'tunisien', 'ukrainien', 'vietnamien',
  'érythréen', 'erythreen', 'éthiopien', 'ethiopien', 'soudanais', 'afghan', 'colombien', 'péruvien', 'dominicain', 'haïtien', 'haitien',
  // English
  'congolese', 'cameroonian', 'ivorian', 'ghanaian', 'senegalese', 'malian', 'guinean', 'romanian', 'bulgarian', 'albanian', 'chinese', 'brazilian',
  'moroccan', 'algerian', 'tunisian', 'ukrainian', 'vietnamese', 'eritrean', 'ethiopian', 'sudanese', 'colombian', 'peruvian', 'dominican', 'haitian',
  // Countries of origin
  'nigeria', 'congo', 'cameroun', 'cameroon', 'ghana', 'sénégal', 'senegal', 'roumanie', 'romania', 'bulgarie', 'bulgaria', 'albanie', 'albania',
  'chine', 'china', 'brésil', 'brazil', 'maroc', 'morocco', 'érythrée', 'eritrea', 'éthiopie', 'ethiopia', 'soudan', 'sudan', 'colombie', 'colombia'
].map(fold);

const SMALL_NUMBER = /^(?:[1-4]|one|two|three|four|un|une|deux|trois|quatre|only|seule|seul|single|lone)$/;
const SMALL_PHRASES = [/\b(?:a|one|the only)\s+(?:woman|girl|member|person)\b/i, /\bune\s+(?:seule\s+)?(?:femme|fille|membre|personne)\b/i, /\bla\s+seule\b/i, /\bune\s+des\b/i];

const PATTERNS: Array<{ kind: DisclosureKind; re: RegExp }> = [
  { kind: 'email', re: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu },
  // French numbers: 0X XX XX XX XX, +33 X XX XX XX XX, 0033 …
  { kind: 'phone', re: /(?:\+33\s?|0033\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/g },
  // International: +CCC and at least 7 more digits in groups.
  { kind: 'phone', re: /\+(?!33)\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}/g },
  { kind: 'date', re: /\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b/g },
  { kind: 'date', re: /\b\d{4}-\d{2}-\d{2}\b/g },
  {
    kind: 'date',
    re: new RegExp(`\\b(?:\\d{1,2}(?:er)?\\s+(?:${MONTHS_FR.join('|')})(?:\\s+\\d{4})?|(?:${MONTHS_FR.join('|')})\\s+\\d{4})\\b`, 'giu')
  },
  {
    kind: 'date',
    re: new RegExp(`\\b(?:\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS_EN.join('|')})(?:\\s+\\d{4})?|(?:${MONTHS_EN.join('|')})\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|(?:${MONTHS_EN.join('|')})\\s+\\d{4})\\b`, 'giu')
  },
  // Paris arrondissements and postcodes of the Paris region and large cities.
  { kind: 'place', re: /\b\d{1,2}\s?(?:e|er|ème|eme|th|st|nd|rd)\s+arrondissement\b/giu },
  { kind: 'place', re: /\b(?:75|77|78|91|92|93|94|95|13|69|31|33|59|67)\d{3}\b/g },
  { kind: 'place', re: new RegExp(`(?<![\\p{L}-])(?:${CITIES.map((c) => c.replace(/[-]/g, '[- ]')).join('|')})(?![\\p{L}-])`, 'gu') }
];

const PLACE_PREPOSITIONS = new Set(['à', 'a', 'au', 'en', 'in', 'at', 'from', 'near', 'de', 'vers', 'depuis']);

function excerpt(text: string, start: number, end: number): string {
  const from = Math.max(0, start - 25);
  const to = Math.min(text.length, end + 25);
  return `${from > 0 ? '…' : ''}${text.slice(from, to).replace(/\s+/g, ' ').trim()}${to < text.length ? '…' : ''}`;
}

interface Word {
  word: string;
  start: number;
  end: number;
  sentenceStart: boolean;
}

function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  const re = /[\p{L}][\p{L}'’-]*/gu;
  let m: RegExpExecArray | null;
  let lastEnd = 0;
  let first = true;
  while ((m = re.exec(text))) {
    const between = text.slice(lastEnd, m.index);
    const sentenceStart = first || /[.!?:;«"“\n•*]\s*$|^\s*[-–]\s*$/.test(between) || /\n/.test(between);
    out.push({ word: m[0], start: m.index, end: m.index + m[0].length, sentenceStart });
    lastEnd = m.index + m[0].length;
    first = false;
  }
  return out;
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word) && !/^[\p{Lu}\p{N}-]+$/u.test(word); // ALL CAPS: acronyms, headings
}

/** Flags in one text. */
export function checkText(item: DisclosureText, options: DisclosureOptions = {}): DisclosureFlag[] {
  const { text, section } = item;
  const flags: DisclosureFlag[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  const add = (kind: DisclosureKind, s: number, e: number) => {
    if (overlaps(s, e)) return;
    taken.push([s, e]);
    flags.push({ kind, excerpt: excerpt(text, s, e), section });
  };

  if (item.quote && item.quote.consent !== 'quote') flags.push({ kind: 'consent', excerpt: excerpt(text, 0, Math.min(text.length, 40)), section });

  for (const { kind, re } of PATTERNS) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (kind === 'phone' && m[0].replace(/\D/g, '').length < 8) continue;
      add(kind, m.index, m.index + m[0].length);
    }
  }

  for (const pseudonym of options.pseudonyms ?? []) {
    const p = pseudonym.trim();
    if (p.length < 2) continue;
    const re = new RegExp(`(?<![\\p{L}])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'giu');
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) add('name', m.index, m.index + m[0].length);
  }

  const allow = new Set((options.allow ?? []).flatMap((a) => a.split(/[^\p{L}]+/u)).map(fold));
  const words = wordsOf(text);
  const nationalityAt: number[] = [];
  words.forEach((w, i) => {
    const f = fold(w.word);
    if (NATIONALITIES.some((n) => f.startsWith(n))) nationalityAt.push(i);
    if (!isCapitalised(w.word)) return;
    if (COMMON.has(f) || MONTHS.has(f) || allow.has(f) || NATIONALITIES.some((n) => f.startsWith(n))) return;
    const prev = i > 0 ? fold(words[i - 1]!.word) : '';
    if (i > 0 && PLACE_PREPOSITIONS.has(prev) && !w.sentenceStart) {
      add('place', w.start, w.end);
      return;
    }
    if (w.sentenceStart) return;
    add('name', w.start, w.end);
  });

  for (const i of nationalityAt) {
    const windowWords = words.slice(Math.max(0, i - 5), i + 6);
    const windowText = text.slice(windowWords[0]!.start, windowWords[windowWords.length - 1]!.end);
    const digits = text.slice(Math.max(0, words[Math.max(0, i - 5)]!.start - 4), words[Math.min(words.length - 1, i + 5)]!.end + 4);
    const small =
      windowWords.some((w) => SMALL_NUMBER.test(fold(w.word))) || SMALL_PHRASES.some((re) => re.test(windowText)) || /(?<!\d)[1-4](?!\d)/.test(digits);
    if (small) {
      const w = words[i]!;
      // Not overlapping-guarded: the same word may already be flagged as a place or a name.
      flags.push({ kind: 'nationality', excerpt: excerpt(text, w.start, w.end), section });
    }
  }
  return flags;
}

/** Flags across the submission's texts, in document order. */
export function disclosureCheck(texts: readonly DisclosureText[], options: DisclosureOptions = {}): DisclosureFlag[] {
  return texts.flatMap((t) => checkText(t, options));
}
