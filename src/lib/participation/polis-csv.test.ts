import { describe, expect, it } from 'vitest';
import { csvField, statementsCsv, votesCsv, type CsvStatement, type CsvVote } from './polis-csv';

const statements: CsvStatement[] = [
  { id: 'st-b', text: 'Survivors must be paid for their work, "not thanked".', status: 'open', createdOn: '2024-01-20' },
  { id: 'st-a', text: 'Not enough emergency accommodation', status: 'open', createdOn: '2024-01-15' },
  { id: 'st-c', text: '=HYPERLINK("x")', status: 'removed', createdOn: '2024-01-20' }
];
const votes: CsvVote[] = [
  { statementId: 'st-a', voterTag: 'ffff', vote: 'agree', votedOn: '2024-01-15' },
  { statementId: 'st-a', voterTag: 'aaaa', vote: 'disagree', votedOn: '2024-01-16' },
  { statementId: 'st-b', voterTag: 'aaaa', vote: 'unsure', votedOn: '2024-01-21' },
  { statementId: 'st-b', voterTag: 'ffff', vote: 'agree', votedOn: '2024-01-21' }
];

describe('statementsCsv', () => {
  it('writes the Pol.is comments.csv header and one row per statement in date order', () => {
    const lines = statementsCsv(statements, votes).trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body');
    expect(lines[1]).toBe('1705276800,Mon Jan 15 2024 00:00:00 GMT+0000 (Coordinated Universal Time),0,-1,1,1,1,Not enough emergency accommodation');
    expect(lines[2]).toBe('1705708800,Sat Jan 20 2024 00:00:00 GMT+0000 (Coordinated Universal Time),1,-1,1,0,1,"Survivors must be paid for their work, ""not thanked""."');
    expect(lines[3]).toContain(',2,-1,0,0,-1,');
    expect(lines[3]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines).toHaveLength(4);
  });
});

describe('votesCsv', () => {
  it('writes agree 1, disagree -1, unsure 0 with opaque voter numbers in order of first vote', () => {
    const lines = votesCsv(statements, votes).trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,datetime,comment-id,voter-id,vote');
    // ffff voted first (15 Jan): voter 0; aaaa: voter 1.
    expect(lines.slice(1).map((l) => l.split(',').slice(2).join(','))).toEqual(['0,0,1', '0,1,-1', '1,0,1', '1,1,0']);
    expect(lines.join('\n')).not.toContain('ffff');
    expect(lines.join('\n')).not.toContain('st-a');
  });

  it('writes only the header with no votes, and skips votes on unknown statements', () => {
    expect(votesCsv(statements, [])).toBe('timestamp,datetime,comment-id,voter-id,vote\n');
    expect(votesCsv(statements, [{ statementId: 'gone', voterTag: 'x', vote: 'agree', votedOn: '2024-01-01' }]).trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('csvField', () => {
  it('quotes commas, quotes and new lines; defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('+1 idea')).toBe("'+1 idea");
    expect(csvField(-1)).toBe('-1');
  });
});
