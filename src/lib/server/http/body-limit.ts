/**
 * How big a request body may be. The server's own limit (adapter-node's BODY_SIZE_LIMIT,
 * set by `relais serve`) must let a 10 MB document through; every other route keeps the
 * small limit it had before documents existed, so a sign-in form or a search cannot be
 * sent megabytes; a member's answer may carry a short recording (6 MB). Pure.
 */

/** adapter-node's default, kept for every route but an upload. */
export const SMALL_BODY_LIMIT = 512 * 1024;

/** The routes that take a document: `/staff/people/<id>/documents` (its `?/upload` action). */
const UPLOAD_PATH = /^\/staff\/people\/[^/]+\/documents\/?$/;

export function isUploadPath(pathname: string): boolean {
  return UPLOAD_PATH.test(pathname);
}

/** A member's answer with a short recording (at most 5 MB, participation/contributions.ts): `/staff/participate/<id>`. */
const RECORDING_PATH = /^\/staff\/participate\/[^/]+\/?$/;
/** The recording's 5 MB and the rest of the form (her text, at most 10,000 characters). */
export const RECORDING_BODY_LIMIT = 6 * 1024 * 1024;

export function isRecordingPath(pathname: string): boolean {
  return RECORDING_PATH.test(pathname);
}

/**
 * True when a request declares a body over the small limit on a route that takes no
 * document (a body without a declared length is still cut at the server's limit).
 */
export function bodyTooLarge(pathname: string, contentLength: string | null): boolean {
  if (contentLength === null || isUploadPath(pathname)) return false;
  const length = Number(contentLength);
  return Number.isFinite(length) && length > (isRecordingPath(pathname) ? RECORDING_BODY_LIMIT : SMALL_BODY_LIMIT);
}
