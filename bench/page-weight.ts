import { gzipSync } from 'node:zlib';

export interface PageWeight {
  url: string;
  status: number;
  htmlBytes: number;
  cssBytes: number;
  /** HTML + CSS, each gzip-compressed at level 9 as a server would send them. */
  compressedBytes: number;
  scripts: number;
  /** SvelteKit hydration scripts: the page enhances itself with JavaScript. */
  hydrates: boolean;
}

const gz = (text: string) => gzipSync(Buffer.from(text), { level: 9 }).length;

/**
 * What a first visit must download to show a page: its HTML and the stylesheets it links,
 * compressed. Scripts are counted, not weighed: no public page needs one to be read.
 */
export async function measurePage(baseUrl: string, path: string): Promise<PageWeight> {
  const response = await fetch(baseUrl + path);
  const html = await response.text();
  const cssLinks = [...html.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /rel="stylesheet"/.test(tag))
    .map((tag) => tag.match(/href="([^"]+)"/)?.[1])
    .filter((href): href is string => Boolean(href));
  let cssText = '';
  for (const href of cssLinks) cssText += await (await fetch(new URL(href, baseUrl + path))).text();
  const scripts = [...html.matchAll(/<script\b/g)].length;
  return {
    url: path,
    status: response.status,
    htmlBytes: Buffer.byteLength(html),
    cssBytes: Buffer.byteLength(cssText),
    compressedBytes: gz(html) + gz(cssText),
    scripts,
    hydrates: /__sveltekit_|kit\.start\(/.test(html)
  };
}

export const FIRST_SCREEN_BUDGET = 14 * 1024;
