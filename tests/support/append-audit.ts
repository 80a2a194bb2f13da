// A second process that appends audit entries, for the concurrency test of the audit log.
// Usage: tsx tests/support/append-audit.ts <database url> <count>
import { appendAudit } from '../../src/lib/server/audit/audit';
import { openDatabase } from '../../src/lib/server/db/connect';

const [url, count] = process.argv.slice(2);
const { db, close } = openDatabase(url!, { poolSize: 4 });
try {
  await Promise.all(Array.from({ length: Number(count) }, () => appendAudit(db, { organizationId: 'org-a', actorId: 'cli', action: 'session.end' })));
} finally {
  await close();
}
