import { error } from '@sveltejs/kit';
import { DomainError, httpStatusOf } from '../../errors';

/**
 * For routes: a DomainError becomes the error page of its code (404 not_found, 403
 * forbidden…); anything else goes on to `handleError` (logged with a reference).
 */
export function rethrowAsHttp(e: unknown): never {
  if (e instanceof DomainError && e.code !== 'internal') error(httpStatusOf(e.code), { code: e.code, message: e.code });
  throw e;
}
