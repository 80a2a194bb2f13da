/**
 * What she agreed the association may record (issue 6, "Consent"). Pure. A field whose scope
 * she has not agreed to (or has withdrawn) is neither asked nor kept: withdrawing a scope
 * erases what was recorded under it (`person.service.ts`).
 */
export const CONSENT_SCOPES = ['procedures', 'identity', 'contact', 'documents'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export const DEFAULT_RETENTION_MONTHS = 24;

export function isConsentScope(value: unknown): value is ConsentScope {
  return typeof value === 'string' && (CONSENT_SCOPES as readonly string[]).includes(value);
}

export function parseScopes(stored: string): ConsentScope[] {
  return stored.split(',').filter(isConsentScope);
}
