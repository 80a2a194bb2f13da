/**
 * HSDS 3.0 tabular form: a folder with datapackage.json and one CSV file per table
 * (organizations, services, locations, service_at_locations, addresses, phones,
 * schedules, languages, attributes, taxonomy_terms) plus `x_relais_services.csv`
 * and `x_relais_locations.csv` for what HSDS lacks (see hsds.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HsdsService } from './hsds';

type Row = Record<string, string | number | null | undefined>;

const TABLES: Record<string, string[]> = {
  organizations: ['id', 'name', 'description', 'website', 'email'],
  services: ['id', 'organization_id', 'name', 'alternate_name', 'description', 'url', 'email', 'status', 'eligibility_description', 'fees_description', 'assured_date', 'assurer_email', 'alert', 'last_modified'],
  locations: ['id', 'location_type', 'name', 'description', 'transportation', 'latitude', 'longitude', 'external_identifier', 'external_identifier_type'],
  service_at_locations: ['id', 'service_id', 'location_id'],
  addresses: ['id', 'location_id', 'address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
  phones: ['id', 'service_id', 'location_id', 'number', 'type', 'description'],
  schedules: ['id', 'service_id', 'location_id', 'service_at_location_id', 'valid_from', 'valid_to', 'dtstart', 'timezone', 'until', 'count', 'wkst', 'freq', 'interval', 'byday', 'byweekno', 'bymonthday', 'byyearday', 'description', 'opens_at', 'closes_at', 'schedule_link', 'attending_type', 'notes'],
  languages: ['id', 'service_id', 'name', 'code'],
  attributes: ['id', 'link_id', 'link_type', 'link_entity', 'value', 'taxonomy_term_id'],
  taxonomy_terms: ['id', 'code', 'name', 'taxonomy'],
  x_relais_services: ['service_id', 'json'],
  x_relais_locations: ['location_id', 'redacted']
};
const NUMERIC = new Set(['latitude', 'longitude', 'timezone', 'count', 'interval']);

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(columns: string[], rows: Row[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** RFC 4180 CSV → rows keyed by the header; an empty cell is null. Throws on a broken quote. */
export function parseCsv(text: string): Array<Record<string, string | null>> {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
    i++;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  const [header, ...body] = records;
  if (!header) return [];
  return body
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] === undefined || r[j] === '' ? null : r[j]!])));
}

/** Writes services as an HSDS datapackage folder. */
export function writeDatapackage(folder: string, services: HsdsService[]): void {
  fs.mkdirSync(folder, { recursive: true });
  const rows: Record<string, Row[]> = Object.fromEntries(Object.keys(TABLES).map((t) => [t, []]));
  const orgs = new Set<string>();
  const terms = new Set<string>();
  for (const s of services) {
    if (s.organization && !orgs.has(s.organization.id)) {
      orgs.add(s.organization.id);
      rows.organizations!.push({ ...s.organization });
    }
    rows.services!.push(s as unknown as Row);
    for (const p of s.phones ?? []) rows.phones!.push({ ...p, service_id: s.id });
    for (const sc of s.schedules ?? []) rows.schedules!.push(sc as unknown as Row);
    for (const l of s.languages ?? []) rows.languages!.push({ ...l, service_id: s.id });
    for (const a of s.attributes ?? []) {
      rows.attributes!.push({ ...a, taxonomy_term_id: a.taxonomy_term?.id ?? null } as unknown as Row);
      if (a.taxonomy_term && !terms.has(a.taxonomy_term.id)) {
        terms.add(a.taxonomy_term.id);
        rows.taxonomy_terms!.push(a.taxonomy_term as unknown as Row);
      }
    }
    for (const sal of s.service_at_locations ?? []) {
      rows.service_at_locations!.push({ id: sal.id, service_id: s.id, location_id: sal.location_id ?? sal.location?.id ?? null });
      const loc = sal.location;
      if (!loc) continue;
      rows.locations!.push(loc as unknown as Row);
      for (const a of loc.addresses ?? []) rows.addresses!.push({ ...a, location_id: loc.id });
      for (const p of loc.phones ?? []) rows.phones!.push({ ...p, location_id: loc.id });
      if (loc.x_relais?.redacted) rows.x_relais_locations!.push({ location_id: loc.id, redacted: 'true' });
    }
    if (s.x_relais) rows.x_relais_services!.push({ service_id: s.id, json: JSON.stringify(s.x_relais) });
  }
  const resources = Object.entries(TABLES).map(([name, columns]) => {
    fs.writeFileSync(path.join(folder, `${name}.csv`), toCsv(columns, rows[name]!));
    return {
      name,
      path: `${name}.csv`,
      profile: 'tabular-data-resource',
      schema: { fields: columns.map((c) => ({ name: c, type: NUMERIC.has(c) ? 'number' : 'string' })) }
    };
  });
  fs.writeFileSync(
    path.join(folder, 'datapackage.json'),
    JSON.stringify({ name: 'relais-directory', profile: 'tabular-data-package', hsds_version: '3.0', created: new Date().toISOString(), resources }, null, 1) + '\n'
  );
}

