/**
 * The staff form of a help service ↔ the directory record (model.ts). The form works
 * without JavaScript: flat field names (`name_fr`, `phone_0_display`…), which are also
 * the ids the error summary links to. Input is read once at the edge (`readServiceForm`),
 * checked with zod, then turned into a record that the model's own schema checks again.
 *
 * What the form does not show is kept from the current record: texts in other languages,
 * a second source's hours, temporary closures and exception notes, demo flag, last
 * verification. Opening hours are typed as an OpenStreetMap `opening_hours` string; an
 * untouched string keeps the stored hours exactly (no spurious change in the history).
 */
import { z } from 'zod';
import { parseOsmOpeningHours, toOsmOpeningHours, type OsmErrorCode } from '../../directory/osm-opening-hours';
import type { OpeningHours } from '../../directory/opening-hours';
import { audienceIds, categoryIds, spokenLanguageCodes } from '../../directory/taxonomy';
import { normalizeSearchText } from '../../directory/search-text';
import { fromParis, formatIsoParis, isValidDateKey, addParisDays, parisDateKey } from '../../time/paris-time';
import { localeCodes } from '../../i18n/locales';
import { serviceStatuses, type DirectoryService, type RecordIssue, type ServiceLocation, type ServicePhone, type ServiceTexts } from './model';
import { findPlace, places } from './places';

/** The languages the form edits texts in; French (the source of new services) first. */
export const FORM_LOCALES: readonly string[] = localeCodes;

/** Text fields of one language: record key → form name prefix. */
export const TEXT_FIELDS = {
  name: 'name',
  description: 'description',
  eligibility: 'eligibility',
  transport: 'transport',
  frontDoor: 'front_door',
  hoursNote: 'hours_note'
} as const satisfies Record<keyof ServiceTexts, string>;

export const MAX_PHONES = 10;
/** Empty phone rows offered under the filled ones (no JavaScript to add a row). */
export const BLANK_PHONE_ROWS = 2;
export const HOLIDAY_CHOICES = ['unknown', 'open', 'closed', 'in_hours'] as const;
export type HolidayChoice = (typeof HOLIDAY_CHOICES)[number];
export const TRISTATE = ['unknown', 'yes', 'no'] as const;

const SINGLE_FIELDS = [
  'version', 'organization', 'status', 'url', 'email', 'free', 'wheelchair', 'other_languages', 'location_name', 'address',
  'postal_code', 'city', 'commune', 'latitude', 'longitude', 'confidential', 'front_door_phone', 'hours', 'public_holidays', 'national',
  ...FORM_LOCALES.flatMap((l) => Object.values(TEXT_FIELDS).map((f) => `${f}_${l}`)),
  ...Array.from({ length: MAX_PHONES }, (_, i) => [`phone_${i}_display`, `phone_${i}_kind`, `phone_${i}_description`]).flat()
];

/** What she typed (or what the record gives), as the form shows it. */
export interface ServiceForm {
  values: Record<string, string>;
  categories: string[];
  audiences: string[];
  languages: string[];
}

/** One problem: the field it is about (its id, for the summary link), the message key and its values. */
export interface FormProblem {
  field: string | null;
  key: string;
  args?: Record<string, string | number>;
}

const MAX_VALUE = 5000;

/** Reads the known fields of a posted form; anything else is ignored, long values cut. */
export function readServiceForm(form: FormData): ServiceForm {
  const values: Record<string, string> = {};
  for (const name of SINGLE_FIELDS) {
    const value = form.get(name);
    values[name] = typeof value === 'string' ? value.slice(0, MAX_VALUE) : '';
  }
  const list = (name: string) =>
    form
      .getAll(name)
      .filter((v): v is string => typeof v === 'string')
      .slice(0, 60)
      .map((v) => v.slice(0, 60));
  return { values, categories: list('categories'), audiences: list('audiences'), languages: list('languages') };
}

const tri = (value: boolean | null): string => (value === null ? 'unknown' : value ? 'yes' : 'no');

