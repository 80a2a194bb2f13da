/**
 * "No personal data in any log line during the whole test suite" (issue 5). Every e2e test
 * that seeds a secret (an email, a password, a TOTP secret, a token, a recovery code, a
 * name, a session cookie) registers it here; when the e2e run ends, global-setup.ts reads
 * the server's whole log and fails the run if any of them appears in it, in clear, in
 * lower case or URL-encoded.
 */
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'e2e-secrets.jsonl';

export interface Secret {
  label: string;
  value: string;
}

/** Adds secrets to the list checked at the end of the run (values under 6 characters are too common to check). */
export function registerSecrets(dataDir: string, secrets: Record<string, string | string[] | undefined>): void {
  const lines: string[] = [];
  for (const [label, value] of Object.entries(secrets)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v && v.length >= 6) lines.push(JSON.stringify({ label, value: v }));
  }
  if (lines.length) fs.appendFileSync(path.join(dataDir, FILE), lines.join('\n') + '\n');
}

export function readSecrets(dataDir: string): Secret[] {
  const file = path.join(dataDir, FILE);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Secret);
}

/** The labels of the secrets that appear in the log (never the secrets themselves: the report is printed). */
export function leakedSecrets(log: string, secrets: Secret[]): string[] {
  const haystack = log.toLowerCase();
  const leaked = new Set<string>();
  for (const { label, value } of secrets) {
    const forms = new Set([value, encodeURIComponent(value), value.replace(/ /g, '+'), encodeURIComponent(value).replace(/%20/g, '+')].map((f) => f.toLowerCase()));
    if ([...forms].some((form) => haystack.includes(form))) leaked.add(label);
  }
  return [...leaked].sort();
}
