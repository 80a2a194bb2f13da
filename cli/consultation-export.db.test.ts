import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture, cliSandbox } from '../tests/support/cli';
import type { Kysely } from 'kysely';
import { strFromU8, unzipSync } from 'fflate';
import { openTestDatabase, testDialects, type TestDatabase } from '../tests/support/databases';
import { insertContribution, seedConsultation } from '../tests/support/deliberation';
import { ensureMasterKey, readMasterKey } from '../src/lib/server/crypto/master-key';
import { createOrganization } from '../src/lib/server/accounts/organization.service';
import type { Database } from '../src/lib/server/db/schema';
import { inTenant } from '../src/lib/server/db/tenant';
import { main } from './main';

describe.each(testDialects())('relais consultation export on %s', (dialect) => {
  let testDb: TestDatabase;
  let dir: string;
  cliSandbox(
    dialect,
    (db, d) => {
      testDb = db;
      dir = d;
    }
  );
  async function run(...argv: string[]) {
    const io = capture();
    const code = await main(argv, io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  }

  async function seed() {
    ensureMasterKey(process.env.RELAIS_MASTER_KEY_FILE!);
    const masterKey = readMasterKey(process.env.RELAIS_MASTER_KEY_FILE!);
    const handle = await openTestDatabase(testDb);
    try {
      const db = handle.db as Kysely<Database>;
      const org = await createOrganization(db, masterKey, { name: 'Mist', actor: { id: 'cli' } });
      const seeded = await seedConsultation(db, org.id, 'cli');
      await insertContribution(db, masterKey, org.id, seeded.consultationId, { text: 'We need housing.', language: 'en' });
      await inTenant(db, org.id, async (trx) => {
        await trx.insertInto('theme').values({ id: 'theme-1', organization_id: org.id, consultation_id: seeded.consultationId, title: 'Unfavourable migration policy', summary: null, position: 1, status: 'confirmed', merged_into: null, origin: 'facilitator', created_by: 'cli', created_at: '2024-01-15T00:00:00Z' }).execute();
        await trx.insertInto('question_theme').values({ organization_id: org.id, question_id: seeded.questionIds[2], theme_id: 'theme-1' }).execute();
        await trx.insertInto('recommendation').values({ id: 'rec-1', organization_id: org.id, consultation_id: seeded.consultationId, theme_id: 'theme-1', position: 1, status: 'adopted', current_version: 1, adopted_at: '2024-01-20T00:00:00Z', created_by: 'cli', created_at: '2024-01-15T00:00:00Z' }).execute();
        await trx.insertInto('recommendation_version').values({ organization_id: org.id, recommendation_id: 'rec-1', version: 1, text: 'Open enough emergency accommodation.', note: null, changed_by: 'cli', changed_at: '2024-01-15T00:00:00Z' }).execute();
        await trx.insertInto('statement').values({ id: 'st-1', organization_id: org.id, consultation_id: seeded.consultationId, theme_id: 'theme-1', text: 'Not enough housing.', language: 'en', proposed_by: 'facilitator', status: 'open', created_on: '2024-01-15' }).execute();
        await trx.insertInto('statement_vote').values({ organization_id: org.id, statement_id: 'st-1', voter_tag: 'a'.repeat(64), vote: 'agree', group_language: 'en', group_workshop: null, voted_on: '2024-01-16' }).execute();
      });
      return seeded.consultationId;
    } finally {
      await handle.close();
    }
  }

  it('writes a DOCX with the chosen questions, the theme and the adopted recommendation', async () => {
    const id = await seed();
    const out = path.join(dir, 'out', 'submission.docx');
    const result = await run('consultation', 'export', id, '--format', 'docx', '--out', out, '--json');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ ok: true, consultationId: id, format: 'docx', files: [out], questions: 3, themes: 1, recommendations: 1 });
    const xml = strFromU8(unzipSync(new Uint8Array(fs.readFileSync(out)))['word/document.xml']!).replace(/<[^>]+>/g, ' ');
    expect(xml).toContain('15. What recommendations');
    expect(xml).toContain('Unfavourable migration policy');
    expect(xml).toContain('Open enough emergency accommodation.');
    expect(xml.indexOf('13. What are')).toBeLessThan(xml.indexOf('15. What recommendations'));
  });

  it('writes the statements and votes as Pol.is CSV, next to each other or in a folder', async () => {
    const id = await seed();
    const file = path.join(dir, 'export.csv');
    expect((await run('consultation', 'export', id, '--format', 'csv', '--out', file)).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8').split('\n')[0]).toBe('timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body');
    expect(fs.readFileSync(path.join(dir, 'export-votes.csv'), 'utf8')).toContain(',0,0,1');
    const folder = path.join(dir, 'polis');
    expect((await run('consultation', 'export', id, '--format', 'csv', '--out', folder)).code).toBe(0);
    expect(fs.readdirSync(folder).sort()).toEqual(['comments.csv', 'votes.csv']);
  });

  it('refuses bad usage and an unknown consultation', async () => {
    await seed();
    expect((await run('consultation', 'export', '--format', 'docx', '--out', 'x')).code).toBe(2);
    expect((await run('consultation', 'export', 'abc', '--format', 'pdf', '--out', 'x')).code).toBe(2);
    expect((await run('consultation', 'export', 'abc', '--format', 'docx')).code).toBe(2);
    const missing = await run('consultation', 'export', 'no-such-id', '--format', 'docx', '--out', path.join(dir, 'x.docx'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no consultation no-such-id');
  });
});
