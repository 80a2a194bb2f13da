/**
 * Envelope encryption (docs/security.md): the master key (a file, never in the database)
 * wraps one random data key per organization; sensitive fields are encrypted with a key
 * derived from the organization's data key, with AES-256-GCM, and the associated data binds
 * each ciphertext to its table, column and row id, so a ciphertext copied to another row or
 * column does not decrypt. Exact-match lookups use a keyed blind index (HMAC-SHA256 under a
 * per-column key derived from the data key), never the plaintext.
 *
 * Formats (ASCII, safe in any text column):
 *   wrapped data key: `k1.<master key id>.<base64url(iv | ciphertext | tag)>`
 *   encrypted field:  `f1.<base64url(iv | ciphertext | tag)>`
 *   blind index:      `b1.<base64url(HMAC-SHA256)>`
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface FieldContext {
  table: string;
  column: string;
  rowId: string;
}

/** Thrown when a key or a ciphertext does not check out; the message never holds data. */
export class DecryptionError extends Error {
  constructor(message = 'decryption failed: wrong key, or the value was moved or altered') {
    super(message);
    this.name = 'DecryptionError';
  }
}

function assertKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new Error(`${what} must be ${KEY_BYTES} bytes`);
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('decryption failed: truncated value');
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

function derive(key: Buffer, info: string, bytes = KEY_BYTES): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), Buffer.from(info, 'utf8'), bytes));
}

/** Decodes the master key file's content (32 bytes in base64). */
export function parseMasterKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error('the master key must be 32 bytes in base64');
  return key;
}

/**
 * A short public identifier of a master key (not the key, not a plain hash of it), so an
 * operator is told "this is not the key these data keys were wrapped with".
 */
export function masterKeyId(masterKey: Buffer): string {
  assertKey(masterKey, 'the master key');
  return createHmac('sha256', masterKey).update('relais:master-key-id:v1').digest('hex').slice(0, 16);
}

export function generateDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Wraps an organization's data key under the master key; bound to the organization's id. */
export function wrapDataKey(masterKey: Buffer, dataKey: Buffer, organizationId: string): string {
  assertKey(masterKey, 'the master key');
  assertKey(dataKey, 'a data key');
  const kek = derive(masterKey, 'relais:key-wrapping:v1');
  return `k1.${masterKeyId(masterKey)}.${seal(kek, dataKey, `relais:data-key:v1:${organizationId}`)}`;
}

/** Unwraps a data key; throws DecryptionError with a clear message if the master key differs. */
export function unwrapDataKey(masterKey: Buffer, wrapped: string, organizationId: string): Buffer {
  assertKey(masterKey, 'the master key');
  const [version, keyId, sealed] = wrapped.split('.');
  if (version !== 'k1' || !keyId || !sealed) throw new DecryptionError('not a wrapped data key');
  if (keyId !== masterKeyId(masterKey)) {
    throw new DecryptionError(`this data key was wrapped with another master key (id ${keyId})`);
  }
  const key = open(derive(masterKey, 'relais:key-wrapping:v1'), sealed, `relais:data-key:v1:${organizationId}`);
  if (key.length !== KEY_BYTES) throw new DecryptionError('a wrapped data key has the wrong length');
  return key;
}

/**
 * The same wrapping and unwrapping as `wrapDataKey` / `unwrapDataKey`, for many keys under
 * one wrapping key (a page of people, the demo generator): the key id and the derived
 * wrapping key are computed once instead of once per key. Same formats, same checks.
 */
export function dataKeyWrapper(wrappingKey: Buffer): { wrap(dataKey: Buffer, id: string): string; unwrap(wrapped: string, id: string): Buffer } {
  assertKey(wrappingKey, 'the master key');
  const keyId = masterKeyId(wrappingKey);
  const kek = derive(wrappingKey, 'relais:key-wrapping:v1');
  return {
    wrap(dataKey, id) {
      assertKey(dataKey, 'a data key');
      return `k1.${keyId}.${seal(kek, dataKey, `relais:data-key:v1:${id}`)}`;
    },
    unwrap(wrapped, id) {
      const [version, wrappedId, sealed] = wrapped.split('.');
      if (version !== 'k1' || !wrappedId || !sealed) throw new DecryptionError('not a wrapped data key');
      if (wrappedId !== keyId) throw new DecryptionError(`this data key was wrapped with another master key (id ${wrappedId})`);
      const key = open(kek, sealed, `relais:data-key:v1:${id}`);
      if (key.length !== KEY_BYTES) throw new DecryptionError('a wrapped data key has the wrong length');
      return key;
    }
  };
}

/**
 * `encryptField` / `decryptField` for several fields under one data key (her pseudonym,
 * name and profile): the field key is derived once. Same format.
 */
