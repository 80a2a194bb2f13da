/**
 * The consultation forms, parsed once at the edge (zod): the call's details, its questions
 * (pasted, or a text/CSV file), and on its page the required module and the presentation.
 * A failed form gives the problems (field + message key) and the values typed.
 */
import { z } from 'zod';
import { isValidDateKey } from '../../time/paris-time';
import { isTextLanguage } from '../../participation/contributions';
import { parseQuestionFile, parseQuestions, type ParsedQuestion } from '../../participation/questions';
import type { FormValues, Parsed, Problem } from '../accompaniment/person.form';
import type { ConsultationDetails, CreateConsultationInput, UpdateConsultationInput } from './consultation.service';

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'participation.form.error.too_long')
    .transform((v) => (v === '' ? null : v));

const details = {
  requester: z.string().trim().min(1, 'participation.consultation.error.requester').max(300, 'participation.form.error.too_long'),
  title: z.string().trim().min(1, 'participation.consultation.error.title').max(300, 'participation.form.error.too_long'),
  deadline: z
    .string()
    .trim()
    .refine((v) => v === '' || isValidDateKey(v), 'participation.consultation.error.deadline')
    .transform((v) => (v === '' ? null : v)),
  call_url: z
    .string()
    .trim()
    .max(500, 'participation.form.error.too_long')
    .refine((v) => v === '' || /^https?:\/\/[^\s]+$/i.test(v), 'participation.consultation.error.call_url')
    .transform((v) => (v === '' ? null : v)),
  summary: optional(4000),
  language: z.string().refine((v) => isTextLanguage(v), 'participation.consultation.error.language')
};

const DETAIL_FIELDS = ['requester', 'title', 'deadline', 'call_url', 'summary', 'language'] as const;

function valuesOf(form: FormData, fields: readonly string[], max = 5000): FormValues {
  const values: FormValues = {};
  for (const name of fields) {
    const value = form.get(name);
    values[name] = typeof value === 'string' ? value.slice(0, max) : '';
  }
  return values;
}

function problemsOf(issues: z.ZodIssue[], order: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form');
    if (problems.some((p) => p.field === field)) continue;
    problems.push({ field, key: issue.message.startsWith('participation.') ? issue.message : 'participation.form.error.invalid' });
  }
  return problems.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

function toDetails(data: z.infer<z.ZodObject<typeof details>>): ConsultationDetails {
  return { requester: data.requester, title: data.title, deadline: data.deadline, callUrl: data.call_url, summary: data.summary, language: data.language };
}

/** Questions from the pasted list and, if one was chosen, the file (a file over 256 kB is refused). */
export async function readQuestions(form: FormData): Promise<{ ok: true; questions: ParsedQuestion[] } | { ok: false; problem: Problem }> {
  const pasted = form.get('questions');
  const questions = typeof pasted === 'string' ? parseQuestions(pasted.slice(0, 200_000)) : [];
  const file = form.get('questions_file');
  if (file instanceof File && file.size > 0) {
    if (file.size > 256 * 1024) return { ok: false, problem: { field: 'questions_file', key: 'participation.consultation.error.file_too_big' } };
    const text = await file.text();
    if (text.includes('\u0000')) return { ok: false, problem: { field: 'questions_file', key: 'participation.consultation.error.file_type' } };
    questions.push(...parseQuestionFile(file.name, file.type, text));
  }
  return { ok: true, questions: questions.slice(0, 200) };
}

/** The "new consultation" form (multipart: the questions may come in a file). */
export async function readCreateConsultationForm(form: FormData): Promise<Parsed<CreateConsultationInput>> {
  const values = valuesOf(form, [...DETAIL_FIELDS, 'questions'], 200_000);
  const parsed = z.object(details).safeParse(values);
  const questions = await readQuestions(form);
  const problems = parsed.success ? [] : problemsOf(parsed.error.issues, [...DETAIL_FIELDS, 'questions']);
  if (!questions.ok) problems.push(questions.problem);
  else if (questions.questions.length === 0) problems.push({ field: 'questions', key: 'participation.consultation.error.questions' });
  if (!parsed.success || problems.length || !questions.ok) return { ok: false, problems, values };
  return { ok: true, values, value: { ...toDetails(parsed.data), questions: questions.questions } };
}

const UPDATE_FIELDS = [...DETAIL_FIELDS, 'required_module', 'presentation'] as const;

/** The consultation's details on its page, with the required module and the presentation. */
export function readUpdateConsultationForm(form: FormData): Parsed<UpdateConsultationInput> {
  const values = valuesOf(form, UPDATE_FIELDS, 20_000);
  const parsed = z
    .object({ ...details, required_module: z.string().trim().max(60).transform((v) => (v === '' ? null : v)), presentation: optional(10_000) })
    .safeParse(values);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error.issues, UPDATE_FIELDS), values };
  return { ok: true, values, value: { ...toDetails(parsed.data), requiredModuleId: parsed.data.required_module, presentation: parsed.data.presentation } };
}
