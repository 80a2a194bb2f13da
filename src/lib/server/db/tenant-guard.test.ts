import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = [path.resolve(__dirname, '../..'), path.resolve(__dirname, '../../../routes'), path.resolve(__dirname, '../../../../cli')];
// Only schema work may drop the tenant guard: migrations (connect.ts) and grants (roles.ts).
// cli/commands/cases.ts: VACUUM of the case tables as the owner after a purge (maintenance:
// it reads and writes no row, and the guard refuses any raw SQL naming a tenant table).
const ALLOWED = ['src/lib/server/db/connect.ts', 'src/lib/server/db/roles.ts', 'cli/commands/cases.ts'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.(ts|svelte)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [full] : [];
  });
}

describe('the tenant guard', () => {
  it('is removed (withoutPlugins) nowhere but in migrations and grants', () => {
    const repo = path.resolve(__dirname, '../../../..');
    const offenders = ROOTS.flatMap(sources)
      .filter((file) => fs.readFileSync(file, 'utf8').includes('withoutPlugins('))
      .map((file) => path.relative(repo, file))
      .filter((file) => !ALLOWED.includes(file));
    expect(offenders).toEqual([]);
  });
});
