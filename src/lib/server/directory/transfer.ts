/**
 * Import and export of the directory: HSDS 3.0 JSON, HSDS 3.0 datapackage (a folder
 * of CSV files with datapackage.json) and data·inclusion services (import only).
 * Import validates every record first and reports each error with its record and
 * field; then writes everything in one transaction, or nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { DirectoryService, RecordIssue } from './model';
import { fromHsdsService, toHsdsService, type HsdsService } from './hsds';
import { fromDataInclusionService } from './data-inclusion';
import { findServicesByIds, refreshDirectoryStatistics, saveServices, type SaveResult } from './repository';
import { readDatapackage, writeDatapackage } from './datapackage';

export const importFormats = ['hsds-json', 'hsds-datapackage', 'data-inclusion'] as const;
export type ImportFormat = (typeof importFormats)[number];
export const exportFormats = ['hsds-json', 'hsds-datapackage'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ParsedImport {
  services: DirectoryService[];
  /** ids whose location came redacted: a stored confidential address is kept */
  redacted: Set<string>;
  issues: RecordIssue[];
}

function recordsOf(json: unknown): unknown[] | null {
  if (Array.isArray(json)) return json;
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    for (const key of ['services', 'contents', 'data', 'items']) if (Array.isArray(o[key])) return o[key] as unknown[];
  }
  return null;
}

/** Reads and validates a file (or a datapackage folder); never writes. */
export function parseImport(file: string, format: ImportFormat): ParsedImport {
  const issues: RecordIssue[] = [];
  let records: unknown[];
  try {
    if (format === 'hsds-datapackage') records = readDatapackage(file);
    else {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      const found = recordsOf(json);
      if (!found) return { services: [], redacted: new Set(), issues: [{ record: '(file)', field: '(root)', code: 'invalid_type', message: 'expected a list of services, or an object with "services" or "contents"' }] };
      records = found;
    }
  } catch (error) {
    const message = error instanceof SyntaxError ? `not valid JSON: ${error.message}` : (error as Error).message;
    return { services: [], redacted: new Set(), issues: [{ record: '(file)', field: '(file)', code: 'unreadable', message }] };
  }
  const services: DirectoryService[] = [];
  const redacted = new Set<string>();
  const seen = new Map<string, number>();
  records.forEach((record, index) => {
    const label = `#${index + 1}`;
    const result = format === 'data-inclusion' ? fromDataInclusionService(record, label) : fromHsdsService(record, label);
    if (!result.ok) {
      issues.push(...result.issues);
      return;
    }
    const previous = seen.get(result.value.id);
    if (previous !== undefined) {
      issues.push({ record: `${label} (${result.value.id})`, field: 'id', code: 'duplicate_id', message: `the same id as record #${previous + 1}` });
      return;
    }
    seen.set(result.value.id, index);
    if ('redacted' in result && result.redacted) redacted.add(result.value.id);
    services.push(result.value);
  });
  return { services, redacted, issues };
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  results: SaveResult[];
}

/**
 * Writes validated records in one transaction (all or nothing). Same ids update.
 * A redacted location never wipes a stored confidential address.
 */
export async function importServices(
  db: Kysely<Database>,
  parsed: ParsedImport,
  options: { actor: string; onProgress?: (done: number, total: number) => void; chunk?: number }
): Promise<ImportReport> {
  if (parsed.issues.length > 0) throw new Error('refusing to import a file with errors');
  const chunk = options.chunk ?? 200;
  const results = await db.transaction().execute(async (trx) => {
    const all: SaveResult[] = [];
    for (let i = 0; i < parsed.services.length; i += chunk) {
      let batch = parsed.services.slice(i, i + chunk);
      const redactedIds = batch.filter((s) => parsed.redacted.has(s.id)).map((s) => s.id);
      if (redactedIds.length) {
        const stored = new Map((await findServicesByIds(trx, redactedIds)).map((s) => [s.id, s]));
        batch = batch.map((s) => {
          const before = stored.get(s.id)?.location;
          if (!s.location || !before || !before.confidential || before.id !== s.location.id) return s;
          return { ...s, location: { ...before, ...s.location, ...pickDefined(before, ['name', 'address', 'postalCode', 'latitude', 'longitude']), confidential: true } };
        });
      }
      all.push(...(await saveServices(trx, batch, { actor: options.actor, action: 'import' })));
      options.onProgress?.(Math.min(i + chunk, parsed.services.length), parsed.services.length);
    }
    return all;
  });
  // A large import changes the numbers the planner goes by: refresh them (not for a few rows).
  if (results.length >= 1000 && !db.isTransaction) await refreshDirectoryStatistics(db);
  return {
    created: results.filter((r) => r.outcome === 'created').length,
    updated: results.filter((r) => r.outcome === 'updated').length,
    unchanged: results.filter((r) => r.outcome === 'unchanged').length,
    results
  };
}

function pickDefined<T extends object>(source: T, keys: Array<keyof T>): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

/** Every service as HSDS 3.0, ordered by id (confidential addresses redacted). */
export async function exportHsdsServices(db: Kysely<Database>): Promise<HsdsService[]> {
  const ids = (await db.selectFrom('directory_service').select('id').orderBy('id').execute()).map((r) => r.id);
  const out: HsdsService[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    for (const s of await findServicesByIds(db, ids.slice(i, i + 500))) out.push(toHsdsService(s));
  }
  return out;
}

/** Writes the export; returns how many services. */
export async function exportToPath(db: Kysely<Database>, format: ExportFormat, out: string): Promise<number> {
  const services = await exportHsdsServices(db);
  if (format === 'hsds-json') {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(services, null, 1) + '\n');
  } else writeDatapackage(out, services);
  return services.length;
}
