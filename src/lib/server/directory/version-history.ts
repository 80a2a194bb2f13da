/**
 * The staff history of a service: who (an actor string that names a role and an account
 * id, never an address), when, and each field that changed from what to what, as plain
 * values the page puts into words in her language. Pure.
 */
import { toOsmOpeningHours } from '../../directory/osm-opening-hours';
import type { OpeningHours } from '../../directory/opening-hours';
import { isRole, type Role } from '../accounts/roles';

/** The `actor` written in versions and notices for a signed-in staff member. */
export function staffActor(who: { role: Role; accountId: string }): string {
  return `staff:${who.role}:${who.accountId}`;
}

export type ParsedActor = { kind: 'staff'; role: Role; accountId: string } | { kind: 'other'; label: string };

/** Reads an actor back: a staff member (role and account), or a script ('demo', 'import:<file>', 'cli'). */
export function parseActor(actor: string): ParsedActor {
  const m = /^staff:([a-z_]+):(.+)$/.exec(actor);
  if (m && isRole(m[1])) return { kind: 'staff', role: m[1], accountId: m[2]! };
  return { kind: 'other', label: actor };
}

export type ShownValue = string | boolean | null;

export interface FieldChange {
  /** e.g. ['texts', 'fr', 'name'], ['location', 'address'], ['hours'] */
  path: string[];
  from: ShownValue;
  to: ShownValue;
}

function hoursText(hours: OpeningHours): string {
  const closures = (hours.closures ?? []).map((c) => `${c.from.slice(0, 16).replace('T', ' ')} → ${c.to.slice(0, 16).replace('T', ' ')}${c.reason ? ` (${c.reason})` : ''}`);
  return [toOsmOpeningHours(hours), ...closures].join(' | ');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function leaf(value: unknown): ShownValue {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? null : value.map((x) => (isRecord(x) || Array.isArray(x) ? JSON.stringify(x) : String(x))).join(', ');
  return JSON.stringify(value);
}

/** One top-level field as (JSON of its path) → shown value, split where a person thinks of separate fields. */
function flatten(key: string, value: unknown): Map<string, ShownValue> {
  const out = new Map<string, ShownValue>();
  const set = (path: string[], shown: ShownValue) => out.set(JSON.stringify(path), shown);
  if (value === null || value === undefined) return out;
  if (key === 'hours' && isRecord(value)) set([key], hoursText(value as unknown as OpeningHours));
  else if (key === 'hoursAlternative' && isRecord(value) && isRecord(value.hours)) set([key], `${String(value.source)}: ${hoursText(value.hours as unknown as OpeningHours)}`);
  else if (key === 'texts' && isRecord(value)) {
    for (const [locale, texts] of Object.entries(value)) {
      if (isRecord(texts)) for (const [field, text] of Object.entries(texts)) set([key, locale, field], leaf(text));
    }
  } else if ((key === 'location' || key === 'organization') && isRecord(value)) {
    for (const [field, v] of Object.entries(value)) set([key, field], leaf(v));
  } else if (key === 'phones' && Array.isArray(value)) {
    const phones = value.filter(isRecord).map((p) => `${String(p.display)}${p.kind === 'sms' ? ' (SMS)' : ''}${p.description ? ` — ${String(p.description)}` : ''}`);
    set([key], phones.length ? phones.join('; ') : null);
  } else set([key], leaf(value));
  return out;
}

/** The fields that differ between two versions, in a stable order (as in the record). */
export function describeChanges(changes: Record<string, { from: unknown; to: unknown }>): FieldChange[] {
  const result: FieldChange[] = [];
  for (const [key, { from, to }] of Object.entries(changes)) {
    const before = flatten(key, from);
    const after = flatten(key, to);
    for (const path of new Set([...before.keys(), ...after.keys()])) {
      const a = before.get(path) ?? null;
      const b = after.get(path) ?? null;
      if (a !== b) result.push({ path: JSON.parse(path) as string[], from: a, to: b });
    }
  }
  return result;
}
