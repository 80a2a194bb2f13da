import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isLocale } from '$lib/i18n/locales';
import { listTopics } from '$lib/server/guide/content';
import { offlineData, offlineExtraPaths } from '$lib/server/offline';

/** The pages the service worker keeps for offline use, in one language. */
export const GET: RequestHandler = ({ url }) => {
  const lang = url.searchParams.get('lang') ?? '';
  if (!isLocale(lang)) {
    return json({ error: { code: 'invalid_input', field: 'lang', message: 'lang must be one of the site languages' } }, { status: 400 });
  }
  const urls = [
    `/${lang}`,
    `/${lang}/guide`,
    ...listTopics(lang).map((t) => `/${lang}/guide/${t.id}`),
    `/${lang}/guide/card`,
    ...offlineExtraPaths.map((p) => `/${lang}${p}`),
    ...offlineData
  ];
  return json({ urls }, { headers: { 'cache-control': 'no-store' } });
};
