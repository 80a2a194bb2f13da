import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Dependencies point one way: route → server → pure domain. The pure modules also run in
// the browser and the service worker, so they may import neither server code nor Node.
const pureAreas = ['deadlines', 'directory', 'guide', 'time', 'i18n', 'accompaniment', 'participation'];
const root = path.resolve(import.meta.dirname);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|svelte)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n]*from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('the direction of dependencies', () => {
  for (const area of pureAreas) {
    it(`src/lib/${area} is pure: no server code, no Node module, no SvelteKit runtime`, () => {
      const offenders: string[] = [];
      for (const file of sourceFiles(path.join(root, area))) {
        for (const spec of importsOf(file)) {
          const resolved = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : spec;
          if (resolved.startsWith(path.join(root, 'server')) || spec.startsWith('$lib/server') || spec.startsWith('node:') || spec.startsWith('$app') || spec.startsWith('$env')) {
            offenders.push(`${path.relative(root, file)} imports ${spec}`);
          }
        }
      }
      expect(offenders).toEqual([]);
    });
  }

  it('server code never imports a route', () => {
    const offenders = sourceFiles(path.join(root, 'server')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.includes('/routes/') || spec.startsWith('$app'))
        .map((spec) => `${path.relative(root, file)} imports ${spec}`)
    );
    expect(offenders).toEqual([]);
  });
});
