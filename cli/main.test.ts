import { describe, expect, it } from 'vitest';
import { main } from './main';
import type { Io } from './command';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

describe('relais command line', () => {
  it('lists its commands with --help and exits 0', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/serve[\s\S]*migrate[\s\S]*doctor/);
  });
  it('exits 2 with a one-line message on an unknown command', async () => {
    const io = capture();
    expect(await main(['fly'], io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/unknown command "fly"/);
  });
  it('exits 2 on an unknown option, without a stack trace', async () => {
    const io = capture();
    expect(await main(['migrate', '--frobnicate'], io)).toBe(2);
    expect(io.stderr.join('')).not.toMatch(/\bat .*\.ts:\d+/);
  });
  it('gives every command its own --help', async () => {
    for (const name of ['serve', 'migrate', 'doctor']) {
      const io = capture();
      expect(await main([name, '--help'], io)).toBe(0);
      expect(io.stdout.join('')).toMatch(new RegExp(`Usage: relais ${name}`));
    }
  });
});
