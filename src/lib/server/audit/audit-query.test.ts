import { describe, expect, it } from 'vitest';
import { auditQueryString, parseAuditQuery } from './audit-query';

const parse = (query: string) => parseAuditQuery(new URLSearchParams(query));

describe('parseAuditQuery', () => {
  it('reads a person, a record and a range of days in French time, both days included', () => {
    const q = parse('actor=acc-1&kind=person_account&record=abc-2&from=2026-11-01&to=2026-11-30&before=120');
    expect(q.problems).toEqual([]);
    expect(q.filter).toEqual({
      actorId: 'acc-1',
      targetKind: 'person_account',
      targetId: 'abc-2',
      from: '2026-10-31T23:00:00.000Z',
      to: '2026-11-30T23:00:00.000Z',
      beforeSeq: 120
    });
  });
  it('follows summer time', () => {
    expect(parse('from=2026-07-14&to=2026-07-14').filter).toMatchObject({ from: '2026-07-13T22:00:00.000Z', to: '2026-07-14T22:00:00.000Z' });
  });
  it('no filter: everything', () => {
    expect(parse('')).toEqual({ values: { actor: '', kind: '', record: '', from: '', to: '' }, problems: [], filter: {} });
  });
  it('says what is wrong and keeps what she typed: not an id, not a date, a range backwards', () => {
    const q = parse('actor=<script>&from=2026-13-45&to=yesterday');
    expect(q.problems.map((p) => p.field)).toEqual(['actor', 'from', 'to']);
    expect(q.values.actor).toBe('<script>');
    expect(q.filter).toEqual({});
    expect(parse('from=2026-11-30&to=2026-11-01').problems).toEqual([{ field: 'to', key: 'security.audit.problem_range' }]);
  });
  it('ignores a page that is not a position', () => {
    expect(parse('before=-1').filter.beforeSeq).toBeUndefined();
    expect(parse('before=abc').filter.beforeSeq).toBeUndefined();
  });
  it('auditQueryString keeps the filters for the next page', () => {
    const q = parse('actor=acc-1&from=2026-11-01');
    expect(auditQueryString(q.values, 40)).toBe('?actor=acc-1&from=2026-11-01&before=40');
    expect(auditQueryString(parse('').values)).toBe('');
  });
});