/** The hours as the form shows them: the string without its PH rule, and the holiday choice. */
export function hoursFormValues(hours: OpeningHours | null): { hours: string; public_holidays: HolidayChoice } {
  if (!hours) return { hours: '', public_holidays: 'unknown' };
  const ph = hours.publicHolidays;
  if (typeof ph === 'string') return { hours: toOsmOpeningHours({ ...hours, publicHolidays: 'open' }), public_holidays: ph };
  return { hours: toOsmOpeningHours(hours), public_holidays: 'in_hours' };
}

/** The form filled from a record (or empty, for a new service). */
export function formOfService(service: DirectoryService | null, version = 0): ServiceForm {
  const values: Record<string, string> = Object.fromEntries(SINGLE_FIELDS.map((f) => [f, '']));
  values.version = String(version);
  values.status = 'active';
  values.free = 'unknown';
  values.wheelchair = 'unknown';
  values.public_holidays = 'unknown';
  if (!service) return { values, categories: [], audiences: [], languages: [] };
  values.organization = service.organization.name;
  values.status = service.status;
  values.url = service.url ?? '';
  values.email = service.email ?? '';
  values.free = tri(service.free);
  values.wheelchair = tri(service.wheelchair);
  values.national = service.national ? 'on' : '';
  for (const locale of FORM_LOCALES) {
    const texts = service.texts[locale];
    for (const [key, prefix] of Object.entries(TEXT_FIELDS)) values[`${prefix}_${locale}`] = texts?.[key as keyof ServiceTexts] ?? '';
  }
  service.phones.slice(0, MAX_PHONES).forEach((p, i) => {
    values[`phone_${i}_display`] = p.display;
    values[`phone_${i}_kind`] = p.kind;
    values[`phone_${i}_description`] = p.description ?? '';
  });
  const loc = service.location;
  if (loc) {
    values.location_name = loc.name ?? '';
    values.address = loc.address ?? '';
    values.postal_code = loc.postalCode ?? '';
    values.city = loc.city ?? '';
    values.commune = loc.communeCode ?? '';
    values.latitude = loc.latitude === undefined ? '' : String(loc.latitude);
    values.longitude = loc.longitude === undefined ? '' : String(loc.longitude);
    values.confidential = loc.confidential ? 'on' : '';
    values.front_door_phone = loc.frontDoorPhone ?? '';
  }
  Object.assign(values, hoursFormValues(service.hours));
  const known = new Set<string>(spokenLanguageCodes);
  values.other_languages = service.languages.filter((l) => !known.has(l)).join(', ');
  return {
    values,
    categories: [...service.categories],
    audiences: [...service.audiences],
    languages: service.languages.filter((l) => known.has(l))
  };
}

/** How many phone rows the form shows: the filled ones plus some empty ones. */
export function phoneRowCount(form: ServiceForm): number {
  let last = -1;
  for (let i = 0; i < MAX_PHONES; i++) {
    if (['display', 'description'].some((f) => (form.values[`phone_${i}_${f}`] ?? '').trim() !== '')) last = i;
  }
  return Math.min(MAX_PHONES, last + 1 + BLANK_PHONE_ROWS);
}

/** The lists the form offers (the page shows them in her language). */
export function formChoices(current: DirectoryService | null) {
  const code = current?.location?.communeCode;
  return {
    statuses: serviceStatuses,
    categories: categoryIds,
    audiences: audienceIds,
    languages: spokenLanguageCodes,
    locales: FORM_LOCALES,
    sourceLocale: current?.sourceLocale ?? 'fr',
    holidays: HOLIDAY_CHOICES,
    places: places.map((p) => ({ code: p.code, name: p.name })),
    // A commune code from an import that is not in our list stays selectable.
    otherCommune: code && !findPlace(code) ? code : null
  };
}

export type FormChoices = ReturnType<typeof formChoices>;

// ---------------------------------------------------------------------------------
// Checking

const shortText = z.string().trim().max(300, 'too_long');
const longText = z.string().trim().max(4000, 'too_long');

