/**
 * The case tracker's forms, parsed once at the edge (zod). A failed form gives the problems
 * (field + message key) and the values she typed, so the page re-renders with both — with
 * JavaScript off too.
 */
import { z } from 'zod';
import { CONSENT_SCOPES, DEFAULT_RETENTION_MONTHS, type ConsentScope } from './consent';
import type { ConsentInput, OpenPersonInput, PersonProfile } from './person.service';

export interface Problem {
  field: string;
  key: string;
}

export type FormValues = Record<string, string | string[]>;

export type Parsed<T> = { ok: true; value: T; values: FormValues } | { ok: false; problems: Problem[]; values: FormValues };

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => text(max).transform((v) => (v === '' ? null : v));

const profileSchema = z.object({
  real_name: optionalText(120),
  languages: text(120).transform((v) =>
    v
      .split(/[,;]/)
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 10)
  ),
  nationality: optionalText(60),
  birth_year: z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d{4}$/.test(v) && Number(v) >= 1900 && Number(v) <= new Date().getFullYear()), 'case.form.error.birth_year')
    .transform((v) => (v === '' ? null : Number(v))),
  contact_rules: optionalText(500),
  referred_by: optionalText(200),
  no_contact_with: optionalText(200),
  minor: z.boolean(),
  in_danger: z.boolean()
});

const consentSchema = z.object({
  scopes: z.array(z.enum(CONSENT_SCOPES)).refine((s) => s.includes('procedures'), 'case.form.error.consent_procedures'),
  retention_months: z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 120), 'case.form.error.retention')
    .transform((v) => (v === '' ? DEFAULT_RETENTION_MONTHS : Number(v))),
  consent_language: text(20).refine((v) => /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(v), 'case.form.error.language'),
  consent_explained: z.literal(true, { message: 'case.form.error.consent_explained' })
});

function valuesOf(form: FormData, multi: readonly string[] = []): FormValues {
  const values: FormValues = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string') continue;
    if (multi.includes(key)) values[key] = [...((values[key] as string[] | undefined) ?? []), value.slice(0, 50)];
    else values[key] = value.slice(0, 2000);
  }
  return values;
}

const str = (values: FormValues, key: string): string => (typeof values[key] === 'string' ? (values[key] as string) : '');
const list = (values: FormValues, key: string): string[] => (Array.isArray(values[key]) ? (values[key] as string[]) : []);

function problemsOf(error: z.ZodError): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    const key = issue.message.startsWith('case.') ? issue.message : issue.code === 'too_big' ? 'case.form.error.too_long' : 'case.form.error.invalid';
    problems.push({ field, key });
  }
  return problems;
}

function profileOf(values: FormValues) {
  return profileSchema.safeParse({
    real_name: str(values, 'real_name'),
    languages: str(values, 'languages'),
    nationality: str(values, 'nationality'),
    birth_year: str(values, 'birth_year'),
    contact_rules: str(values, 'contact_rules'),
    referred_by: str(values, 'referred_by'),
    no_contact_with: str(values, 'no_contact_with'),
    minor: str(values, 'minor') === 'on',
    in_danger: str(values, 'in_danger') === 'on'
  });
}

function toProfile(p: z.infer<typeof profileSchema>): PersonProfile {
  return {
    languages: p.languages,
    nationality: p.nationality,
    birthYear: p.birth_year,
    contactRules: p.contact_rules,
    referredBy: p.referred_by,
    minor: p.minor,
    inDanger: p.in_danger,
    noContactWith: p.no_contact_with
  };
}

function consentOf(values: FormValues) {
  return consentSchema.safeParse({
    scopes: list(values, 'scopes'),
    retention_months: str(values, 'retention_months'),
    consent_language: str(values, 'consent_language'),
    consent_explained: str(values, 'consent_explained') === 'on'
  });
}

function toConsent(c: z.infer<typeof consentSchema>): ConsentInput {
  return { scopes: c.scopes as ConsentScope[], retentionMonths: c.retention_months, language: c.consent_language };
}

/** The "new person" form: pseudonym, profile and her consent. */
export function readOpenPersonForm(form: FormData): Parsed<OpenPersonInput> {
  const values = valuesOf(form, ['scopes']);
  const problems: Problem[] = [];
  const pseudonym = str(values, 'pseudonym').trim();
  if (pseudonym === '') problems.push({ field: 'pseudonym', key: 'case.form.error.pseudonym' });
  else if (pseudonym.length > 60) problems.push({ field: 'pseudonym', key: 'case.form.error.too_long' });
  const profile = profileOf(values);
  if (!profile.success) problems.push(...problemsOf(profile.error));
  const consent = consentOf(values);
  if (!consent.success) problems.push(...problemsOf(consent.error));
  if (problems.length > 0 || !profile.success || !consent.success) return { ok: false, problems, values };
  return { ok: true, values, value: { pseudonym, realName: profile.data.real_name, profile: toProfile(profile.data), consent: toConsent(consent.data) } };
}

/** The "edit her profile" form. */
export function readProfileForm(form: FormData): Parsed<{ realName: string | null; profile: PersonProfile }> {
  const values = valuesOf(form);
  const profile = profileOf(values);
  if (!profile.success) return { ok: false, problems: problemsOf(profile.error), values };
  return { ok: true, values, value: { realName: profile.data.real_name, profile: toProfile(profile.data) } };
}

/** A new consent (scopes she now agrees to). `procedures` is not required here. */
export function readConsentForm(form: FormData): Parsed<ConsentInput> {
  const values = valuesOf(form, ['scopes']);
  const parsed = consentSchema.extend({ scopes: z.array(z.enum(CONSENT_SCOPES)).min(1, 'case.form.error.scopes') }).safeParse({
    scopes: list(values, 'scopes'),
    retention_months: str(values, 'retention_months'),
    consent_language: str(values, 'consent_language'),
    consent_explained: str(values, 'consent_explained') === 'on'
  });
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error), values };
  return { ok: true, values, value: toConsent(parsed.data) };
}

/** Paris wall time from a date and an optional time field ('' → the start of the day). */
export function momentOf(date: string, time: string): string {
  const d = date.trim();
  const t = time.trim();
  return t === '' ? d : `${d}T${t.length === 4 ? `0${t}` : t}`;
}
