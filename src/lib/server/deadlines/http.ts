/**
 * What the two deadline endpoints share: reading the language, and the 400 answer.
 * Her input is never logged: the access log keeps the path without the query string.
 */
import { isLocale, sourceLocale, type LocaleCode } from '../../i18n/locales';
import { translator, type Translate } from '../../i18n/translate';
import { errorBody, type DeadlineErrorBody } from '../../deadlines/answer';
import { DeadlineInputError } from '../../deadlines/engine';

export const noStore = { 'cache-control': 'no-store' } as const;

/** The language asked for (`lang`, default French), or null when it is not one we speak. */
export function requestedTranslator(url: URL): Translate | null {
  const lang = url.searchParams.get('lang');
  if (lang === null || lang === '') return translator(sourceLocale);
  return isLocale(lang) ? translator(lang as LocaleCode) : null;
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...noStore }
  });
}

/** 400 `{ error: { code, message, field } }` naming what is wrong, in her language. */
export function badRequest(body: DeadlineErrorBody): Response {
  return jsonResponse(body, 400);
}

export function unknownLanguage(): Response {
  const t = translator(sourceLocale);
  return badRequest({ error: { code: 'invalid_lang', message: t('deadlines.error.invalid_lang'), field: 'lang' } });
}

/** Turns an input error into its 400; anything else is rethrown (a real fault: 500 with a reference). */
export function inputErrorResponse(error: unknown, t: Translate): Response {
  if (error instanceof DeadlineInputError) return badRequest(errorBody(error, t));
  throw error;
}
