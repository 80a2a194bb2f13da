/**
 * The audit page's filters, read once from its address: a person (account id), a record
 * (kind and/or id), a time range (days, French time, both included) and the page. Bad
 * input gives problems to show, never an error.
 */
import { addParisDays, fromParis, parseDateKey } from '../../time/paris-time';

const ID = /^[A-Za-z0-9_.:-]{1,80}$/;

export interface AuditQueryValues {
  actor: string;
  kind: string;
  record: string;
  from: string;
  to: string;
}

export type AuditQueryField = keyof AuditQueryValues;

export interface AuditQuery {
  values: AuditQueryValues;
  problems: Array<{ field: AuditQueryField; key: string }>;
  filter: { actorId?: string; targetKind?: string; targetId?: string; from?: string; to?: string; beforeSeq?: number };
}

function startOfParisDay(dateKey: string): string {
  const d = parseDateKey(dateKey)!;
  return fromParis({ ...d, hour: 0, minute: 0 }).toISOString();
}

export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const get = (name: string) => (params.get(name) ?? '').trim().slice(0, 100);
  const values: AuditQueryValues = { actor: get('actor'), kind: get('kind'), record: get('record'), from: get('from'), to: get('to') };
  const problems: AuditQuery['problems'] = [];
  const filter: AuditQuery['filter'] = {};
  for (const [field, key] of [['actor', 'actorId'], ['kind', 'targetKind'], ['record', 'targetId']] as const) {
    if (!values[field]) continue;
    if (ID.test(values[field])) filter[key] = values[field];
    else problems.push({ field, key: 'security.audit.problem_id' });
  }
  if (values.from) {
    if (parseDateKey(values.from)) filter.from = startOfParisDay(values.from);
    else problems.push({ field: 'from', key: 'security.audit.problem_date' });
  }
  if (values.to) {
    // "to" names a day, included: the range ends at the start of the next day.
    if (parseDateKey(values.to)) filter.to = startOfParisDay(addParisDays(values.to, 1));
    else problems.push({ field: 'to', key: 'security.audit.problem_date' });
  }
  if (filter.from && filter.to && filter.from >= filter.to) problems.push({ field: 'to', key: 'security.audit.problem_range' });
  const before = get('before');
  if (/^[1-9]\d{0,12}$/.test(before)) filter.beforeSeq = Number(before);
  return { values, problems, filter };
}

/** The page's address with these filters (and a page), for links. */
export function auditQueryString(values: AuditQueryValues, beforeSeq?: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  if (beforeSeq !== undefined) params.set('before', String(beforeSeq));
  const text = params.toString();
  return text ? `?${text}` : '';
}
