/**
 * A help service as the directory keeps it: one record with its organization, texts in
 * several languages, tags, phones, hours and at most one location. The record is what
 * the repository saves, what versions snapshot, what the demo files and our own JSON
 * import hold; HSDS and data·inclusion are converted to and from it.
 */
import { z } from 'zod';
import { validateOpeningHours, type OpeningHours } from '../../directory/opening-hours';
import { audienceIds, categoryIds, type AudienceId, type CategoryId } from '../../directory/taxonomy';

export const serviceStatuses = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export type ServiceStatus = (typeof serviceStatuses)[number];

export interface ServiceTexts {
  name: string;
  description?: string;
  /** about the hours, e.g. a contradiction between sources */
  hoursNote?: string;
  /** how to get there by public transport */
  transport?: string;
  /** a confidential place's public meeting point or way in */
  frontDoor?: string;
  /** who can come, conditions */
  eligibility?: string;
}

export interface ServicePhone {
  /** what to dial: digits, optionally a leading + */
  number: string;
  /** as written for reading ('01 80 52 33 76') */
  display: string;
  kind: 'voice' | 'sms';
  description?: string;
}

export interface ServiceLocation {
  id: string;
  name?: string;
  /** street address; never public when `confidential` */
  address?: string;
  postalCode?: string;
  city?: string;
  /** INSEE commune code, or the arrondissement's (75101–75120) */
  communeCode?: string;
  latitude?: number;
  longitude?: number;
  confidential: boolean;
  /** the phone to call to be met, for a confidential place */
  frontDoorPhone?: string;
}

export interface DirectoryService {
  id: string;
  organization: { id: string; name: string; description?: string; url?: string; email?: string };
  status: ServiceStatus;
  sourceLocale: string;
  /** by locale; `texts[sourceLocale]` is required */
  texts: Record<string, ServiceTexts>;
  categories: CategoryId[];
  audiences: AudienceId[];
  /** languages spoken, ISO 639 */
  languages: string[];
  free: boolean | null;
  wheelchair: boolean | null;
  url?: string;
  email?: string;
  phones: ServicePhone[];
  /** null when nobody knows the hours */
  hours: OpeningHours | null;
  /** other hours a source gives, shown as a contradiction; `hours` is the cautious one */
  hoursAlternative: { hours: OpeningHours; source: string } | null;
  location: ServiceLocation | null;
  /** snapshot region ('idf'…); null with `national` = everywhere */
  region: string | null;
  national: boolean;
  /** demonstration data, never real */
  sample: boolean;
  lastVerifiedAt: string | null;
  lastVerifiedBy: string | null;
}

export interface StoredService extends DirectoryService {
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RecordIssue {
  /** index of the record in the file, or its id when known */
  record: string;
  /** dotted path of the field, e.g. 'phones.0.number', 'hours.weekly.1.0.closes' */
  field: string;
  code: string;
  message: string;
}

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'letters, digits, . _ : - only, at most 100');
const shortText = z.string().trim().min(1).max(300);
const longText = z.string().trim().min(1).max(4000);
const locale = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'a language code such as fr, en, pcm');
const isoDateTime = z.string().refine((s) => Number.isFinite(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s), 'an ISO date-time');

const textsSchema = z.strictObject({
  name: shortText,
  description: longText.optional(),
  hoursNote: longText.optional(),
  transport: longText.optional(),
  frontDoor: longText.optional(),
  eligibility: longText.optional()
});

const hoursSchema = z.unknown().transform((value, ctx) => {
  const result = validateOpeningHours(value);
  if (!result.ok) {
    for (const issue of result.errors) {
      ctx.addIssue({ code: 'custom', message: issue.code, path: issue.path ? issue.path.split('.') : [] });
    }
    return z.NEVER;
  }
  return result.value;
});