const formSchema = z.object({
  version: z.string().regex(/^\d{1,9}$/, 'invalid'),
  organization: shortText.min(1, 'required'),
  status: z.enum(serviceStatuses, 'invalid_choice'),
  url: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'invalid_url' }).max(2000, 'too_long')]),
  email: z.union([z.literal(''), z.email('invalid_email').max(254, 'too_long')]),
  free: z.enum(TRISTATE, 'invalid_choice'),
  wheelchair: z.enum(TRISTATE, 'invalid_choice'),
  other_languages: z.string().max(200, 'too_long'),
  location_name: shortText,
  address: shortText,
  postal_code: z.union([z.literal(''), z.string().trim().regex(/^[0-9AB]{5}$/, 'invalid_postal_code')]),
  city: shortText,
  commune: z.string().max(10, 'invalid_choice'),
  latitude: z.string().trim().max(30, 'invalid_number'),
  longitude: z.string().trim().max(30, 'invalid_number'),
  confidential: z.enum(['', 'on'], 'invalid_choice'),
  front_door_phone: z.string().trim().max(40, 'invalid_phone'),
  hours: z.string().max(1000, 'too_long'),
  public_holidays: z.enum(HOLIDAY_CHOICES, 'invalid_choice'),
  national: z.enum(['', 'on'], 'invalid_choice'),
  ...Object.fromEntries(
    FORM_LOCALES.flatMap((l) => Object.entries(TEXT_FIELDS).map(([key, f]) => [`${f}_${l}`, key === 'name' ? shortText : longText]))
  ),
  ...Object.fromEntries(
    Array.from({ length: MAX_PHONES }, (_, i) => [
      [`phone_${i}_display`, z.string().trim().max(60, 'too_long')],
      [`phone_${i}_kind`, z.enum(['', 'voice', 'sms'], 'invalid_choice')],
      [`phone_${i}_description`, shortText]
    ]).flat()
  )
});

/** Digits to dial from a number as written ('01 80 52 33 76' → '0180523376'); null if it is not a number. */
export function dialableNumber(written: string): string | null {
  const compact = written.trim().replace(/[\s.\-()/]/g, '');
  return /^\+?[0-9]{2,15}$/.test(compact) ? compact : null;
}

function readNumber(text: string): number | null {
  if (text === '') return null;
  const n = Number(text.replace(',', '.'));
  return /^-?\d{1,3}([.,]\d+)?$/.test(text) && Number.isFinite(n) ? n : Number.NaN;
}

/** A short piece of the hours text around a parse error, to quote in the message. */
function near(text: string, position: number): string {
  const start = Math.min(position, Math.max(0, text.length - 1));
  const piece = text.slice(start, start + 14).trim();
  return piece || text.slice(-14).trim();
}

const HOURS_REASONS: Partial<Record<OsmErrorCode, string>> = {
  invalid_time: 'time',
  invalid_date: 'date',
  unsupported_rule_order: 'rule_order'
};

/** The message key of an OpenStreetMap parse error: a few precise ones, then syntax or unsupported. */
export function hoursErrorKey(code: OsmErrorCode): string {
  const reason = HOURS_REASONS[code] ?? (code.startsWith('unsupported_') ? 'unsupported' : 'syntax');
  return `staff.directory.hours_error.${reason}`;
}

type HoursResult = { ok: true; hours: OpeningHours | null } | { ok: false; problem: FormProblem };

/**
 * The hours typed: empty = unknown; otherwise an OSM string of the supported subset, with
 * the public holidays either in the string (`PH …`, choice 'in_hours') or from the choice.
 * Closures and exception notes of the current hours are kept.
 */
export function hoursFromForm(text: string, choice: HolidayChoice, current: OpeningHours | null): HoursResult {
  const before = hoursFormValues(current);
  if (current && text.trim() === before.hours.trim() && choice === before.public_holidays) return { ok: true, hours: current };
  if (text.trim() === '') {
    if (choice === 'in_hours') return { ok: false, problem: { field: 'public_holidays', key: 'staff.directory.error.ph_missing' } };
    return { ok: true, hours: null };
  }
  const parsed = parseOsmOpeningHours(text, { absentPublicHolidays: 'open' });
  if (!parsed.ok) {
    return {
      ok: false,
      problem: { field: 'hours', key: hoursErrorKey(parsed.error.code), args: { near: near(text, parsed.error.position), position: parsed.error.position + 1 } }
    };
  }
  const cautious = parseOsmOpeningHours(text, { absentPublicHolidays: 'unknown' });
  const hasPhRule = cautious.ok && JSON.stringify(cautious.value.publicHolidays) === JSON.stringify(parsed.value.publicHolidays);
  if (choice === 'in_hours' && !hasPhRule) return { ok: false, problem: { field: 'public_holidays', key: 'staff.directory.error.ph_missing' } };
  if (choice !== 'in_hours' && hasPhRule) return { ok: false, problem: { field: 'public_holidays', key: 'staff.directory.error.ph_twice' } };
  const hours: OpeningHours = { ...parsed.value, publicHolidays: choice === 'in_hours' ? parsed.value.publicHolidays : choice };
  const notes = new Map((current?.exceptions ?? []).filter((e) => e.note).map((e) => [e.date, e.note!]));
  if (hours.exceptions) hours.exceptions = hours.exceptions.map((e) => (notes.has(e.date) ? { ...e, note: notes.get(e.date)! } : e));
  if (current?.closures?.length) hours.closures = current.closures;
  return { ok: true, hours };
}

