/**
 * Password rules and hashing (the fallback to passkeys: issue 5). argon2id with the OWASP
 * parameters (19 MiB, 2 passes, 1 lane). A password is never logged, never sent back to a
 * page, never kept after it is hashed.
 */
import { hash, verify } from '@node-rs/argon2';
import commonList from './common-passwords.txt?raw';

export const PASSWORD_MIN_LENGTH = 12;
/** A long input is refused before hashing: argon2 on megabytes is a cheap denial of service. */
export const PASSWORD_MAX_LENGTH = 256;

const common = new Set(
  commonList
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
);

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common';

/** Why a new password is refused, or null if it is acceptable. Length counts characters, not bytes. */
export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  // The list holds short ones too: a common word repeated or padded with digits stays common.
  if (common.has(lower) || common.has(lower.replace(/[\d!.?]+$/, '')) || /^(.)\1*$/.test(lower) || /^(.{1,4})\1+$/.test(lower)) return 'too_common';
  return null;
}

export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase());
}

export function commonPasswordCount(): number {
  return common.size;
}

/** argon2id (the library's default algorithm), OWASP minimum parameters. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

/** A wrong or malformed hash is a refusal, never an error. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if ([...password].length > PASSWORD_MAX_LENGTH) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified when no account matches, so that an unknown
 * address costs as long as a known one (the timing does not say whether an account exists).
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return decoy;
}
