import { localeCodes } from '../../../src/lib/i18n/locales';

/**
 * Every public page, by path without the language. Each capability adds its own; the
 * browser tests visit each one in every language, with JavaScript on and off.
 */
export const publicPaths: string[] = [
  '/directory',
  '/directory/sample-paris-saturday-lawyers',
  '/directory/offline',
  '',
  '/guide',
  '/guide/help-now',
  '/guide/order-to-leave',
  '/guide/police-custody',
  '/guide/trafficking-rights',
  '/guide/exit-programme',
  '/guide/asylum',
  '/guide/health',
  '/guide/minors',
  '/guide/police-abuse',
  '/guide/safety',
  '/guide/search?q=avocat',
  '/guide/card',
  '/guide/translations',
  '/deadlines',
  '/deadlines/oqtf',
  '/deadlines/retention-placement',
  '/deadlines/cnda',
  '/deadlines/reflection-period',
  '/deadlines/civi'
];

export function everyPublicPage(): Array<{ locale: string; path: string; url: string }> {
  return localeCodes.flatMap((locale) => publicPaths.map((p) => ({ locale, path: p, url: `/${locale}${p}` })));
}