/** Reads an HSDS datapackage (folder or its datapackage.json) back to nested service objects. */
export function readDatapackage(target: string): unknown[] {
  const folder = fs.statSync(target).isDirectory() ? target : path.dirname(target);
  if (!fs.existsSync(path.join(folder, 'datapackage.json'))) throw new Error('no datapackage.json in that folder');
  const read = (name: string): Array<Record<string, unknown>> => {
    const file = path.join(folder, `${name}.csv`);
    if (!fs.existsSync(file)) return [];
    let rows: Array<Record<string, string | null>>;
    try {
      rows = parseCsv(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${name}.csv: ${(error as Error).message}`);
    }
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v !== null && NUMERIC.has(k) && Number.isFinite(Number(v)) ? Number(v) : v])));
  };
  const by = <T extends Record<string, unknown>>(rows: T[], key: string) => {
    const map = new Map<string, T[]>();
    for (const r of rows) {
      const k = r[key];
      if (typeof k !== 'string') continue;
      map.set(k, [...(map.get(k) ?? []), r]);
    }
    return map;
  };
  const orgs = new Map(read('organizations').map((o) => [o.id as string, o]));
  const locations = new Map(read('locations').map((l) => [l.id as string, l]));
  const addresses = by(read('addresses'), 'location_id');
  const phones = read('phones');
  const servicePhones = by(phones.filter((p) => p.service_id), 'service_id');
  const locationPhones = by(phones.filter((p) => !p.service_id && p.location_id), 'location_id');
  const schedules = by(read('schedules'), 'service_id');
  const languages = by(read('languages'), 'service_id');
  const terms = new Map(read('taxonomy_terms').map((t) => [t.id as string, t]));
  const attributes = by(read('attributes'), 'link_id');
  const sal = by(read('service_at_locations'), 'service_id');
  const extensions = new Map(read('x_relais_services').map((x) => [x.service_id as string, x.json as string]));
  const redacted = new Set(read('x_relais_locations').filter((x) => x.redacted === 'true').map((x) => x.location_id as string));
  return read('services').map((s, index) => {
    const id = s.id as string;
    let x: unknown;
    const json = extensions.get(id);
    if (json) {
      try {
        x = JSON.parse(json);
      } catch {
        throw new Error(`x_relais_services.csv: the row of service ${id} (record #${index + 1}) is not valid JSON`);
      }
    }
    return {
      ...s,
      organization: orgs.get(s.organization_id as string) ?? null,
      phones: servicePhones.get(id) ?? [],
      schedules: schedules.get(id) ?? [],
      languages: languages.get(id) ?? [],
      attributes: (attributes.get(id) ?? []).map((a) => ({ ...a, taxonomy_term: terms.get(a.taxonomy_term_id as string) ?? null })),
      service_at_locations: (sal.get(id) ?? []).map((link) => {
        const loc = locations.get(link.location_id as string);
        return {
          ...link,
          location: loc
            ? { ...loc, addresses: addresses.get(loc.id as string) ?? [], phones: locationPhones.get(loc.id as string) ?? [], ...(redacted.has(loc.id as string) ? { x_relais: { redacted: true } } : {}) }
            : null
        };
      }),
      ...(x === undefined ? {} : { x_relais: x })
    };
  });
}
