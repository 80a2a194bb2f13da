/**
 * Session cookies and invitation links name their organization in clear before the secret:
 * `<organization id>.<secret>`. The server must know the tenant BEFORE it looks the secret
 * up (every query on a tenant table runs inside `inTenant`), and nothing else may be
 * searched across organizations. Only the secret's SHA-256 is stored. The organization's id
 * is not a secret (a random UUID, no name); a cookie or link whose prefix was changed
 * names no row in that organization: the same answer as an unknown one.
 */
import { generateToken } from '../crypto/envelope';

const ORGANIZATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A new token for a cookie or a link of this organization, and its secret part (to hash). */
export function newTenantToken(organizationId: string): { token: string; secret: string } {
  if (!ORGANIZATION_ID.test(organizationId)) throw new Error('newTenantToken: not an organization id');
  const secret = generateToken();
  return { token: `${organizationId}.${secret}`, secret };
}

/** The organization and secret a token names, or null if it is not one (never throws). */
export function parseTenantToken(token: unknown): { organizationId: string; secret: string } | null {
  if (typeof token !== 'string' || token.length > 100) return null;
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const organizationId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!ORGANIZATION_ID.test(organizationId) || !SECRET.test(secret)) return null;
  return { organizationId, secret };
}
