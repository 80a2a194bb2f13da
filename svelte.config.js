import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // RELAIS_BUILD_DIR / RELAIS_KIT_DIR let two builds run side by side (tests, benchmarks).
    adapter: adapter({ out: process.env.RELAIS_BUILD_DIR ?? 'build', precompress: true }),
    outDir: process.env.RELAIS_KIT_DIR ?? '.svelte-kit',
    // Public pages render without JavaScript; where a page hydrates, SvelteKit's own
    // inline bootstrap script is allowed by its hash, nothing else inline.
    // Cross-site form posts are refused in hooks.server.ts (same-origin.ts), which also
    // understands the `Origin: null` that our no-referrer policy makes browsers send.
    csrf: { checkOrigin: false },
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['none'],
        'script-src': ['self'],
        'style-src': ['self'],
        // SvelteKit's live-region announcer on hydrated pages carries one fixed inline style.
        'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
        'img-src': ['self', 'data:'],
        'media-src': ['self'],
        'font-src': ['none'],
        'connect-src': ['self'],
        'manifest-src': ['self'],
        'worker-src': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
        'base-uri': ['none'],
        'object-src': ['none']
      }
    },
    serviceWorker: { register: false },
    inlineStyleThreshold: 0,
    paths: { relative: false },
    version: { name: process.env.RELAIS_BUILD_ID ?? 'dev' }
  }
};

export default config;