export function fieldCipher(dataKey: Buffer): { encrypt(plaintext: string, context: FieldContext): string; decrypt(ciphertext: string, context: FieldContext): string } {
  assertKey(dataKey, 'a data key');
  const key = derive(dataKey, 'relais:field-encryption:v1');
  return {
    encrypt: (plaintext, context) => `f1.${seal(key, Buffer.from(plaintext, 'utf8'), fieldAad(context))}`,
    decrypt(ciphertext, context) {
      if (!ciphertext.startsWith('f1.')) throw new DecryptionError('not an encrypted field');
      return open(key, ciphertext.slice(3), fieldAad(context)).toString('utf8');
    }
  };
}

/** `blindIndex` for many values of one column: the column's key is derived once. */
export function blindIndexer(dataKey: Buffer, column: { table: string; column: string }): (value: string) => string {
  assertKey(dataKey, 'a data key');
  const key = derive(dataKey, `relais:blind-index:v1:${column.table}.${column.column}`);
  return (value) => `b1.${createHmac('sha256', key).update(normalizeForIndex(value), 'utf8').digest('base64url')}`;
}

/** Re-wraps a data key under a new master key; the field ciphertexts are untouched. */
export function rewrapDataKey(oldMasterKey: Buffer, newMasterKey: Buffer, wrapped: string, organizationId: string): string {
  return wrapDataKey(newMasterKey, unwrapDataKey(oldMasterKey, wrapped, organizationId), organizationId);
}

function fieldAad(context: FieldContext): string {
  for (const part of [context.table, context.column, context.rowId]) {
    if (!part || part.includes('\u0000')) throw new Error('a field context needs a table, a column and a row id');
  }
  return `relais:field:v1\u0000${context.table}\u0000${context.column}\u0000${context.rowId}`;
}

/** Encrypts one sensitive value for one table, column and row (AES-256-GCM, random IV). */
export function encryptField(dataKey: Buffer, plaintext: string, context: FieldContext): string {
  assertKey(dataKey, 'a data key');
  return `f1.${seal(derive(dataKey, 'relais:field-encryption:v1'), Buffer.from(plaintext, 'utf8'), fieldAad(context))}`;
}

/** Decrypts a value encrypted by `encryptField`; throws DecryptionError if anything differs. */
export function decryptField(dataKey: Buffer, ciphertext: string, context: FieldContext): string {
  assertKey(dataKey, 'a data key');
  if (!ciphertext.startsWith('f1.')) throw new DecryptionError('not an encrypted field');
  return open(derive(dataKey, 'relais:field-encryption:v1'), ciphertext.slice(3), fieldAad(context)).toString('utf8');
}

const BYTES_VERSION = 0x01;

function bytesAad(context: FieldContext): Buffer {
  return Buffer.from(`relais:bytes:v1\u0000${fieldAad(context)}`, 'utf8');
}

/**
 * Encrypts a file's bytes (a document) for one table, column and row: AES-256-GCM under a
 * key derived from the data key for this purpose, a random IV, the context as associated
 * data. Binary out: `0x01 | iv | ciphertext | tag` (a document stays its size + 29 bytes).
 */
export function encryptBytes(dataKey: Buffer, plaintext: Buffer, context: FieldContext): Buffer {
  assertKey(dataKey, 'a data key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', derive(dataKey, 'relais:bytes-encryption:v1'), iv);
  cipher.setAAD(bytesAad(context));
  return Buffer.concat([Buffer.of(BYTES_VERSION), iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Decrypts what `encryptBytes` made; throws DecryptionError if the key, the context or a byte differs. */
export function decryptBytes(dataKey: Buffer, sealed: Buffer, context: FieldContext): Buffer {
  assertKey(dataKey, 'a data key');
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== BYTES_VERSION) throw new DecryptionError('not encrypted bytes');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive(dataKey, 'relais:bytes-encryption:v1'), iv);
    decipher.setAAD(bytesAad(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/** The normalization a blind index applies before hashing: NFKC, trimmed, one space, lower case. */
export function normalizeForIndex(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A keyed blind index for exact-match lookups on an encrypted column. The key is derived
 * from the organization's data key and the column, so the same value gives unrelated
 * indexes in two organizations or two columns. It reveals equality: index only
 * high-cardinality values (an email, a pseudonym), never a nationality.
 */
export function blindIndex(dataKey: Buffer, value: string, column: { table: string; column: string }): string {
  assertKey(dataKey, 'a data key');
  const key = derive(dataKey, `relais:blind-index:v1:${column.table}.${column.column}`);
  return `b1.${createHmac('sha256', key).update(normalizeForIndex(value), 'utf8').digest('base64url')}`;
}

/** A purpose-bound key derived from the master key (backups); never the master key itself. */
export function deriveFromMasterKey(masterKey: Buffer, purpose: string, salt: Buffer): Buffer {
  assertKey(masterKey, 'the master key');
  return Buffer.from(hkdfSync('sha256', masterKey, salt, Buffer.from(`relais:${purpose}:v1`, 'utf8'), KEY_BYTES));
}

/** SHA-256 of a secret token (invitations, sessions): the database keeps only this. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A random token for a link or a cookie: 32 bytes, base64url. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export { seal as sealWithKey, open as openWithKey };
