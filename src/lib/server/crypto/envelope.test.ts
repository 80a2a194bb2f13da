import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DecryptionError,
  blindIndex,
  blindIndexer,
  dataKeyWrapper,
  fieldCipher,
  decryptField,
  encryptField,
  generateDataKey,
  masterKeyId,
  normalizeForIndex,
  rewrapDataKey,
  unwrapDataKey,
  wrapDataKey
} from './envelope';
import { ensureMasterKey, masterKeyStatus, nextKeyFile, previousKeyFile, promoteNextMasterKey, readMasterKey, writeNextMasterKey } from './master-key';

const row = { table: 'person_account', column: 'email_encrypted', rowId: 'acc-1' };

describe('encryptField', () => {
  it('round-trips a value and never shows it in the ciphertext', () => {
    const key = generateDataKey();
    const secret = 'zorblax.fake@example.test';
    const ciphertext = encryptField(key, secret, row);
    expect(ciphertext.startsWith('f1.')).toBe(true);
    expect(ciphertext).not.toContain('zorblax');
    expect(Buffer.from(ciphertext.slice(3), 'base64url').toString('latin1')).not.toContain('zorblax');
    expect(decryptField(key, ciphertext, row)).toBe(secret);
  });

  it('gives a different ciphertext each time (random IV)', () => {
    const key = generateDataKey();
    expect(encryptField(key, 'same', row)).not.toBe(encryptField(key, 'same', row));
  });

  it('does not decrypt a ciphertext moved to another row, column or table', () => {
    const key = generateDataKey();
    const ciphertext = encryptField(key, 'secret', row);
    expect(() => decryptField(key, ciphertext, { ...row, rowId: 'acc-2' })).toThrow(DecryptionError);
    expect(() => decryptField(key, ciphertext, { ...row, column: 'totp_secret_encrypted' })).toThrow(DecryptionError);
    expect(() => decryptField(key, ciphertext, { ...row, table: 'invitation' })).toThrow(DecryptionError);
  });

  it('does not decrypt under another organization’s key, nor an altered ciphertext', () => {
    const key = generateDataKey();
    const ciphertext = encryptField(key, 'secret', row);
    expect(() => decryptField(generateDataKey(), ciphertext, row)).toThrow(DecryptionError);
    const raw = Buffer.from(ciphertext.slice(3), 'base64url');
    raw[14] = raw[14]! ^ 1;
    expect(() => decryptField(key, `f1.${raw.toString('base64url')}`, row)).toThrow(DecryptionError);
  });

  it('refuses a context without a row id', () => {
    expect(() => encryptField(generateDataKey(), 'x', { ...row, rowId: '' })).toThrow();
  });
});

describe('wrapDataKey', () => {
  it('unwraps with the same master key and organization only', () => {
    const master = randomBytes(32);
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(master, dataKey, 'org-1');
    expect(wrapped).not.toContain(dataKey.toString('base64url'));
    expect(unwrapDataKey(master, wrapped, 'org-1').equals(dataKey)).toBe(true);
    expect(() => unwrapDataKey(master, wrapped, 'org-2')).toThrow(DecryptionError);
    expect(() => unwrapDataKey(randomBytes(32), wrapped, 'org-1')).toThrow(/another master key/);
  });

  it('re-wraps under a new master key; field ciphertexts stay readable', () => {
    const oldMaster = randomBytes(32);
    const newMaster = randomBytes(32);
    const dataKey = generateDataKey();
    const field = encryptField(dataKey, 'secret', row);
    const rewrapped = rewrapDataKey(oldMaster, newMaster, wrapDataKey(oldMaster, dataKey, 'org-1'), 'org-1');
    expect(rewrapped.split('.')[1]).toBe(masterKeyId(newMaster));
    expect(decryptField(unwrapDataKey(newMaster, rewrapped, 'org-1'), field, row)).toBe('secret');
    expect(() => unwrapDataKey(oldMaster, rewrapped, 'org-1')).toThrow(DecryptionError);
  });
});

