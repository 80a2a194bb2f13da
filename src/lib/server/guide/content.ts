import { localeCodes, sourceLocale, type LocaleCode } from '../../i18n/locales';
import type { Topic } from '../../guide/topic';
import { parseTopic } from './parse';

// The guide's pages are bundled at build time: no file is read while serving, and the
// same build can be exported as static files.
const files = import.meta.glob('/content/*/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

let byLocale: Map<string, Map<string, Topic>> | undefined;

function load(): Map<string, Map<string, Topic>> {
  if (byLocale) return byLocale;
  const result = new Map<string, Map<string, Topic>>();
  for (const [file, source] of Object.entries(files)) {
    const locale = file.split('/')[2]!;
    if (!(localeCodes as readonly string[]).includes(locale)) continue;
    const topic = parseTopic(file, locale, source);
    if (!result.has(locale)) result.set(locale, new Map());
    result.get(locale)!.set(topic.id, topic);
  }
  byLocale = result;
  return result;
}

/**
 * The guide in a language: every topic of the French source, in its translation when one
 * exists, else in French (`fallback: true`), in guide order.
 */
export function listTopics(locale: LocaleCode): Array<Topic & { fallback: boolean }> {
  const all = load();
  const source = all.get(sourceLocale) ?? new Map();
  const own = all.get(locale) ?? new Map();
  return [...source.values()]
    .map((t) => (own.has(t.id) ? { ...own.get(t.id)!, fallback: false } : { ...t, fallback: locale !== sourceLocale }))
    .sort((a, b) => a.order - b.order);
}

export function findTopic(locale: LocaleCode, id: string): (Topic & { fallback: boolean }) | undefined {
  return listTopics(locale).find((t) => t.id === id);
}

/** Every topic × language with its translation status, for the translation status page. */
export function translationTable(): Array<{ id: string; title: string; cells: Array<{ locale: LocaleCode; status: Topic['status'] | 'missing'; lastChecked: string | null }> }> {
  const all = load();
  return listTopics(sourceLocale).map((t) => ({
    id: t.id,
    title: t.title,
    cells: localeCodes.map((locale) => {
      const own = all.get(locale)?.get(t.id);
      return { locale, status: own ? own.status : 'missing', lastChecked: own ? own.lastChecked : null };
    })
  }));
}
