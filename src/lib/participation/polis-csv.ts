/**
 * Pol.is-compatible CSV of statements and votes (issue 7; anchors §10 Pol.is 5: "Interoperable
 * export in the Pol.is CSV set … with the sign convention documented"), so an association can
 * take its data to another tool. Pure.
 *
 * The two files follow Pol.is's report export (server `handle_GET_reportExport`):
 * - comments.csv: `timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body`
 * - votes.csv:    `timestamp,datetime,comment-id,voter-id,vote`
 * Conventions:
 * - vote: agree = 1, disagree = -1, unsure (Pol.is "pass") = 0 — the sign of Pol.is's EXPORT
 *   (its database stores agree as -1 and flips it on export, compdemocracy/polis#2554).
 * - comment-id: 0, 1, 2 … in the statements' order (date, then id); voter-id: 0, 1, 2 … in the
 *   order of each voter's first vote (date, then voter tag). Opaque numbers: neither is a
 *   Relais id, and a voter-id names no account.
 * - author-id: -1 for every statement. Relais never records which member proposed a statement
 *   (only "facilitator" or "member"), so there is no author to give.
 * - moderated: 1 open or closed (votes were taken), -1 removed.
 * - timestamp: seconds since 1970 at 00:00 UTC of the day (Relais keeps days, not instants);
 *   datetime: the same moment written as JavaScript's Date.toString() in UTC, as Pol.is does.
 * These files are raw data for the association's own use, with every vote: they are not a
 * publication (the small-count rule applies to what pages and the submission show).
 */

export interface CsvStatement {
  id: string;
  text: string;
  /** open | closed | removed */
  status: string;
  createdOn: string;
}

export interface CsvVote {
  statementId: string;
  voterTag: string;
  /** agree | disagree | unsure */
  vote: string;
  votedOn: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dayMoment(day: string): { timestamp: number; datetime: string } {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return { timestamp: 0, datetime: '' };
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    timestamp: Math.floor(d.getTime() / 1000),
    datetime: `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${d.getUTCFullYear()} 00:00:00 GMT+0000 (Coordinated Universal Time)`
  };
}

/** One CSV field: quoted when needed; a text that a spreadsheet would run as a formula is defused. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (fields: Array<string | number>) => fields.map(csvField).join(',');

const byDayThenId = <T>(day: (x: T) => string, id: (x: T) => string) => (a: T, b: T) =>
  day(a) < day(b) ? -1 : day(a) > day(b) ? 1 : id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0;

/** comment-id of each statement: its position in date-then-id order. */
export function commentIds(statements: readonly CsvStatement[]): Map<string, number> {
  const sorted = [...statements].sort(byDayThenId((s) => s.createdOn, (s) => s.id));
  return new Map(sorted.map((s, i) => [s.id, i]));
}

/** voter-id of each voter tag: the order of her first vote. */
export function voterIds(votes: readonly CsvVote[]): Map<string, number> {
  const first = new Map<string, string>();
  for (const v of votes) {
    const seen = first.get(v.voterTag);
    if (seen === undefined || v.votedOn < seen) first.set(v.voterTag, v.votedOn);
  }
  const sorted = [...first].sort(byDayThenId(([, day]) => day, ([tag]) => tag));
  return new Map(sorted.map(([tag], i) => [tag, i]));
}

const VOTE_VALUE: Record<string, number> = { agree: 1, disagree: -1, unsure: 0 };

/** comments.csv. */
export function statementsCsv(statements: readonly CsvStatement[], votes: readonly CsvVote[]): string {
  const ids = commentIds(statements);
  const lines = [row(['timestamp', 'datetime', 'comment-id', 'author-id', 'agrees', 'disagrees', 'moderated', 'comment-body'])];
  for (const s of [...statements].sort((a, b) => ids.get(a.id)! - ids.get(b.id)!)) {
    const own = votes.filter((v) => v.statementId === s.id);
    const { timestamp, datetime } = dayMoment(s.createdOn);
    lines.push(
      row([
        timestamp,
        datetime,
        ids.get(s.id)!,
        -1,
        own.filter((v) => v.vote === 'agree').length,
        own.filter((v) => v.vote === 'disagree').length,
        s.status === 'removed' ? -1 : 1,
        s.text
      ])
    );
  }
  return lines.join('\n') + '\n';
}

/** votes.csv: one row per statement and voter (her last vote), by comment-id then voter-id. */
export function votesCsv(statements: readonly CsvStatement[], votes: readonly CsvVote[]): string {
  const ids = commentIds(statements);
  const voters = voterIds(votes);
  const lines = [row(['timestamp', 'datetime', 'comment-id', 'voter-id', 'vote'])];
  const known = votes.filter((v) => ids.has(v.statementId) && v.vote in VOTE_VALUE);
  known.sort((a, b) => ids.get(a.statementId)! - ids.get(b.statementId)! || voters.get(a.voterTag)! - voters.get(b.voterTag)!);
  for (const v of known) {
    const { timestamp, datetime } = dayMoment(v.votedOn);
    lines.push(row([timestamp, datetime, ids.get(v.statementId)!, voters.get(v.voterTag)!, VOTE_VALUE[v.vote]!]));
  }
  return lines.join('\n') + '\n';
}