describe('blindIndex', () => {
  const column = { table: 'person_account', column: 'email_index' };
  it('matches the same value after normalization', () => {
    const key = generateDataKey();
    expect(blindIndex(key, '  Zorblax.Fake@Example.TEST ', column)).toBe(blindIndex(key, 'zorblax.fake@example.test', column));
    expect(normalizeForIndex('A\u00a0 B')).toBe('a b');
  });
  it('differs between organizations and columns, and hides the value', () => {
    const key = generateDataKey();
    const index = blindIndex(key, 'zorblax@example.test', column);
    expect(index).not.toBe(blindIndex(generateDataKey(), 'zorblax@example.test', column));
    expect(index).not.toBe(blindIndex(key, 'zorblax@example.test', { ...column, column: 'other' }));
    expect(index).not.toContain('zorblax');
  });
});

describe('bulk helpers (a page of people, the demo generator)', () => {
  it('make and read the same formats as the one-at-a-time functions, with the same checks', () => {
    const orgKey = generateDataKey();
    const herKey = generateDataKey();
    const wrapper = dataKeyWrapper(orgKey);
    const wrapped = wrapper.wrap(herKey, 'person:p1');
    expect(unwrapDataKey(orgKey, wrapped, 'person:p1').equals(herKey)).toBe(true);
    expect(wrapper.unwrap(wrapDataKey(orgKey, herKey, 'person:p1'), 'person:p1').equals(herKey)).toBe(true);
    expect(() => wrapper.unwrap(wrapped, 'person:p2')).toThrow(DecryptionError);
    expect(() => dataKeyWrapper(generateDataKey()).unwrap(wrapped, 'person:p1')).toThrow(/another master key/);
    expect(() => wrapper.unwrap('nonsense', 'person:p1')).toThrow(DecryptionError);

    const cipher = fieldCipher(herKey);
    const context = { table: 'case_person', column: 'pseudonym', rowId: 'p1' };
    const sealed = cipher.encrypt('Quillabee Fakename', context);
    expect(sealed).not.toContain('Quillabee');
    expect(decryptField(herKey, sealed, context)).toBe('Quillabee Fakename');
    expect(cipher.decrypt(encryptField(herKey, 'Orvandine', context), context)).toBe('Orvandine');
    expect(() => cipher.decrypt(sealed, { ...context, rowId: 'p2' })).toThrow(DecryptionError);
    expect(() => fieldCipher(orgKey).decrypt(sealed, context)).toThrow(DecryptionError);
    expect(() => cipher.decrypt('x1.abc', context)).toThrow(DecryptionError);

    const column = { table: 'case_person', column: 'pseudonym' };
    expect(blindIndexer(orgKey, column)('  Quillabee   FAKENAME ')).toBe(blindIndex(orgKey, 'quillabee fakename', column));
    expect(() => dataKeyWrapper(Buffer.alloc(3))).toThrow();
  });
});

describe('master key file', () => {
  it('rotates by renames: the new key in place, the old kept as .previous, mode 0600', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-key-'));
    try {
      const file = path.join(dir, 'master.key');
      ensureMasterKey(file);
      const oldKey = readMasterKey(file);
      const newKey = randomBytes(32);
      writeNextMasterKey(file, newKey);
      expect(() => writeNextMasterKey(file, newKey)).toThrow();
      promoteNextMasterKey(file);
      expect(readMasterKey(file).equals(newKey)).toBe(true);
      expect(readMasterKey(previousKeyFile(file)).equals(oldKey)).toBe(true);
      expect(fs.existsSync(nextKeyFile(file))).toBe(false);
      expect(masterKeyStatus(file).privateToOwner).toBe(true);
      expect(masterKeyStatus(previousKeyFile(file)).privateToOwner).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('says which file is wrong without printing it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-key-'));
    try {
      const file = path.join(dir, 'master.key');
      fs.writeFileSync(file, 'bm90IGEga2V5', { mode: 0o600 });
      expect(() => readMasterKey(file)).toThrow(/does not hold 32 bytes/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
