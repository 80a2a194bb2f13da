import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import { catalogues } from './catalogues';
import { localeInfo, sourceLocale, type LocaleCode } from './locales';

export type Values = Record<string, string | number | Date>;
export type Translate = ((key: string, values?: Values) => string) & {
  locale: LocaleCode;
  intl: IntlShape<string>;
  has(key: string): boolean;
};

const cache = createIntlCache();
const translators = new Map<LocaleCode, Translate>();

/**
 * Returns the translator of a language. A key missing from the language falls back to the
 * French source (the catalogue test makes that a test failure, never a blank on a page).
 */
export function translator(locale: LocaleCode): Translate {
  const existing = translators.get(locale);
  if (existing) return existing;
  const messages = { ...catalogues[sourceLocale], ...catalogues[locale] };
  const intl = createIntl(
    {
      locale: localeInfo(locale).intl,
      defaultLocale: localeInfo(sourceLocale).intl,
      messages,
      timeZone: 'Europe/Paris',
      onError: () => {}
    },
    cache
  );
  const t = ((key: string, values?: Values) =>
    messages[key] === undefined ? key : String(intl.formatMessage({ id: key }, values))) as Translate;
  t.locale = locale;
  t.intl = intl;
  t.has = (key: string) => messages[key] !== undefined;
  translators.set(locale, t);
  return t;
}

/** A date and time in full, in French time: "dimanche 29 novembre 2026 à 23:10". */
export function formatDateTime(t: Translate, instant: Date): string {
  return t.intl.formatDate(instant, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Paris'
  });
}

/**
 * A day in full, in French time: "29 novembre 2026". A calendar day (`2026-11-29`) is read
 * at noon UTC so that it stays the same day in Paris; an instant (ISO string or Date) as is.
 */
export function formatDay(t: Translate, day: string | Date): string {
  const instant = typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T12:00:00Z`) : new Date(day);
  return t.intl.formatDate(instant, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
}
