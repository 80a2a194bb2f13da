import http from 'node:http';
import { log } from './log';
import { securityHeaders } from './security-headers';

/**
 * Paths that carry a secret (a one-time invitation token, a calendar feed's) are logged
 * without it; so is the contribution a member listens to (her own recording: its id and the
 * instant together could be lined up with her session, docs/security.md "Participation").
 */
export function redactPath(path: string): string {
  return path
    .replace(/^\/invite\/[^/]+/, '/invite/[token]')
    .replace(/^\/calendar\/[^/]+/, '/calendar/[token]')
    .replace(/^\/staff\/participate\/[^/]+\/audio\/[^/]+/, '/staff/participate/[id]/audio/[contribution]');
}

/**
 * The fields of one access-log line. A member's pages of participation
 * (`/staff/participate…`) are logged as one constant line, without method, ids, status or
 * time taken: "a POST to her consultation page at 10:42:07.315" next to her session's
 * `last_seen_at` would say she wrote, changed or withdrew something then, and the day of a
 * contribution is stored (docs/security.md "Participation"). A server error keeps its status.
 */
export function accessLogFields(method: string, url: string, status: number, ms: number): Record<string, string | number> {
  const raw = url.split('?')[0] ?? '/';
  if (raw === '/staff/participate' || raw.startsWith('/staff/participate/')) {
    return status >= 500 ? { path: '/staff/participate/…', status } : { path: '/staff/participate/…' };
  }
  const path = redactPath(raw);
  return { method, path: path.length > 200 ? path.slice(0, 200) + '…' : path, status, ms };
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

/**
 * Wraps SvelteKit's request handler: security headers on every answer (static files too)
 * and one access-log line per request with the method, the path without its query, the
 * status and the time — never the address, the query string or the body.
 */
export function createRelaisServer(handler: Handler): http.Server {
  return http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    res.on('finish', () => {
      log('info', 'request', accessLogFields(req.method ?? '?', req.url ?? '/', res.statusCode, Number((process.hrtime.bigint() - started) / 1000n) / 1000));
    });
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });
}
