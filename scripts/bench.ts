// npm run bench: page weights, server throughput and latency, and each capability's own
// benchmarks. Prints Markdown tables (copy them into docs/performance.md with the date).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { measurePage } from '../bench/page-weight';
import { everyPublicPage } from '../tests/e2e/support/public-pages';
import { buildIfNeeded } from '../cli/commands/serve';
import { processIo } from '../cli/command';

type Row = Record<string, string | number | boolean>;

function table(title: string, rows: Row[]): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]!);
  console.log(`\n### ${title}\n`);
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`|${cols.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${cols.map((c) => String(r[c])).join(' | ')} |`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-bench-'));
  const child = spawn(process.execPath, ['bin/relais.js', 'serve', '--demo'], {
    env: { ...process.env, PORT: String(port), RELAIS_DATA_DIR: dataDir, DATABASE_URL: path.join(dataDir, 'relais.db'), RELAIS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit']
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('Relais is running') && resolve());
    child.once('exit', () => reject(new Error('the server stopped')));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop() {
      child.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
}

async function load(url: string, seconds = 8, connections = 16) {
  const result = await autocannon({ url, duration: seconds, connections });
  return {
    requests_per_s: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.non2xx
  };
}

// `npm run bench -- --only pages,load,deadlines,directory,cases` runs some sections only.
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : null;
const wanted = (section: string) => !only || only.has(section);

/** Sections that need the built server running (the directory benchmark opens its own databases). */
const SERVER_SECTIONS = ['pages', 'load', 'deadlines'];

async function main() {
  const needsServer = SERVER_SECTIONS.some(wanted);
  if (needsServer) buildIfNeeded(processIo);
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(`## Relais benchmarks — ${new Date().toISOString().slice(0, 10)}`);
  console.log(`Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${os.platform()} ${os.release()}`);
  const server = needsServer ? await startServer() : { baseUrl: '', stop() {} };
  try {
    const weights: Row[] = [];
    for (const { url } of wanted('pages') ? everyPublicPage() : []) {
      const w = await measurePage(server.baseUrl, url);
      weights.push({
        page: url,
        'HTML+CSS gzip (bytes)': w.compressedBytes,
        'within 14 KB': w.compressedBytes <= 14 * 1024 ? 'yes' : 'NO',
        'scripts (none required)': w.scripts,
        'enhances with JS': w.hydrates ? 'yes' : 'no'
      });
    }
    table('Public pages: first-visit weight', weights);

    if (wanted('load')) {
      const home = await load(`${server.baseUrl}/fr`);
      const guide = await load(`${server.baseUrl}/fr/guide/order-to-leave`);
      table('Server under load (autocannon, 16 connections, 8 s, loopback)', [
        { endpoint: 'GET /fr (home)', ...home },
        { endpoint: 'GET /fr/guide/order-to-leave', ...guide }
      ]);
    }

    const modules: Array<[string, string, string, (baseUrl: string) => Promise<Row[]>]> = [
      ['deadlines', 'Deadline calculator API', '../bench/deadlines.ts', async (b) => (await import('../bench/deadlines.ts' as string)).benchDeadlines(b)],
      ['directory', 'Directory with 100,000 services', '../bench/directory.ts', async () => (await import('../bench/directory.ts' as string)).benchDirectory()],
      ['cases', 'Case tracker: dashboard and list at 10,000 and 100,000 people', '../bench/cases.ts', async () => (await import('../bench/cases.ts' as string)).benchCases()]
    ];
    for (const [section, title, file, run] of modules) {
      if (!wanted(section) || !fs.existsSync(path.join(import.meta.dirname, file))) continue;
      table(title, await run(server.baseUrl));
    }
  } finally {
    server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench failed: ${(error as Error).message}`);
    process.exit(1);
  }
);