/** The hours she typed, parsed, to show back in words (null when empty or unreadable). */
export function previewHours(form: ServiceForm, current: OpeningHours | null): OpeningHours | null {
  const choice = (HOLIDAY_CHOICES as readonly string[]).includes(form.values.public_holidays ?? '') ? (form.values.public_holidays as HolidayChoice) : 'unknown';
  const result = hoursFromForm(form.values.hours ?? '', choice, current);
  return result.ok ? result.hours : null;
}

export type ParsedServiceForm =
  | { ok: true; draft: Omit<DirectoryService, 'organization'>; organizationName: string; expectedVersion: number }
  | { ok: false; problems: FormProblem[] };

/**
 * Checks the form and builds the record (all but its organization, which the caller
 * finds by name). `current` is the stored record when editing, null when creating.
 */
export function parseServiceForm(form: ServiceForm, target: { id: string; current: DirectoryService | null }): ParsedServiceForm {
  const { id, current } = target;
  const problems: FormProblem[] = [];
  const checked = formSchema.safeParse(form.values);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      problems.push({ field: String(issue.path[0] ?? '') || null, key: `staff.directory.error.${/^[a-z_]+$/.test(issue.message) ? issue.message : 'invalid'}` });
    }
    return { ok: false, problems };
  }
  const v = checked.data as Record<string, string>;
  const problem = (field: string | null, code: string, args?: FormProblem['args']) => problems.push({ field, key: `staff.directory.error.${code}`, ...(args ? { args } : {}) });

  // Texts, language by language: a language is there when it has a name.
  const sourceLocale = current?.sourceLocale ?? 'fr';
  const texts: Record<string, ServiceTexts> = {};
  for (const [locale, t] of Object.entries(current?.texts ?? {})) if (!FORM_LOCALES.includes(locale)) texts[locale] = t;
  for (const locale of FORM_LOCALES) {
    const entries = Object.entries(TEXT_FIELDS).map(([key, f]) => [key, v[`${f}_${locale}`] ?? ''] as const);
    const filled = entries.filter(([, value]) => value !== '');
    if (filled.length === 0) {
      if (locale === sourceLocale) problem(`name_${locale}`, 'required');
      continue;
    }
    if (!filled.some(([key]) => key === 'name')) {
      problem(`name_${locale}`, 'name_needed_for_language');
      continue;
    }
    texts[locale] = Object.fromEntries(filled) as unknown as ServiceTexts;
  }

  const pick = (values: string[], allowed: readonly string[], field: string) => {
    const bad = values.filter((x) => !allowed.includes(x));
    if (bad.length > 0) problem(field, 'invalid_choice');
    return [...new Set(values.filter((x) => allowed.includes(x)))].sort();
  };
  const categories = pick(form.categories, categoryIds, 'categories') as DirectoryService['categories'];
  const audiences = pick(form.audiences, audienceIds, 'audiences') as DirectoryService['audiences'];
  const otherLanguages = v.other_languages!.toLowerCase().split(/[\s,;]+/).filter(Boolean);
  if (otherLanguages.some((code) => !/^[a-z]{2,3}$/.test(code))) problem('other_languages', 'invalid_language_code');
  const languages = [...new Set([...pick(form.languages, spokenLanguageCodes, 'languages'), ...otherLanguages.filter((c) => /^[a-z]{2,3}$/.test(c))])].sort();
  if (languages.length > 40) problem('other_languages', 'too_long');

  const phones: ServicePhone[] = [];
  for (let i = 0; i < MAX_PHONES; i++) {
    const display = v[`phone_${i}_display`] ?? '';
    const description = v[`phone_${i}_description`] ?? '';
    if (!display && !description) continue;
    if (!display) {
      problem(`phone_${i}_display`, 'required');
      continue;
    }
    const before = current?.phones[i];
    const number = before && before.display === display ? before.number : dialableNumber(display);
    if (!number) {
      problem(`phone_${i}_display`, 'invalid_phone');
      continue;
    }
    const kind = v[`phone_${i}_kind`] === 'sms' ? 'sms' : 'voice';
    phones.push({ number, display, kind, ...(description ? { description } : {}) });
  }

  // The place: a confidential one shows the public only its commune and its front door.
  let location: ServiceLocation | null = null;
  const confidential = v.confidential === 'on';
  const place = v.commune ? findPlace(v.commune) : undefined;
  if (v.commune && !place && v.commune !== current?.location?.communeCode) problem('commune', 'invalid_choice');
  const latitude = readNumber(v.latitude!);
  const longitude = readNumber(v.longitude!);
  if (Number.isNaN(latitude) || (latitude !== null && Math.abs(latitude) > 90)) problem('latitude', 'invalid_number');
  if (Number.isNaN(longitude) || (longitude !== null && Math.abs(longitude) > 180)) problem('longitude', 'invalid_number');
  if ((latitude === null) !== (longitude === null)) problem(latitude === null ? 'latitude' : 'longitude', 'latitude_longitude_together');
  let frontDoorPhone: string | null = null;
  if (v.front_door_phone) {
    frontDoorPhone = dialableNumber(v.front_door_phone);
    if (!frontDoorPhone) problem('front_door_phone', 'invalid_phone');
  }
  const hasPlace = confidential || ['location_name', 'address', 'postal_code', 'city', 'commune', 'latitude', 'longitude', 'front_door_phone'].some((f) => v[f] !== '');
  if (hasPlace) {
    location = {
      id: current?.location?.id ?? `${id}-location`.slice(0, 100),
      ...(v.location_name ? { name: v.location_name } : {}),
      ...(v.address ? { address: v.address } : {}),
      ...(v.postal_code ? { postalCode: v.postal_code } : {}),
      ...(v.city ? { city: v.city } : {}),
      ...(v.commune ? { communeCode: v.commune } : {}),
      ...(latitude !== null && !Number.isNaN(latitude) ? { latitude } : {}),
      ...(longitude !== null && !Number.isNaN(longitude) ? { longitude } : {}),
      confidential,
      ...(frontDoorPhone ? { frontDoorPhone } : {})
    };
    if (confidential && !frontDoorPhone && !Object.values(texts).some((t) => t.frontDoor)) problem('front_door_phone', 'front_door_needed');
  }

  const hours = hoursFromForm(v.hours!, v.public_holidays as HolidayChoice, current?.hours ?? null);
  if (!hours.ok) problems.push(hours.problem);

  if (problems.length > 0 || !hours.ok) return { ok: false, problems };
  const bool = (x: string): boolean | null => (x === 'unknown' ? null : x === 'yes');
  const draft: Omit<DirectoryService, 'organization'> = {
    id,
    status: v.status as DirectoryService['status'],
    sourceLocale,
    texts,
    categories,
    audiences,
    languages,
    free: bool(v.free!),
    wheelchair: bool(v.wheelchair!),
    ...(v.url ? { url: v.url } : {}),
    ...(v.email ? { email: v.email } : {}),
    phones,
    hours: hours.hours,
    hoursAlternative: current?.hoursAlternative ?? null,
    location,
    // The snapshot region follows the commune; otherwise it stays what it was.
    region: place?.region ?? current?.region ?? null,
    national: v.national === 'on',
    sample: current?.sample ?? false,
    lastVerifiedAt: current?.lastVerifiedAt ?? null,
    lastVerifiedBy: current?.lastVerifiedBy ?? null
  };
  return { ok: true, draft, organizationName: v.organization!, expectedVersion: Number(v.version) };
}

