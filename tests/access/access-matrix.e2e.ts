/**
 * Runs the access matrix (matrix.ts) against the built server, started on each database:
 * a fresh SQLite file, and a fresh PostgreSQL database where the server connects as the
 * app's non-owner role (DATABASE_URL) and migrates as the owner (RELAIS_OWNER_DATABASE_URL).
 * Real HTTP requests, as a browser without JavaScript sends them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseEnv, openTestDatabase, testDialects, type TestDatabase, type TestHandles } from '../support/databases';
import { ensureMasterKey, readMasterKey } from '../../src/lib/server/crypto/master-key';
import { ROLES } from '../../src/lib/server/accounts/roles';
import { MATRIX, SUBJECTS, TO_SIGN_IN, type Expected, type MatrixRow, type Request, type Subject } from './matrix';
import { World, type Cell, type Person } from './world';

const ROUTES = path.resolve('src/routes');
const STAFF_ROOT = path.join(ROUTES, '(staff)');

function serverFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverFiles(full);
    return /^\+(page|layout)\.server\.ts$|^\+server\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** `/staff/people/[id]` for `src/routes/(staff)/staff/people/[id]` (groups left out). */
function routeOf(file: string): string {
  const segments = path.relative(ROUTES, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join('/')}`;
}

/** Every load, action and endpoint under (staff), as `<handler> <route>`; layout loads apart. */
export function staffHandlers(): { handlers: string[]; layouts: string[] } {
  const handlers: string[] = [];
  const layouts: string[] = [];
  for (const file of serverFiles(STAFF_ROOT)) {
    const source = fs.readFileSync(file, 'utf8');
    const route = routeOf(file);
    if (path.basename(file) === '+server.ts') {
      for (const m of source.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)) handlers.push(`${m[1]} ${route}`);
      continue;
    }
    if (/export (?:const|async function) load\b/.test(source)) {
      if (path.basename(file).startsWith('+layout')) layouts.push(route);
      else handlers.push(`load ${route}`);
    }
    const actions = source.indexOf('export const actions');
    if (actions >= 0) for (const m of source.slice(actions).matchAll(/^\s+(\w+): async \(event\) =>/gm)) handlers.push(`action:${m[1]} ${route}`);
  }
  return { handlers: handlers.sort(), layouts };
}

describe('the access matrix', () => {
  it('has a row for every load, action and endpoint under src/routes/(staff), and none for what does not exist', () => {
    const { handlers, layouts } = staffHandlers();
    expect(handlers.length).toBeGreaterThanOrEqual(4);
    expect(MATRIX.map((r) => `${r.handler} ${r.route}`).sort()).toEqual(handlers);
    // A layout's load runs with every page below it: one page load row must exercise it.
    for (const layout of layouts) {
      expect(
        MATRIX.some((r) => r.handler === 'load' && (r.route === layout || r.route.startsWith(`${layout}/`))),
        `layout load ${layout}`
      ).toBe(true);
    }
  });

  it('answers a record of another organization exactly like a record that does not exist, in every row of a tenant', () => {
    for (const row of MATRIX) {
      if (row.scope === 'instance') continue;
      for (const role of ROLES) expect(row.answers[role].other_organization, `${row.handler} ${row.route} as ${role}`).toEqual(row.answers[role].missing);
      expect(row.noSession).toEqual(TO_SIGN_IN);
    }
  });

  it('lets the organization make no difference to access in every row of an instance-wide record (the help directory)', () => {
    for (const row of MATRIX) {
      if (row.scope !== 'instance') continue;
      for (const role of ROLES) {
        const { other_organization: other, colleague } = row.answers[role];
        expect([other.status, other.location, other.changed], `${row.handler} ${row.route} as ${role}`).toEqual([colleague.status, colleague.location, colleague.changed]);
      }
      expect(row.noSession).toEqual(TO_SIGN_IN);
    }
  });

  it('knows how to check every change it expects', () => {
    for (const row of MATRIX) {
      const expectsChange = ROLES.some((role) => SUBJECTS.some((s) => row.answers[role][s].changed !== undefined));
      if (expectsChange) expect(row.changed, `${row.handler} ${row.route}`).toBeTypeOf('function');
    }
  });
});

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

/** Starts the built app (`relais serve`) and waits until it answers. */
async function startServer(env: Record<string, string>, logFile: string): Promise<{ baseUrl: string; child: ChildProcess }> {
  if (!fs.existsSync(path.join(process.env.RELAIS_BUILD_DIR ?? 'build', 'handler.js'))) throw new Error('no build: run `npx vite build` (npm test does it)');
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['bin/relais.js', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: baseUrl, RELAIS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', log, log]
  });
  fs.closeSync(log);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server stopped: ${fs.readFileSync(logFile, 'utf8')}`);
    if (fs.readFileSync(logFile, 'utf8').includes('Relais is running')) return { baseUrl, child };
    if (Date.now() > deadline) throw new Error(`the server did not start: ${fs.readFileSync(logFile, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Answer {
  status: number;
  location: string | null;
  body: string;
}

async function ask(baseUrl: string, request: Request, cookie: string | null): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'text/html', 'accept-language': 'fr' };
  if (cookie !== null) headers.cookie = `relais_session=${cookie}`;
  let body: string | undefined;
  if (request.method === 'POST') {
    headers.origin = baseUrl;
    headers['content-type'] = request.json !== undefined ? 'application/json' : 'application/x-www-form-urlencoded';
    body = request.json !== undefined ? JSON.stringify(request.json) : new URLSearchParams(request.form ?? {}).toString();
  }
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers, body, redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

const targetOf = (cell: Cell, subject: Subject): Person =>
  ({ own: cell.actor, colleague: cell.colleague, other_organization: cell.stranger, missing: cell.ghost })[subject];

async function check(world: World, row: MatrixRow, target: Person, answer: Answer, expected: Expected, where: string): Promise<void> {
  expect(answer.status, `${where}: status`).toBe(expected.status);
  if (expected.location !== undefined) expect(answer.location, `${where}: location`).toBe(expected.location);
  if (expected.shows !== undefined) expect(answer.body.includes(row.marker ? row.marker(target) : target.email), `${where}: shows the record`).toBe(expected.shows);
  // A row without `changed` changes nothing (checked above for rows that expect a change).
  if (expected.changed !== undefined && row.changed) expect(await row.changed(world, target), `${where}: changed the record`).toBe(expected.changed);
}

describe.each(testDialects())('access matrix on %s', (dialect) => {
  let testDb: TestDatabase;
  let handles: TestHandles;
  let dir: string;
  let server: { baseUrl: string; child: ChildProcess } | undefined;
  let world: World;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-access-'));
    const keyFile = path.join(dir, 'master.key');
    ensureMasterKey(keyFile);
    testDb = await createTestDatabase(dialect);
    // Migrated by the owner; the world is made through the app's role, like the server.
    handles = await openTestDatabase(testDb);
    world = await World.create(handles.db, readMasterKey(keyFile));
    server = await startServer({ ...databaseEnv(testDb), RELAIS_DATA_DIR: dir, RELAIS_MASTER_KEY_FILE: keyFile }, path.join(dir, 'server.log'));
  }, 120_000);

  afterAll(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
    await handles?.close();
    await testDb?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const row of MATRIX) {
    describe(`${row.handler} ${row.route}`, () => {
      it.each(ROLES)('as %s: own, colleague’s, other organization’s and missing records', async (role) => {
        // One cell for the four: each names a different person's record, her own first, and
        // no answer on one changes what the actor may do on the next (her own account is
        // refused to the forms that would change it), except her sign-in throttle.
        let cell = await world.cell(role, row.cases, row.directory, row.consultation);
        for (const subject of SUBJECTS) {
          if (row.throttled && subject !== 'own') cell = await world.cell(role, row.cases, row.directory, row.consultation);
          const target = targetOf(cell, subject);
          await row.prepare?.(world, target);
          const answer = await ask(server!.baseUrl, row.request(target), cell.actor.cookie);
          await check(world, row, target, answer, row.answers[role][subject], `${row.handler} ${row.route} as ${role} on ${subject}`);
        }
      });

      it('without a session, or with a cookie relabelled for another organization', async () => {
        const cell = await world.cell('admin', row.cases, row.directory, row.consultation);
        const where = `${row.handler} ${row.route}`;
        await row.prepare?.(world, cell.actor);
        await check(world, row, cell.actor, await ask(server!.baseUrl, row.request(cell.actor), null), row.noSession, `${where} without a session`);
        // Her own cookie's secret under organization B's id: no such session there.
        const relabelled = `${world.organizationB}.${cell.actor.cookie.split('.')[1]}`;
        await check(world, row, cell.actor, await ask(server!.baseUrl, row.request(cell.actor), relabelled), row.noSession, `${where} with a relabelled cookie`);
      });
    });
  }
});
