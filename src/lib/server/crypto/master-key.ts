import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

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
