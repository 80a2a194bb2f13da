/**
 * The questions of a call for input, pasted as a list or imported from a text or CSV file.
 * Keeps the call's own numbers as labels ("13. What …" → label "13"), so the submission can
 * answer "question 13" in the call's words. Pure.
 *
 * Read, line by line:
 * - "13. What …", "13) …", "13 - …", "Q13: …", "Question 13 — …", "13a. …": a question
 *   labelled by its number;
 * - "- …", "* …", "• …": a question labelled by its position;
 * - any other line: a new question when the list has no numbers; a question's next line
 *   (wrapped text) when it has some, until a blank line.
 */

export interface ParsedQuestion {
  /** The call's own number, or the position in the list when it has none. */
  label: string;
  text: string;
}

/** At most this many questions in one call, and this long a question. */
export const MAX_QUESTIONS = 200;
export const MAX_QUESTION_LENGTH = 2000;
export const MAX_LABEL_LENGTH = 16;

const NUMBERED = /^(?:q(?:uestion)?\s*(?:n[°o]\s*)?)?\(?(\d{1,3}[a-z]?)\s*(?:[.):\]](?!\d)|[-–—])\s*(.+)$/i;
const PREFIXED = /^q(?:uestion)?\s*(?:n[°o]\s*)?(\d{1,3}[a-z]?)\s+(.+)$/i;
const BULLET = /^[-*•–·▪◦]\s+(.+)$/;

function clean(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/[\u00A0\u2007\u202F\t]/g, ' ')
    .replace(/[\u200B-\u200D]/g, '');
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

type Line = { kind: 'numbered'; label: string; text: string } | { kind: 'bullet'; text: string } | { kind: 'plain'; text: string } | { kind: 'blank' };

function readLine(raw: string): Line {
  const line = squash(raw);
  if (!line) return { kind: 'blank' };
  const numbered = NUMBERED.exec(line) ?? PREFIXED.exec(line);
  if (numbered) return { kind: 'numbered', label: numbered[1]!.toLowerCase(), text: numbered[2]! };
  const bullet = BULLET.exec(line);
  if (bullet) return { kind: 'bullet', text: bullet[1]! };
  return { kind: 'plain', text: line };
}

/** Parses a pasted list of questions (see the module's comment). Empty input: no questions. */
export function parseQuestions(input: string): ParsedQuestion[] {
  const lines = clean(input).split(/\r\n|\r|\n/).map(readLine);
  const hasNumbers = lines.some((l) => l.kind === 'numbered');
  const questions: ParsedQuestion[] = [];
  let current: ParsedQuestion | null = null;
  const close = () => {
    if (current && current.text) questions.push({ label: current.label.slice(0, MAX_LABEL_LENGTH), text: current.text.slice(0, MAX_QUESTION_LENGTH) });
    current = null;
  };
  for (const line of lines) {
    if (line.kind === 'blank') {
      close();
      continue;
    }
    if (line.kind === 'numbered') {
      close();
      current = { label: line.label, text: line.text };
      continue;
    }
    if (line.kind === 'plain' && hasNumbers && current) {
      current.text = `${current.text} ${line.text}`;
      continue;
    }
    // A plain line before the first number is a heading ("Questions:"), not a question.
    if (line.kind === 'plain' && hasNumbers) continue;
    close();
    current = { label: String(questions.length + 1), text: line.text };
  }
  close();
  return questions.slice(0, MAX_QUESTIONS);
}

/** Splits one CSV line (RFC 4180 quotes; comma or semicolon, as a spreadsheet exports it). */
function csvRows(input: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === separator) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  row.push(cell);
  rows.push(row);
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

/**
 * Parses an imported CSV: one question per row, either "label,text" or "text" alone; a first
 * row of headers (label/number/question/text) is skipped.
 */
export function parseQuestionsCsv(input: string): ParsedQuestion[] {
  const text = clean(input);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows = csvRows(text, separator);
  const header = rows[0]?.map((c) => c.trim().toLowerCase()) ?? [];
  if (header.some((c) => /^(label|number|n°|no|num|question|questions|text|texte)$/.test(c))) rows.shift();
  const questions: ParsedQuestion[] = [];
  for (const row of rows) {
    const cells = row.map(squash).filter((c) => c !== '');
    if (cells.length === 0) continue;
    if (cells.length >= 2 && /^(?:q(?:uestion)?\s*)?\d{1,3}[a-z]?[.)]?$/i.test(cells[0]!)) {
      questions.push({ label: cells[0]!.replace(/^q(?:uestion)?\s*/i, '').replace(/[.)]$/, '').toLowerCase().slice(0, MAX_LABEL_LENGTH), text: cells.slice(1).join(', ').slice(0, MAX_QUESTION_LENGTH) });
    } else {
      // One cell that may itself read "13. What …".
      const parsed = parseQuestions(cells.join(', '));
      const one = parsed[0];
      questions.push(one && parsed.length === 1 && NUMBERED.test(cells.join(', ')) ? one : { label: String(questions.length + 1), text: cells.join(', ').slice(0, MAX_QUESTION_LENGTH) });
    }
  }
  return questions.slice(0, MAX_QUESTIONS);
}

/** A file's questions: CSV by its name or type, else a pasted list. */
export function parseQuestionFile(name: string, type: string, content: string): ParsedQuestion[] {
  return /\.csv$/i.test(name) || /csv/i.test(type) ? parseQuestionsCsv(content) : parseQuestions(content);
}
