/**
 * Stable error codes. The code is also the message key (`errors.<code>`) the user reads in
 * her language; routes map codes to HTTP statuses with `httpStatusOf`.
 */
export const errorCodes = {
  bad_request: 400,
  invalid_input: 400,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  forbidden: 403,
  unauthenticated: 401,
  conflict: 409,
  internal: 500
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail?: string
  ) {
    super(detail ?? code);
    this.name = 'DomainError';
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return errorCodes[code];
}

/** The code of an HTTP status, for error pages that only know the status. */
export function codeOfStatus(status: number): ErrorCode {
  if (status === 404) return 'not_found';
  if (status === 405) return 'method_not_allowed';
  if (status === 413) return 'payload_too_large';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'internal';
}
