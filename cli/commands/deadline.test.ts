import { describe, expect, it } from 'vitest';
import { main } from '../main';
import type { Io } from '../command';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr };
}

describe('relais deadline', () => {
  it('gives the JSON answer: Friday 23:10 in a detention centre → Sunday 23:10', async () => {
    const { code, out, err } = await run('deadline', 'oqtf', '--notified', '2026-11-27T23:10', '--custody', 'retention', '--json');
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const a = JSON.parse(out);
    expect(a.procedure).toBe('oqtf');
    expect(a.rule).toMatchObject({ id: 'oqtf-retention-2024', in_force_from: '2024-07-15', in_force_to: null, confidence: 'high' });
    expect(Object.keys(a.rule)).toEqual(expect.arrayContaining(['legal_basis', 'last_checked']));
    expect(a.notified).toBe('2026-11-27T23:10:00+01:00');
    expect(a.deadline).toBe('2026-11-29T23:10:00+01:00');
    expect(a.counting).toMatchObject({ method: 'hours', amount: 48 });
    expect(a.disputed).toBe(false);
    expect(a.alternatives).toEqual([]);
    expect(a.steps[0]).toEqual({ key: expect.stringMatching(/^deadlines\.step\./), text: expect.any(String) });
    expect(a.sources.length).toBeGreaterThan(0);
    expect(Array.isArray(a.warnings)).toBe(true);
  });

  it('speaks the language asked for', async () => {
    const { code, out } = await run('deadline', 'oqtf', '--notified', '2026-11-27T23:10+01:00', '--custody', 'retention', '--lang', 'en', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out).deadline_text).toBe('Sunday, 29 November 2026 at 23:10');
  });

  it('shows a few clear lines without --json', async () => {
    const { code, out } = await run('deadline', 'oqtf', '--notified', '2026-11-27T23:10', '--custody', 'assigned', '--lang', 'en');
    expect(code).toBe(0);
    expect(out).toMatch(/The last moment to act: Friday, 4 December 2026 at 23:10/);
    expect(out).toMatch(/^1\. /m);
  });

  it('asks about days to leave for an older paper', async () => {
    const { code, out } = await run('deadline', 'oqtf', '--notified', '2023-03-01T10:00', '--custody', 'free', '--departure-period', 'none', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out).rule.id).toBe('oqtf-free-no-departure-2021');
  });

  it.each([
    [['deadline', 'oqtf', '--notified', '2026-02-30T10:00', '--custody', 'retention'], /invalid_date: --notified/],
    [['deadline', 'visa', '--notified', '2026-02-20T10:00'], /unknown_procedure: .*oqtf, retention-placement/],
    [['deadline', 'oqtf', '--notified', '2026-02-20T10:00'], /missing_fact: --custody/],
    [['deadline', 'oqtf', '--notified', '2026-02-20T10:00', '--custody', 'home'], /invalid_fact: --custody.*free, assigned/],
    [['deadline', 'oqtf', '--notified', '2023-03-01T10:00', '--custody', 'free'], /missing_fact: --departure-period/],
    [['deadline', 'oqtf', '--custody', 'free'], /--notified .* is missing/],
    [['deadline', '--notified', '2026-02-20T10:00'], /give a procedure/],
    [['deadline', 'cnda', '--notified', '2026-02-20T10:00', '--lang', 'de'], /--lang "de"/],
    [['deadline', 'cnda', '--notified', '2026-02-20T10:00', '--when', 'now'], /--when/]
  ])('exits 2 with one line naming the problem: %j', async (argv, message) => {
    const { code, out, err } = await run(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(err[0]).not.toMatch(/\n|\bat .*\.ts:\d+/);
  });

  it('lists procedures and rule versions with --list --json', async () => {
    const { code, out } = await run('deadline', '--list', '--json');
    expect(code).toBe(0);
    const { procedures } = JSON.parse(out);
    expect(procedures.map((p: { procedure: string }) => p.procedure)).toEqual(['oqtf', 'retention-placement', 'cnda', 'reflection-period', 'civi']);
    const oqtf = procedures[0];
    expect(oqtf.versions.find((v: { id: string }) => v.id === 'oqtf-retention-2024')).toMatchObject({
      in_force_from: '2024-07-15',
      in_force_to: null,
      applies_to: { custody: ['retention'] },
      counting: { method: 'hours', amount: 48 }
    });
  });

  it('lists in plain lines without --json, and has its own --help', async () => {
    expect((await run('deadline', '--list')).out).toMatch(/oqtf-retention-2024/);
    const help = await run('deadline', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Usage: relais deadline <procedure> --notified/);
  });
});
