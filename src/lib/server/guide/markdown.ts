import { Marked, type Tokens } from 'marked';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Resolves the guide's own link schemes (docs/content-format.md) to URLs in the reader's
 * language. Returns null for a link that is not allowed.
 */
export function resolveGuideLink(href: string, locale: string): { url: string; external: boolean } | null {
  const [scheme, ...restParts] = href.split(':');
  const rest = restParts.join(':');
  switch (scheme) {
    case 'tel':
    case 'sms':
      return /^\+?[\d ]+$/.test(rest) ? { url: `${scheme}:${rest.replace(/ /g, '')}`, external: false } : null;
    case 'guide':
      return /^[a-z0-9-]+$/.test(rest) ? { url: `/${locale}/guide/${rest}`, external: false } : null;
    case 'directory':
      return /^[a-z0-9-]+$/.test(rest) ? { url: `/${locale}/directory?category=${rest}`, external: false } : null;
    case 'deadlines':
      return /^[a-z0-9-]+$/.test(rest) ? { url: `/${locale}/deadlines/${rest}`, external: false } : null;
    case 'https':
      return { url: href, external: true };
    default:
      return null;
  }
}

/** Markdown → HTML for guide pages: raw HTML is escaped, links go through resolveGuideLink. */
export function renderGuideMarkdown(markdown: string, locale: string): string {
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  marked.use({
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      link({ href, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const target = resolveGuideLink(href, locale);
        if (!target) return inner;
        const rel = target.external ? ' rel="noreferrer"' : '';
        return `<a href="${escapeHtml(target.url)}"${rel}>${inner}</a>`;
      },
      image({ text }: Tokens.Image) {
        return escapeHtml(text);
      },
      blockquote({ tokens }: Tokens.Blockquote) {
        return `<aside class="careful">${this.parser.parse(tokens)}</aside>\n`;
      },
      heading({ tokens, depth }: Tokens.Heading) {
        // Section headings (##) come from the catalogue; inside a section, ### becomes h3.
        const level = Math.min(Math.max(depth, 3), 4);
        return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
      }
    }
  });
  return marked.parse(markdown) as string;
}

/** The visible words of rendered HTML (for search and speech). */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
