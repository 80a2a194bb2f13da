import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, decryptBytes, encryptBytes, generateDataKey } from './envelope';

const doc = { table: 'case_document', column: 'content_encrypted', rowId: 'doc-1' };

describe('encryptBytes', () => {
  it('round-trips bytes, 29 bytes longer, and never shows them', () => {
    const key = generateDataKey();
    const plain = Buffer.concat([Buffer.from('%PDF-1.7 Zorblax passport scan '), randomBytes(5000)]);
    const sealed = encryptBytes(key, plain, doc);
    expect(sealed.length).toBe(plain.length + 29);
    expect(sealed.includes(Buffer.from('Zorblax'))).toBe(false);
    expect(decryptBytes(key, sealed, doc).equals(plain)).toBe(true);
    expect(encryptBytes(key, plain, doc).equals(sealed)).toBe(false);
  });

  it('refuses another key, another document id or column, and a flipped byte', () => {
    const key = generateDataKey();
    const sealed = encryptBytes(key, Buffer.from('a document'), doc);
    expect(() => decryptBytes(generateDataKey(), sealed, doc)).toThrow(DecryptionError);
    expect(() => decryptBytes(key, sealed, { ...doc, rowId: 'doc-2' })).toThrow(DecryptionError);
    expect(() => decryptBytes(key, sealed, { ...doc, column: 'other' })).toThrow(DecryptionError);
    const flipped = Buffer.from(sealed);
    flipped[20] = flipped[20]! ^ 1;
    expect(() => decryptBytes(key, flipped, doc)).toThrow(DecryptionError);
    expect(() => decryptBytes(key, Buffer.from('short'), doc)).toThrow(DecryptionError);
  });

  it('handles an empty file and a 10 MB one', () => {
    const key = generateDataKey();
    expect(decryptBytes(key, encryptBytes(key, Buffer.alloc(0), doc), doc).length).toBe(0);
    const big = randomBytes(10 * 1024 * 1024);
    expect(decryptBytes(key, encryptBytes(key, big, doc), doc).equals(big)).toBe(true);
  });
});