const LOCATION_FIELDS: Record<string, string> = {
  name: 'location_name',
  address: 'address',
  postalCode: 'postal_code',
  city: 'city',
  communeCode: 'commune',
  latitude: 'latitude',
  longitude: 'longitude',
  frontDoorPhone: 'front_door_phone',
  confidential: 'confidential'
};

/** The form field a record issue (model.ts `validateService`) is about, or null. */
export function fieldOfIssue(path: string): string | null {
  const [head, second, third] = path.split('.');
  if (head === 'texts' && second) return `${TEXT_FIELDS[third as keyof ServiceTexts] ?? 'name'}_${second}`;
  if (head === 'phones' && second) return `phone_${second}_${third === 'kind' || third === 'description' ? third : 'display'}`;
  if (head === 'location') return LOCATION_FIELDS[second ?? ''] ?? 'address';
  if (head === 'organization') return 'organization';
  if (head === 'hours') return 'hours';
  if (head && ['status', 'url', 'email', 'categories', 'audiences', 'free', 'wheelchair'].includes(head)) return head;
  if (head === 'languages') return 'other_languages';
  return null;
}

/** Record issues as form problems (what the form checks should already have caught). */
export function problemsOfIssues(issues: RecordIssue[]): FormProblem[] {
  return issues.map((issue) => ({ field: fieldOfIssue(issue.field), key: 'staff.directory.error.invalid' }));
}

