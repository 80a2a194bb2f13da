import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseMasterKey } from './envelope';

export interface MasterKeyStatus {
  exists: boolean;
  mode: number | null;
  privateToOwner: boolean;
  validLength: boolean;
}

/**
 * Creates the master key file (32 random bytes, base64) with mode 0600 if it does not
 * exist. Returns true when it was created now. The key never leaves this file: the
 * accounts capability wraps one data key per organization with it.
 */
export function ensureMasterKey(file: string): boolean {
  if (fs.existsSync(file)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, randomBytes(32).toString('base64') + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

export function masterKeyStatus(file: string): MasterKeyStatus {
  if (!fs.existsSync(file)) return { exists: false, mode: null, privateToOwner: false, validLength: false };
  const mode = fs.statSync(file).mode & 0o777;
  let validLength = false;
  try {
    validLength = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64').length === 32;
  } catch {
    validLength = false;
  }
  return { exists: true, mode, privateToOwner: (mode & 0o077) === 0, validLength };
}

/** Reads the master key file; throws with a message naming the file, never its content. */
export function readMasterKey(file: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`cannot read the master key file ${file}`);
  }
  try {
    return parseMasterKey(text);
  } catch {
    throw new Error(`the master key file ${file} does not hold 32 bytes in base64`);
  }
}

/** Where a rotation keeps the previous key, until the operator deletes it. */
export function previousKeyFile(file: string): string {
  return `${file}.previous`;
}

/** Where a rotation writes the next key before the data keys are re-wrapped under it. */
export function nextKeyFile(file: string): string {
  return `${file}.next`;
}

/**
 * Writes a new key to `<file>.next` (mode 0600, flushed to disk). Refuses if that file
 * exists: a rotation was interrupted and must be finished or undone first.
 */
export function writeNextMasterKey(file: string, key: Buffer): void {
  const fd = fs.openSync(nextKeyFile(file), 'wx', 0o600);
  try {
    fs.writeSync(fd, key.toString('base64') + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Makes `<file>.next` the master key and keeps the old one as `<file>.previous`, by
 * renames (atomic on one file system): at every moment `<file>` holds a whole key.
 */
export function promoteNextMasterKey(file: string): void {
  const previous = previousKeyFile(file);
  fs.linkSync(file, previous);
  fs.renameSync(nextKeyFile(file), file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
