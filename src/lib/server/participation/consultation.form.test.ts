import { describe, expect, it } from 'vitest';
import { readCreateConsultationForm, readUpdateConsultationForm } from './consultation.form';

const form = (fields: Record<string, string | File>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

const valid = { requester: 'UN Special Rapporteur', title: 'Call for input', deadline: '2027-01-15', call_url: 'https://example.test/call', summary: '', language: 'en', questions: '13. What helps?\n14. What hurts?' };

describe('readCreateConsultationForm', () => {
  it('reads the call and its numbered questions', async () => {
    const parsed = await readCreateConsultationForm(form(valid));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({ requester: 'UN Special Rapporteur', deadline: '2027-01-15', callUrl: 'https://example.test/call', summary: null, language: 'en' });
    expect(parsed.value.questions).toEqual([
      { label: '13', text: 'What helps?' },
      { label: '14', text: 'What hurts?' }
    ]);
  });

  it('adds the questions of a CSV file to the pasted ones', async () => {
    const file = new File(['number,question\n15,"Who decides?"\n'], 'call.csv', { type: 'text/csv' });
    const parsed = await readCreateConsultationForm(form({ ...valid, questions_file: file }));
    expect(parsed.ok && parsed.value.questions.map((q) => q.label)).toEqual(['13', '14', '15']);
  });

  it('refuses a missing requester and title, an impossible date, a link that is not http(s), no questions — in the order of the form, her values kept', async () => {
    const parsed = await readCreateConsultationForm(form({ ...valid, requester: ' ', title: '', deadline: '2027-02-30', call_url: 'javascript:alert(1)', questions: '\n \n' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      { field: 'requester', key: 'participation.consultation.error.requester' },
      { field: 'title', key: 'participation.consultation.error.title' },
      { field: 'deadline', key: 'participation.consultation.error.deadline' },
      { field: 'call_url', key: 'participation.consultation.error.call_url' },
      { field: 'questions', key: 'participation.consultation.error.questions' }
    ]);
    expect(parsed.values.call_url).toBe('javascript:alert(1)');
  });

  it('refuses a file that is not text, and an unknown language', async () => {
    const binary = new File([new Uint8Array([0, 1, 2, 0])], 'call.txt', { type: 'text/plain' });
    const parsed = await readCreateConsultationForm(form({ ...valid, language: 'xx', questions_file: binary }));
    expect(parsed.ok || parsed.problems.map((p) => p.field).sort()).toEqual(['language', 'questions_file']);
  });
});

describe('readUpdateConsultationForm', () => {
  it('reads the required module (none when empty) and the presentation', () => {
    const parsed = readUpdateConsultationForm(form({ ...valid, required_module: '', presentation: 'We are an association of survivors.' }));
    expect(parsed.ok && [parsed.value.requiredModuleId, parsed.value.presentation]).toEqual([null, 'We are an association of survivors.']);
  });
});
