/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Offline after one visit: the app's files, and the guide, the calculator and the
// emergency numbers in the reader's language. Online, pages always come from the network;
// the cache answers only when the network does not. The quick exit deletes all of it.
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS = `relais-assets-${version}`;
const PAGES = `relais-pages-${version}`;
// The directory's offline page keeps its own searchable snapshot (src/lib/directory/offline-search.ts).
const DIRECTORY = 'relais-directory';
const assetPaths = new Set([...build, ...files.filter((f) => !f.startsWith('/audio/'))]);

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(ASSETS)
      .then((cache) => cache.addAll([...assetPaths]))
      .then(() => sw.skipWaiting())
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => ![ASSETS, PAGES, DIRECTORY].includes(k)).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim())
  );
});

/** Caches every offline page of one language, once per version of the app. */
async function cacheLocale(locale: string): Promise<void> {
  if (!/^[a-z]{2,3}$/.test(locale)) return;
  const cache = await caches.open(PAGES);
  const marker = `/__relais/offline-${locale}`;
  if (await cache.match(marker)) return;
  const response = await fetch(`/api/offline?lang=${locale}`, { credentials: 'omit' });
  if (!response.ok) return;
  const { urls } = (await response.json()) as { urls: string[] };
  for (const url of urls) {
    try {
      const page = await fetch(url, { credentials: 'omit' });
      if (page.ok) await cache.put(url, page);
    } catch {
      return; // offline again: try on the next visit
    }
  }
  await cache.put(marker, new Response('ok'));
}

sw.addEventListener('message', (event) => {
  const data = event.data as { type?: string; locale?: string } | null;
  if (data?.type === 'cache-locale' && typeof data.locale === 'string') {
    event.waitUntil(
      cacheLocale(data.locale).then(
        () => event.source?.postMessage({ type: 'cached', locale: data.locale }),
        () => {}
      )
    );
  }
});

async function fromNetworkElseCache(request: Request): Promise<Response> {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    // Keep what is already offline fresh; never add a page she visited to the cache.
    if (response.ok && (await cache.match(request))) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    if (request.mode === 'navigate') {
      const locale = new URL(request.url).pathname.split('/')[1] ?? '';
      const home = await cache.match(`/${locale}`);
      if (home) return home;
    }
    throw error;
  }
}

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (assetPaths.has(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
    return;
  }
  if (url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/directory/snapshot')) return;
  event.respondWith(fromNetworkElseCache(request));
});
