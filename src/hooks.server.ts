import type { Handle, HandleServerError } from '@sveltejs/kit';
import { isLocale, localeInfo, negotiateLocale, type LocaleCode } from '$lib/i18n/locales';
import { fallbackCsp, securityHeaders } from '$lib/server/http/security-headers';
import { log, newReference, stackFrames } from '$lib/server/http/log';
import { codeOfStatus } from '$lib/errors';
import { isCrossSiteWrite } from '$lib/server/http/same-origin';
import { bodyTooLarge } from '$lib/server/http/body-limit';
import { appConfig } from '$lib/server/app-config';
import { translator } from '$lib/i18n/translate';

function localeOf(pathname: string, acceptLanguage: string | null): LocaleCode {
  const first = pathname.split('/')[1] ?? '';
  return isLocale(first) ? first : negotiateLocale(acceptLanguage);
}

export const handle: Handle = async ({ event, resolve }) => {
  const { pathname } = event.url;
  const locale = localeOf(pathname, event.request.headers.get('accept-language'));
  event.locals.locale = locale;

  // `/` picks a language without a cookie: the browser's own preference decides.
  if (pathname === '/') {
    return new Response(null, {
      status: 302,
      headers: {
        location: `/${locale}`,
        vary: 'Accept-Language',
        'cache-control': 'no-store',
        ...securityHeaders,
        'content-security-policy': fallbackCsp
      }
    });
  }

  if (isCrossSiteWrite(event.request.method, event.request.headers, appConfig().origin)) {
    const t = translator(locale);
    return new Response(`${t('error.cross_site.title')}\n${t('error.cross_site.text')}\n`, {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders, 'content-security-policy': fallbackCsp }
    });
  }

  // Only a record's documents (10 MB) and a member's answer with a recording (6 MB) take a
  // large body; everywhere else, the small limit.
  if (bodyTooLarge(pathname, event.request.headers.get('content-length'))) {
    return new Response(`${translator(locale)('error.bad_request.title')}\n`, {
      status: 413,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders, 'content-security-policy': fallbackCsp }
    });
  }

  const response = await resolve(event, {
    // Read when the page is rendered: a member's pages speak her language, which her layout
    // sets (staff/participate/+layout.server.ts), not the browser's.
    transformPageChunk: ({ html }) => {
      const info = localeInfo(event.locals.locale);
      return html.replace('%lang%', info.code).replace('%dir%', info.dir);
    },
    preload: ({ type }) => type === 'css' || type === 'js'
  });

  for (const [name, value] of Object.entries(securityHeaders)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  if (!response.headers.has('content-security-policy')) {
    response.headers.set('content-security-policy', fallbackCsp);
  }
  // Signed-in pages, sign-in and invitations: never cached, whatever the type (issue 5).
  if (pathname.startsWith('/staff') || pathname === '/sign-in' || pathname.startsWith('/sign-in/') || pathname.startsWith('/invite/')) {
    response.headers.set('cache-control', 'no-store');
  }
  const type = response.headers.get('content-type') ?? '';
  // A page in the browser's cache is a trace of what she read; the service worker keeps
  // what is needed offline, and the quick exit can erase it.
  if (type.startsWith('text/html') && !response.headers.has('cache-control')) {
    response.headers.set('cache-control', 'no-store');
  }
  return response;
};

export const handleError: HandleServerError = ({ error, event, status }) => {
  const code = codeOfStatus(status);
  if (status < 500) return { code, message: code };
  const reference = newReference();
  log('error', 'unexpected error', {
    reference,
    route: event.route.id ?? 'none',
    method: event.request.method,
    name: error instanceof Error ? error.name : typeof error,
    stack: stackFrames(error)
  });
  return { code, message: code, reference };
};