export const serviceSchema = z
  .strictObject({
    id,
    organization: z.strictObject({
      id,
      name: shortText,
      description: longText.optional(),
      url: z.url({ protocol: /^https?$/ }).optional(),
      email: z.email().optional()
    }),
    status: z.enum(serviceStatuses).default('active'),
    sourceLocale: locale.default('fr'),
    texts: z.record(locale, textsSchema),
    categories: z.array(z.enum(categoryIds)).max(13).default([]),
    audiences: z.array(z.enum(audienceIds)).default([]),
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639 code')).max(40).default([]),
    free: z.boolean().nullable().default(null),
    wheelchair: z.boolean().nullable().default(null),
    url: z.url({ protocol: /^https?$/ }).optional(),
    email: z.email().optional(),
    phones: z
      .array(
        z.strictObject({
          number: z.string().regex(/^\+?[0-9]{2,15}$/, 'digits only, optionally starting with +'),
          display: shortText,
          kind: z.enum(['voice', 'sms']).default('voice'),
          description: shortText.optional()
        })
      )
      .max(10)
      .default([]),
    hours: hoursSchema.nullable().default(null),
    hoursAlternative: z.strictObject({ hours: hoursSchema, source: shortText }).nullable().default(null),
    location: z
      .strictObject({
        id,
        name: shortText.optional(),
        address: shortText.optional(),
        postalCode: z.string().regex(/^[0-9AB]{5}$/).optional(),
        city: shortText.optional(),
        communeCode: z.string().regex(/^[0-9AB]{5}$/).optional(),
        latitude: z.number().min(-90).max(90).optional(),
        longitude: z.number().min(-180).max(180).optional(),
        confidential: z.boolean().default(false),
        frontDoorPhone: z.string().regex(/^\+?[0-9]{2,15}$/).optional()
      })
      .nullable()
      .default(null),
    region: z.string().regex(/^[a-z0-9-]{2,20}$/).nullable().default(null),
    national: z.boolean().default(false),
    sample: z.boolean().default(false),
    lastVerifiedAt: isoDateTime.nullable().default(null),
    lastVerifiedBy: shortText.nullable().default(null)
  })
  .superRefine((s, ctx) => {
    if (!s.texts[s.sourceLocale]) {
      ctx.addIssue({ code: 'custom', path: ['texts', s.sourceLocale], message: 'the source language needs a name' });
    }
    if (s.location?.confidential && !s.location.frontDoorPhone && !Object.values(s.texts).some((t) => t.frontDoor)) {
      ctx.addIssue({ code: 'custom', path: ['location', 'frontDoorPhone'], message: 'a confidential place needs a public front door (phone or meeting point)' });
    }
    if ((s.location?.latitude === undefined) !== (s.location?.longitude === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['location', 'longitude'], message: 'latitude and longitude go together' });
    }
  });

/** Validates one record; issues name the record and the field. */
export function validateService(
  input: unknown,
  recordLabel: string
): { ok: true; value: DirectoryService } | { ok: false; issues: RecordIssue[] } {
  const result = serviceSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data as DirectoryService };
  const label =
    typeof input === 'object' && input !== null && typeof (input as { id?: unknown }).id === 'string'
      ? `${recordLabel} (${(input as { id: string }).id})`
      : recordLabel;
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({
      record: label,
      field: i.path.map(String).join('.') || '(record)',
      code: i.code,
      message: i.message
    }))
  };
}

/** The service's texts in `locale`, or in its source language with `fallback` true. */
export function textsFor(service: Pick<DirectoryService, 'texts' | 'sourceLocale'>, locale: string): ServiceTexts & { fallback: boolean; locale: string } {
  const own = service.texts[locale];
  if (own) return { ...own, fallback: false, locale };
  const source = service.texts[service.sourceLocale] ?? Object.values(service.texts)[0] ?? { name: '' };
  // A missing field in her language falls back too, field by field.
  return { ...source, fallback: true, locale: service.sourceLocale };
}
