import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { nextKeyFile, previousKeyFile, promoteNextMasterKey, readMasterKey, writeNextMasterKey } from '../../src/lib/server/crypto/master-key';
import { rotateMasterKey } from '../../src/lib/server/accounts/organization.service';
import { CommandFailure, EXIT_OK, printJson, type Command } from '../command';
import { withInstance } from './accounts';

/**
 * Order, so that no step loses data: (1) the new key is written to `<file>.next`;
 * (2) every data key is re-wrapped under it in one transaction; (3) the old key becomes
 * `<file>.previous` and the new one `<file>`, by renames. If it stops after (2), running
 * it again finishes the job: data keys already under the new key are skipped.
 */
export const keysRotateCommand: Command = {
  name: 'keys rotate',
  summary: 'make a new master key and re-wrap every data key under it (the old key is kept as .previous)',
  usage: 'relais keys rotate [--json]',
  options: {},
  async run({ values, io }) {
    const result = await withInstance(async ({ db, masterKey, masterKeyFile }) => {
      if (fs.existsSync(previousKeyFile(masterKeyFile))) {
        throw new CommandFailure(`${previousKeyFile(masterKeyFile)} exists: back it up or delete it, then rotate again`);
      }
      let newKey: Buffer;
      if (fs.existsSync(nextKeyFile(masterKeyFile))) {
        newKey = readMasterKey(nextKeyFile(masterKeyFile)); // an interrupted rotation: finish it
      } else {
        newKey = randomBytes(32);
        writeNextMasterKey(masterKeyFile, newKey);
      }
      const rewrapped = await rotateMasterKey(db, masterKey, newKey, { id: 'cli' });
      promoteNextMasterKey(masterKeyFile);
      return { rewrapped, keyFile: masterKeyFile, previousKeyFile: previousKeyFile(masterKeyFile) };
    });
    if (values.json) printJson(io, result);
    else io.out(`new master key in ${result.keyFile}; ${result.rewrapped} data key(s) re-wrapped; back up the new key, then delete ${result.previousKeyFile} once no backup needs it`);
    return EXIT_OK;
  }
};
