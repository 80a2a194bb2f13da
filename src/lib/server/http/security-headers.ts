/**
 * Headers every response carries. The Content-Security-Policy of pages is SvelteKit's
 * (svelte.config.js, with hashes of its own inline scripts); this adds it to everything
 * else so that an API answer or a static file is just as locked down. The microphone is
 * allowed to the app itself: a member may record a short answer (static/record-audio.js).
 */
export const securityHeaders: Record<string, string> = {
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy':
    'accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(self), gyroscope=(), magnetometer=(), microphone=(self), midi=(), payment=(), publickey-credentials-get=(self), screen-wake-lock=(), serial=(), usb=(), interest-cohort=(), browsing-topics=()'
};

export const fallbackCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
