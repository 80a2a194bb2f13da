/**
 * How big a request body may be. The server's own limit (adapter-node's BODY_SIZE_LIMIT,
 * set by `relais serve`) must let a 10 MB document through; every other route keeps the
 * small limit it had before documents existed, so a sign-in form or a search cannot be
 * sent megabytes. Pure.
 */

/** adapter-node's default, kept for every route but an upload. */
export const SMALL_BODY_LIMIT = 512 * 1024;

/** The routes that take a document: `/staff/people/<id>/documents` (its `?/upload` action). */
const UPLOAD_PATH = /^\/staff\/people\/[^/]+\/documents\/?$/;

export function isUploadPath(pathname: string): boolean {
  return UPLOAD_PATH.test(pathname);
}

/**
 * True when a request declares a body over the small limit on a route that takes no
 * document (a body without a declared length is still cut at the server's limit).
 */
export function bodyTooLarge(pathname: string, contentLength: string | null): boolean {
  if (contentLength === null || isUploadPath(pathname)) return false;
  const length = Number(contentLength);
  return Number.isFinite(length) && length > SMALL_BODY_LIMIT;
}
