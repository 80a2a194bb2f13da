/**
 * Refuses form posts that come from another site (CSRF). Relais sends no referrer at all
 * (`Referrer-Policy: no-referrer`), so browsers send `Origin: null` with its own form
 * posts; the browser-set `Sec-Fetch-Site` header then tells where the post came from.
 * SvelteKit's own origin check is off (svelte.config.js) because it cannot see that.
 */
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isCrossSiteWrite(method: string, headers: Headers, appOrigin: string): boolean {
  if (!unsafeMethods.has(method.toUpperCase())) return false;
  const origin = headers.get('origin');
  if (origin && origin !== 'null') return origin !== appOrigin;
  const site = headers.get('sec-fetch-site');
  // `Origin: null` or none: only a browser that says the post is same-origin is trusted.
  return site !== 'same-origin';
}
