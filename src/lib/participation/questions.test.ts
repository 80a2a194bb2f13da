import { describe, expect, it } from 'vitest';
import { parseQuestionFile, parseQuestions, parseQuestionsCsv } from './questions';

describe('parseQuestions', () => {
  it('keeps the call’s own numbers as labels', () => {
    expect(parseQuestions('13. What measures protect survivors?\n14. How are they funded?')).toEqual([
      { label: '13', text: 'What measures protect survivors?' },
      { label: '14', text: 'How are they funded?' }
    ]);
  });

  it('reads the usual ways of numbering: 1) 2 - Q3: Question 4 — (5) 6a.', () => {
    const list = parseQuestions('1) One?\n2 - Two?\nQ3: Three?\nQuestion 4 — Four?\n(5) Five?\n6a. Six a?');
    expect(list.map((q) => q.label)).toEqual(['1', '2', '3', '4', '5', '6a']);
    expect(list.map((q) => q.text)).toEqual(['One?', 'Two?', 'Three?', 'Four?', 'Five?', 'Six a?']);
  });

  it('joins a wrapped question (lines pasted from a PDF) and skips a heading before the first number', () => {
    const list = parseQuestions('Questions for input\r\n\r\n1. Please describe the measures\r\n   your State has taken.\r\n2. What data\r\nexist?\r\n');
    expect(list).toEqual([
      { label: '1', text: 'Please describe the measures your State has taken.' },
      { label: '2', text: 'What data exist?' }
    ]);
  });

  it('does not take a number inside a wrapped line for a new question', () => {
    const list = parseQuestions('1. How many people\n1.5 million or more?');
    expect(list).toEqual([{ label: '1', text: 'How many people 1.5 million or more?' }]);
  });

  it('numbers by position a list without numbers: one question per line, bullets too', () => {
    expect(parseQuestions('  What helps?  \n\n• What hurts?\n- What next?\n')).toEqual([
      { label: '1', text: 'What helps?' },
      { label: '2', text: 'What hurts?' },
      { label: '3', text: 'What next?' }
    ]);
  });

  it('cleans messy input: a BOM, tabs, non-breaking spaces, zero-width characters, repeated spaces', () => {
    expect(parseQuestions('\uFEFF12.\u00A0\tWhat\u200B   is   done ?')).toEqual([{ label: '12', text: 'What is done ?' }]);
  });

  it('gives nothing for empty or blank input', () => {
    expect(parseQuestions('')).toEqual([]);
    expect(parseQuestions(' \n\t\n')).toEqual([]);
  });

  it('cuts an overlong question and an overlong list', () => {
    const long = parseQuestions(`1. ${'a'.repeat(5000)}`);
    expect(long[0]!.text.length).toBe(2000);
    expect(parseQuestions(Array.from({ length: 300 }, (_, i) => `Q ${i}?`).join('\n'))).toHaveLength(200);
  });
});

describe('parseQuestionsCsv', () => {
  it('reads label,text rows with a header, quotes and commas inside', () => {
    expect(parseQuestionsCsv('number,question\n13,"What, in your view, works?"\n14,"She said ""no"""\n')).toEqual([
      { label: '13', text: 'What, in your view, works?' },
      { label: '14', text: 'She said "no"' }
    ]);
  });

  it('reads semicolon-separated rows and single-column rows', () => {
    expect(parseQuestionsCsv('Q1;What helps?\r\nQ2;What hurts?')).toEqual([
      { label: '1', text: 'What helps?' },
      { label: '2', text: 'What hurts?' }
    ]);
    expect(parseQuestionsCsv('What helps?\nWhat hurts?')).toEqual([
      { label: '1', text: 'What helps?' },
      { label: '2', text: 'What hurts?' }
    ]);
  });

  it('chooses CSV or a list by the file’s name', () => {
    expect(parseQuestionFile('call.csv', 'text/csv', '3,Three?')).toEqual([{ label: '3', text: 'Three?' }]);
    expect(parseQuestionFile('call.txt', 'text/plain', '3. Three?')).toEqual([{ label: '3', text: 'Three?' }]);
  });
});
