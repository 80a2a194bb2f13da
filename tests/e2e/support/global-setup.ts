import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { leakedSecrets, readSecrets } from './secrets';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    serverLog: string;
    dataDir: string;
  }
}

/**
 * Starts the built app once for every browser test, exactly as `relais serve --demo` runs
 * it, on a fresh SQLite database in a temporary folder, on a free loopback port.
 */
export default async function setup(project: TestProject) {
  if (!fs.existsSync(path.join(process.env.RELAIS_BUILD_DIR ?? 'build', 'handler.js'))) throw new Error('no build: run `npm run build` (npm test does it)');
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-e2e-'));
  const serverLog = path.join(dataDir, 'server.log');
  const logStream = fs.openSync(serverLog, 'a');
  const child = spawn(process.execPath, ['bin/relais.js', 'serve', '--demo'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: `http://localhost:${port}`,
      RELAIS_DATA_DIR: dataDir,
      DATABASE_URL: path.join(dataDir, 'relais.db'),
      RELAIS_QUICK_EXIT_URL: 'http://neutral.test/',
      RELAIS_LOG_LEVEL: 'info'
    },
    stdio: ['ignore', logStream, logStream]
  });
  const baseUrl = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server stopped: ${fs.readFileSync(serverLog, 'utf8')}`);
    if (fs.readFileSync(serverLog, 'utf8').includes('Relais is running')) break;
    if (Date.now() > deadline) throw new Error(`the server did not start: ${fs.readFileSync(serverLog, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  project.provide('baseUrl', baseUrl);
  project.provide('serverLog', serverLog);
  project.provide('dataDir', dataDir);
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.closeSync(logStream);
    // The whole server log of the run, against every secret the tests seeded.
    const log = fs.readFileSync(serverLog, 'utf8');
    const secrets = readSecrets(dataDir);
    const leaked = leakedSecrets(log, secrets);
    const blind = !log.includes('Relais is running') || (secrets.length > 0 && !/ request .*path=/.test(log));
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (leaked.length > 0 || blind) {
      const message = blind
        ? 'log scan: the server log holds no request line, so it cannot be checked'
        : `log scan: personal data in the server log (${leaked.length} of ${secrets.length} seeded secrets): ${leaked.join(', ')}`;
      // scripts/test.sh counts this as a failed test (vitest's JSON report is written before teardown).
      if (process.env.RELAIS_TEST_RESULTS) fs.writeFileSync(path.join(process.env.RELAIS_TEST_RESULTS, 'log-scan-failed'), message + '\n');
      // Vitest reports an error thrown here but still exits with 0: set the code ourselves.
      process.exitCode = 1;
      throw new Error(message);
    }
    if (secrets.length > 0) console.log(`log scan: none of ${secrets.length} seeded secrets in ${log.split('\n').length - 1} log lines`);
  };
}
