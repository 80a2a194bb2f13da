/**
 * The directory's demo content: the real national help lines (FACTS.md §5) and a
 * Paris sample set, every sample entry named as demonstration data.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import national from '../../../../content/directory/national.json';
import sample from '../../../../content/directory/paris-sample.json';
import { validateService, type DirectoryService } from './model';
import { nextParisMorning, postFullNotice, saveServices } from './repository';

/** Validates the shipped files (a test checks them); throws on the first bad record. */
export function demoServices(): { national: DirectoryService[]; sample: DirectoryService[] } {
  const read = (records: unknown[], file: string) =>
    records.map((record, index) => {
      const result = validateService(record, `${file} #${index + 1}`);
      if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.issues)}`);
      return result.value;
    });
  return { national: read(national.services, 'national.json'), sample: read(sample.services, 'paris-sample.json') };
}

/**
 * Saves the national lines and the sample set (same ids update, never duplicate), then
 * gives the sample set its notices relative to `now`: the evening psychological support
 * closed for works for three weeks, the night shelter full tonight.
 */
export async function loadDirectoryDemo(db: Kysely<Database>, now = new Date()): Promise<string> {
  const { national: lines, sample: samples } = demoServices();
  const closureFrom = new Date(now.getTime() - 86_400_000).toISOString();
  const closureTo = new Date(now.getTime() + 21 * 86_400_000).toISOString();
  const withNotices = samples.map((s) =>
    s.id === 'sample-paris-listening' && s.hours
      ? { ...s, hours: { ...s.hours, closures: [{ from: closureFrom, to: closureTo, reason: 'Travaux / works' }] } }
      : s
  );
  await saveServices(db, [...lines, ...withNotices], { actor: 'demo', action: 'import' });
  await postFullNotice(db, 'sample-paris-night-shelter', { expiresAt: nextParisMorning(now, 9), note: 'Complet ce soir — appelez le 115 / Full tonight — call 115' }, { actor: 'demo', at: now });
  return `directory: ${lines.length} national help lines, ${samples.length} sample services in Paris`;
}
