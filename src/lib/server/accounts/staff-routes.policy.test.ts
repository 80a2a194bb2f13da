import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allows, STAFF_POLICIES } from './staff.policy';
import { ROLES } from './roles';

const STAFF_ROOT = path.resolve(__dirname, '../../../routes/(staff)');
const SERVER_FILE = /^\+(page|layout)\.server\.ts$|^\+server\.ts$/;

function serverFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverFiles(full);
    return SERVER_FILE.test(entry.name) ? [full] : [];
  });
}

/**
 * What a signed-in server file must do: export its `policy` (one of STAFF_POLICIES), and
 * open EVERY load, action and endpoint (every `async` function in the file) with
 * `await guard(event, …)` as its first statement. Returns what is wrong, or [].
 */
export function policyProblems(source: string): string[] {
  const problems: string[] = [];
  const declared = /export const _policy: StaffPolicy = '([a-z_.]+)';/.exec(source);
  if (!declared) problems.push('no `export const _policy: StaffPolicy = …`');
  else if (!(STAFF_POLICIES as readonly string[]).includes(declared[1]!)) problems.push(`unknown policy ${declared[1]}`);
  const handlers = [...source.matchAll(/export (const|async function) (load|actions|GET|POST|PUT|PATCH|DELETE)\b/g)];
  if (handlers.length === 0) problems.push('no load, actions or endpoint: nothing to guard?');
  const asyncFunctions = source.match(/\basync\b/g)?.length ?? 0;
  const guarded = source.match(/async \(event\) => \{\s*const who = await guard\(event, (_policy|'[a-z_.]+')\);/g)?.length ?? 0;
  // Helper functions (not handlers) must not be async, so that every async function counts.
  if (asyncFunctions !== guarded) problems.push(`${asyncFunctions - guarded} async function(s) do not start with \`const who = await guard(event, …)\``);
  return problems;
}

describe('every signed-in route declares its policy', () => {
  const files = serverFiles(STAFF_ROOT);
  it('finds the staff routes', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });
  it.each(files.map((f) => [path.relative(STAFF_ROOT, f), f]))('%s', (_name, file) => {
    expect(policyProblems(fs.readFileSync(file, 'utf8'))).toEqual([]);
  });
  it('the walker catches a missing policy, an unguarded action and an async helper', () => {
    const good = `export const _policy: StaffPolicy = 'signed_in';\nexport const load = async (event) => {\n  const who = await guard(event, _policy);\n};`;
    expect(policyProblems(good)).toEqual([]);
    expect(policyProblems(good.replace("export const _policy: StaffPolicy = 'signed_in';", ''))).toHaveLength(1);
    expect(policyProblems(`${good}\nexport const actions = { x: async (event) => { return 1; } };`)).toHaveLength(1);
    expect(policyProblems(`${good}\nasync function helper() {}`)).toHaveLength(1);
    expect(policyProblems(good.replace("'signed_in'", "'everyone'"))).toHaveLength(1);
  });
});

describe('staff policies', () => {
  it('only admins manage accounts; every role may see itself', () => {
    for (const role of ROLES) {
      expect(allows(role, 'signed_in')).toBe(true);
      expect(allows(role, 'accounts.manage')).toBe(role === 'admin');
      expect(allows(role, 'accounts.change_role')).toBe(role === 'admin');
      expect(allows(role, 'sessions.end_any')).toBe(role === 'admin');
      expect(allows(role, 'audit.read')).toBe(role === 'admin');
    }
  });
  it('lets admins, coordinators, social workers and peer helpers edit the directory; refuses lawyers, members and observers', () => {
    const editors = ROLES.filter((role) => allows(role, 'directory.edit'));
    expect(editors).toEqual(['admin', 'coordinator', 'social_worker', 'peer_helper']);
    for (const role of ['lawyer', 'member', 'observer'] as const) expect(allows(role, 'directory.edit')).toBe(false);
  });
  it('refuses an unknown role and an unknown policy (default deny)', () => {
    expect(allows('root' as never, 'directory.edit')).toBe(false);
    expect(allows('admin', 'directory.publish' as never)).toBe(false);
  });
});
