import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { loadDirectoryDemo } from '../directory/demo';

const DEMO_VERSION = '2';

/**
 * Loads the demo content once per database: the sample directory of help services in
 * Paris (clearly marked as sample data) and the real national numbers. Returns a short
 * description of what was loaded, or null when it was already there.
 */
export async function loadDemoContent(db: Kysely<Database>): Promise<string | null> {
  const done = await db.selectFrom('instance_setting').select('value').where('key', '=', 'demo_content').executeTakeFirst();
  if (done?.value === DEMO_VERSION) return null;
  const loaded: string[] = [];
  loaded.push(await loadDirectoryDemo(db));
  await db
    .insertInto('instance_setting')
    .values({ key: 'demo_content', value: DEMO_VERSION, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: DEMO_VERSION, updated_at: new Date().toISOString() }))
    .execute();
  return loaded.length ? loaded.join(', ') : 'nothing to load yet';
}