/** An id for a new service: its name as a URL word, then a random tail. */
export function newServiceId(name: string, random: string): string {
  const slug = normalizeSearchText(name)
    .replace(/[^a-z0-9 ]/g, '')
    .trim()
    .split(/\s+/)
    .join('-')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${slug || 'service'}-${random.replace(/[^a-z0-9]/gi, '').slice(0, 8).toLowerCase()}`;
}

// ---------------------------------------------------------------------------------
// Temporary closure

export interface ClosureForm {
  closure_from: string;
  closure_to: string;
  closure_reason: string;
}

export function readClosureForm(form: FormData): ClosureForm {
  const get = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value.slice(0, 400) : '';
  };
  return { closure_from: get('closure_from'), closure_to: get('closure_to'), closure_reason: get('closure_reason') };
}

const dateKey = z.string().trim().refine((s) => isValidDateKey(s), 'invalid_date');
const closureSchema = z.object({
  closure_from: z.string().trim().min(1, 'required').pipe(dateKey),
  closure_to: z.string().trim().min(1, 'required').pipe(dateKey),
  closure_reason: z.string().trim().max(300, 'too_long')
});

/**
 * A closure from the first day (00:00, Paris) to the end of the last day, both as typed
 * in date fields. It cannot end in the past nor last more than a year.
 */
export function parseClosureForm(form: ClosureForm, now: Date): { ok: true; closure: { from: string; to: string; reason?: string } } | { ok: false; problems: FormProblem[] } {
  const checked = closureSchema.safeParse(form);
  if (!checked.success) {
    return {
      ok: false,
      problems: checked.error.issues.map((i) => ({ field: String(i.path[0]), key: `staff.directory.error.${/^[a-z_]+$/.test(i.message) ? i.message : 'invalid'}` }))
    };
  }
  const { closure_from: from, closure_to: to, closure_reason: reason } = checked.data;
  const problems: FormProblem[] = [];
  if (to < from) problems.push({ field: 'closure_to', key: 'staff.directory.error.closure_before_start' });
  else if (to < parisDateKey(now)) problems.push({ field: 'closure_to', key: 'staff.directory.error.closure_in_past' });
  else if (to > addParisDays(from, 366)) problems.push({ field: 'closure_to', key: 'staff.directory.error.closure_too_long' });
  else if (from > addParisDays(parisDateKey(now), 730)) problems.push({ field: 'closure_from', key: 'staff.directory.error.closure_too_far' });
  if (problems.length > 0) return { ok: false, problems };
  const midnight = (key: string) => {
    const [year, month, day] = key.split('-').map(Number) as [number, number, number];
    return formatIsoParis(fromParis({ year, month, day, hour: 0, minute: 0 }));
  };
  return { ok: true, closure: { from: midnight(from), to: midnight(addParisDays(to, 1)), ...(reason ? { reason } : {}) } };
}
