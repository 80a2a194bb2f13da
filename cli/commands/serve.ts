import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { readConfig } from '../../src/lib/server/config';
import { openDatabase, openOperatorDatabase } from '../../src/lib/server/db/connect';
import { ensureMasterKey, readMasterKey } from '../../src/lib/server/crypto/master-key';
import { smtpMailer } from '../../src/lib/server/mail/mailer';
import { startReminderWorker, type ReminderWorker } from '../../src/lib/server/accompaniment/reminder.worker';
import { UPLOAD_BODY_LIMIT } from '../../src/lib/server/accompaniment/document-type';
import { loadDemoContent } from '../../src/lib/server/demo/load-demo';
import { createRelaisServer } from '../../src/lib/server/http/server';
import { log } from '../../src/lib/server/http/log';
import { CommandFailure, type Command, type Io } from '../command';
import { schedulePurge } from './cases';

const root = path.resolve(import.meta.dirname, '../..');
const buildDir = path.resolve(root, process.env.RELAIS_BUILD_DIR ?? 'build');
const stampFile = path.join(buildDir, '.relais-build-stamp');
const sources = ['src', 'static', 'content', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Builds the web app when there is no build or a source file is newer than it. */
export function buildIfNeeded(io: Io): void {
  const built = fs.existsSync(stampFile) ? fs.statSync(stampFile).mtimeMs : 0;
  const newest = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
  if (built && built >= newest && fs.existsSync(path.join(buildDir, 'handler.js'))) return;
  io.out('Building Relais (once, about a minute)…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit']
  });
  if (result.status !== 0) throw new CommandFailure('the build failed (see above)');
  fs.writeFileSync(stampFile, new Date().toISOString());
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'apply migrations and run the built web app (PORT, HOST, ORIGIN, DATABASE_URL…)',
  usage: 'relais serve [--build-if-needed] [--demo]',
  options: { 'build-if-needed': { type: 'boolean' }, demo: { type: 'boolean' } },
  async run({ values, io }) {
    const config = readConfig();
    if (values['build-if-needed']) buildIfNeeded(io);
    if (!fs.existsSync(path.join(buildDir, 'handler.js'))) {
      throw new CommandFailure('no build found: run `npm run build` first, or `relais serve --build-if-needed`');
    }
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    if (ensureMasterKey(config.masterKeyFile)) {
      io.out(`Created the master key ${config.masterKeyFile} (mode 600). Back it up apart from the database.`);
    }
    // Migrations (as the owner's role when configured) before the app connects.
    const { db, dialect, close } = await openOperatorDatabase(config);
    try {
      if (values.demo) {
        const loaded = await loadDemoContent(db);
        if (loaded) io.out(`Loaded the demo content (${loaded}).`);
      }
    } finally {
      await close();
    }

    // adapter-node reads its settings from the environment when its handler is imported.
    process.env.ORIGIN = config.origin;
    process.env.DATABASE_URL = config.databaseUrl;
    if (config.ownerDatabaseUrl) process.env.RELAIS_OWNER_DATABASE_URL = config.ownerDatabaseUrl;
    process.env.RELAIS_DATA_DIR = config.dataDir;
    // A 10 MB document must get through (adapter-node's default is 512 KB); other routes
    // keep a small limit (hooks.server.ts). An operator's own BODY_SIZE_LIMIT wins.
    process.env.BODY_SIZE_LIMIT ??= String(UPLOAD_BODY_LIMIT);
    const { handler } = await import(pathToFileURL(path.join(buildDir, 'handler.js')).href);
    const server = createRelaisServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    }).catch((error: NodeJS.ErrnoException) => {
      throw new CommandFailure(
        error.code === 'EADDRINUSE' ? `port ${config.port} is already in use: stop the other program or set PORT` : `cannot listen on ${config.host}:${config.port}: ${error.code}`
      );
    });
    // Reminder emails: a worker in this process, on its own small pool (as the app's role).
    let reminders: { worker: ReminderWorker; close: () => Promise<void> } | undefined;
    if (config.smtpUrl && config.mailFrom) {
      const handle = openDatabase(config.databaseUrl, { poolSize: 2 });
      const mailer = smtpMailer(config.smtpUrl, config.mailFrom);
      const worker = startReminderWorker({ db: handle.db, masterKey: readMasterKey(config.masterKeyFile), mailer, origin: config.origin });
      reminders = { worker, close: async () => (mailer.close(), handle.close()) };
    }
    io.out(`Relais is running on ${dialect} at ${config.origin}/ (press Ctrl+C to stop)`);
    log('info', 'started', { dialect, port: config.port, reminders: reminders ? 'on' : 'off (no RELAIS_SMTP_URL)' });
    // Closed records past their retention are erased by the server itself (as the app's role).
    const purger = config.purgeEveryHours > 0 ? openDatabase(config.databaseUrl, { poolSize: 1 }) : null;
    const stopPurge = purger ? schedulePurge(purger.db, config.purgeEveryHours) : () => {};
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    if (reminders) {
      await reminders.worker.stop();
      await reminders.close();
    }
    stopPurge();
    await purger?.close();
    return 0;
  }
};
