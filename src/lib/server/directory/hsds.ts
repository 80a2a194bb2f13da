/**
 * Directory records ↔ Open Referral HSDS 3.0 service objects (the "full" shape of
 * GET /services/{id}: organization, phones, schedules, languages, service_at_locations
 * with location and addresses, attributes with taxonomy terms).
 *
 * What HSDS lacks travels in `x_relais` on the service (HSDS lets a profile add
 * fields): texts in every language, audiences, free / wheelchair, region, national,
 * sample, who verified, hours another source gives. Categories and audiences are ALSO
 * published as HSDS attributes (taxonomy 'relais-category' / 'relais-audience') so
 * that a reader knowing only HSDS understands them.
 *
 * Confidential places are exported redacted: location_type 'physical' with no
 * address and no coordinates, named "confidential address", the front-door phone as
 * its phone and `x_relais.redacted: true` on the location (HSDS 3.0 has no redacted
 * type yet: openreferral/specification#166).
 */
import { fromHsdsSchedules, toHsdsSchedules, type HsdsSchedule } from '../../directory/hsds-schedule';
import type { DirectoryService, RecordIssue, StoredService } from './model';
import { validateService } from './model';

export interface HsdsService {
  id: string;
  organization_id: string;
  name: string;
  alternate_name?: string | null;
  description?: string | null;
  url?: string | null;
  email?: string | null;
  status: string;
  eligibility_description?: string | null;
  fees_description?: string | null;
  assured_date?: string | null;
  assurer_email?: string | null;
  alert?: string | null;
  last_modified?: string | null;
  organization?: { id: string; name: string; description?: string | null; website?: string | null; email?: string | null } | null;
  phones?: Array<{ id: string; service_id?: string | null; number: string; type?: string | null; description?: string | null }>;
  schedules?: HsdsSchedule[];
  languages?: Array<{ id: string; service_id?: string | null; name?: string | null; code?: string | null }>;
  service_at_locations?: Array<{
    id: string;
    service_id?: string | null;
    location_id?: string | null;
    location?: HsdsLocation | null;
  }>;
  attributes?: Array<{ id: string; link_id?: string; link_type?: string; link_entity?: string; value?: string | null; taxonomy_term?: { id: string; code?: string | null; name?: string | null; taxonomy?: string | null } | null }>;
  x_relais?: RelaisExtension;
}

export interface HsdsLocation {
  id: string;
  location_type: string;
  name?: string | null;
  description?: string | null;
  transportation?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  external_identifier?: string | null;
  external_identifier_type?: string | null;
  addresses?: Array<{ id: string; location_id?: string | null; address_1?: string | null; city?: string | null; state_province?: string | null; postal_code?: string | null; country?: string | null; address_type?: string | null }>;
  phones?: Array<{ id: string; number: string; type?: string | null; description?: string | null }>;
  x_relais?: { redacted?: boolean };
}

export interface RelaisExtension {
  source_locale?: string;
  translations?: DirectoryService['texts'];
  audiences?: string[];
  free?: boolean | null;
  wheelchair?: boolean | null;
  region?: string | null;
  national?: boolean;
  sample?: boolean;
  last_verified_at?: string | null;
  last_verified_by?: string | null;
  hours_alternative?: DirectoryService['hoursAlternative'];
  hours_unknown?: boolean;
  /** our phones as written for reading (HSDS phones have no display form) */
  phones?: DirectoryService['phones'];
}

const LANGUAGE_NAMES: Record<string, string> = {
  fr: 'French', en: 'English', pcm: 'Nigerian Pidgin', ln: 'Lingala', es: 'Spanish', pt: 'Portuguese', ro: 'Romanian',
  zh: 'Chinese', ar: 'Arabic', bg: 'Bulgarian', ru: 'Russian', uk: 'Ukrainian', fsl: 'French Sign Language'
};

/** A record as HSDS 3.0, public: a confidential address is never in it. */
export function toHsdsService(service: StoredService | DirectoryService): HsdsService {
  const source = service.texts[service.sourceLocale]!;
  const loc = service.location;
  const location: HsdsLocation | null = loc
    ? loc.confidential
      ? {
          id: loc.id,
          location_type: 'physical',
          name: 'Adresse confidentielle / confidential address',
          description: source.frontDoor ?? null,
          transportation: null,
          latitude: null,
          longitude: null,
          addresses: [],
          phones: loc.frontDoorPhone ? [{ id: `${loc.id}-front-door`, number: loc.frontDoorPhone, type: 'voice', description: 'front door' }] : [],
          x_relais: { redacted: true }
        }
      : {
          id: loc.id,
          location_type: 'physical',
          name: loc.name ?? null,
          description: null,
          transportation: source.transport ?? null,
          latitude: loc.latitude ?? null,
          longitude: loc.longitude ?? null,
          external_identifier: loc.communeCode ?? null,
          external_identifier_type: loc.communeCode ? 'insee_commune' : null,
          addresses: loc.address
            ? [{ id: `${loc.id}-address`, location_id: loc.id, address_1: loc.address, city: loc.city ?? null, state_province: null, postal_code: loc.postalCode ?? null, country: 'FR', address_type: 'physical' }]
            : [],
          phones: []
        }
    : null;
  const verifiedAt = service.lastVerifiedAt;
  const lastModified = 'updatedAt' in service ? service.updatedAt : null;
  return {
    id: service.id,
    organization_id: service.organization.id,
    name: source.name,
    alternate_name: null,
    description: source.description ?? null,
    url: service.url ?? null,
    email: service.email ?? null,
    status: service.status,
    eligibility_description: source.eligibility ?? null,
    fees_description: service.free === true ? 'Gratuit / free of charge' : null,
    assured_date: verifiedAt ? verifiedAt.slice(0, 10) : null,
    assurer_email: null,
    alert: null,
    last_modified: lastModified,
    organization: {
      id: service.organization.id,
      name: service.organization.name,
      description: service.organization.description ?? null,
      website: service.organization.url ?? null,
      email: service.organization.email ?? null
    },
    phones: service.phones.map((p, i) => ({ id: `${service.id}-phone-${i + 1}`, service_id: service.id, number: p.number, type: p.kind === 'sms' ? 'sms' : 'voice', description: p.description ?? p.display })),
    schedules: service.hours ? toHsdsSchedules(service.hours, { serviceId: service.id }) : [],
    languages: service.languages.map((code) => ({ id: `${service.id}-language-${code}`, service_id: service.id, name: LANGUAGE_NAMES[code] ?? code, code })),
    service_at_locations: location ? [{ id: `${service.id}-at-${location.id}`, service_id: service.id, location_id: location.id, location }] : [],
    attributes: [
      ...service.categories.map((c) => ({ id: `${service.id}-category-${c}`, link_id: service.id, link_type: 'service', link_entity: 'service', value: c, taxonomy_term: { id: `relais-category-${c}`, code: c, name: c, taxonomy: 'relais-category' } })),
      ...service.audiences.map((a) => ({ id: `${service.id}-audience-${a}`, link_id: service.id, link_type: 'service', link_entity: 'service', value: a, taxonomy_term: { id: `relais-audience-${a}`, code: a, name: a, taxonomy: 'relais-audience' } }))
    ],
    x_relais: {
      source_locale: service.sourceLocale,
      translations: service.texts,
      audiences: service.audiences,
      free: service.free,
      wheelchair: service.wheelchair,
      region: service.region,
      national: service.national,
      sample: service.sample,
      last_verified_at: service.lastVerifiedAt,
      last_verified_by: service.lastVerifiedBy,
      hours_alternative: service.hoursAlternative,
      hours_unknown: service.hours === null,
      phones: service.phones
    }
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/**
 * An HSDS service object (ours or another publisher's) → a validated record.
 * Issues name the record and the HSDS field (e.g. 'schedules.2.byday').
 */
export function fromHsdsService(input: unknown, recordLabel: string): { ok: true; value: DirectoryService; redacted: boolean } | { ok: false; issues: RecordIssue[] } {
  const issue = (field: string, code: string, message: string): { ok: false; issues: RecordIssue[] } => ({ ok: false, issues: [{ record: recordLabel, field, code, message }] });
  if (!isRecord(input)) return issue('(record)', 'invalid_type', 'a service object is expected');
  const label = typeof input.id === 'string' ? `${recordLabel} (${input.id})` : recordLabel;
  const x = isRecord(input.x_relais) ? (input.x_relais as RelaisExtension) : {};
  const sourceLocale = x.source_locale ?? 'fr';
  const org = isRecord(input.organization) ? input.organization : {};
  const issues: RecordIssue[] = [];

  let hours: DirectoryService['hours'] = null;
  const schedules = Array.isArray(input.schedules) ? (input.schedules as HsdsSchedule[]) : [];
  if (schedules.length > 0 || x.hours_unknown === false) {
    const parsed = fromHsdsSchedules(schedules);
    if (parsed.ok) hours = parsed.value;
    else for (const e of parsed.errors) issues.push({ record: label, field: `schedules.${e.path}`, code: e.code, message: `schedule not understood: ${e.code}` });
  }

  const sal = Array.isArray(input.service_at_locations) ? input.service_at_locations : [];
  if (sal.length > 1) issues.push({ record: label, field: 'service_at_locations', code: 'unsupported', message: 'at most one location per service' });
  const rawLoc = isRecord(sal[0]) && isRecord(sal[0].location) ? (sal[0].location as Record<string, unknown>) : null;
  const redacted = Boolean(rawLoc && isRecord(rawLoc.x_relais) && rawLoc.x_relais.redacted === true);
  const address = rawLoc && Array.isArray(rawLoc.addresses) && isRecord(rawLoc.addresses[0]) ? (rawLoc.addresses[0] as Record<string, unknown>) : null;
  const locPhones = rawLoc && Array.isArray(rawLoc.phones) ? rawLoc.phones.filter(isRecord) : [];

  const attributes = Array.isArray(input.attributes) ? input.attributes.filter(isRecord) : [];
  const termsOf = (taxonomy: string) =>
    attributes
      .map((a) => (isRecord(a.taxonomy_term) ? a.taxonomy_term : null))
      .filter((t): t is Record<string, unknown> => t !== null && t.taxonomy === taxonomy)
      .map((t) => String(t.code ?? ''));

  const texts =
    x.translations ??
    ({
      [sourceLocale]: {
        name: str(input.name) ?? '',
        ...(str(input.description) ? { description: str(input.description)! } : {}),
        ...(str(input.eligibility_description) ? { eligibility: str(input.eligibility_description)! } : {}),
        ...(rawLoc && str(rawLoc.transportation) ? { transport: str(rawLoc.transportation)! } : {})
      }
    } as DirectoryService['texts']);

  const candidate = {
    id: input.id,
    organization: {
      id: str(org.id) ?? input.organization_id,
      name: str(org.name) ?? str(input.name),
      ...(str(org.description) ? { description: org.description } : {}),
      ...(str(org.website) ? { url: org.website } : {}),
      ...(str(org.email) ? { email: org.email } : {})
    },
    status: input.status,
    sourceLocale,
    texts,
    categories: termsOf('relais-category'),
    audiences: x.audiences ?? termsOf('relais-audience'),
    languages: (Array.isArray(input.languages) ? input.languages.filter(isRecord) : []).map((l) => l.code).filter((c) => typeof c === 'string'),
    free: x.free ?? null,
    wheelchair: x.wheelchair ?? null,
    ...(str(input.url) ? { url: input.url } : {}),
    ...(str(input.email) ? { email: input.email } : {}),
    phones: x.phones ?? (Array.isArray(input.phones) ? input.phones.filter(isRecord) : []).map((p) => ({
      number: String(p.number ?? '').replace(/[\s.-]/g, ''),
      display: str(p.description) && /^[+0-9 ]+$/.test(String(p.description)) ? p.description : String(p.number ?? ''),
      kind: p.type === 'sms' || p.type === 'text' ? 'sms' : 'voice',
      ...(str(p.description) && !/^[+0-9 ]+$/.test(String(p.description)) ? { description: p.description } : {})
    })),
    hours,
    hoursAlternative: x.hours_alternative ?? null,
    location: rawLoc
      ? {
          id: rawLoc.id,
          ...(!redacted && str(rawLoc.name) ? { name: rawLoc.name } : {}),
          ...(address && str(address.address_1) ? { address: address.address_1 } : {}),
          ...(address && str(address.postal_code) ? { postalCode: address.postal_code } : {}),
          ...(address && str(address.city) ? { city: address.city } : {}),
          ...(rawLoc.external_identifier_type === 'insee_commune' && str(rawLoc.external_identifier) ? { communeCode: rawLoc.external_identifier } : {}),
          ...(typeof rawLoc.latitude === 'number' ? { latitude: rawLoc.latitude } : {}),
          ...(typeof rawLoc.longitude === 'number' ? { longitude: rawLoc.longitude } : {}),
          confidential: redacted,
          ...(redacted && locPhones[0] ? { frontDoorPhone: String(locPhones[0].number) } : {})
        }
      : null,
    region: x.region ?? null,
    national: x.national ?? false,
    sample: x.sample ?? false,
    lastVerifiedAt: x.last_verified_at ?? (str(input.assured_date) ? `${input.assured_date}T00:00:00.000Z` : null),
    lastVerifiedBy: x.last_verified_by ?? null
  };
  // A phone written with the description holding the display form: keep our display.
  const phones = candidate.phones as Array<{ number: string; display: unknown }>;
  for (const p of phones) if (typeof p.display !== 'string' || p.display === '') p.display = p.number;
  const result = validateService(candidate, recordLabel);
  if (!result.ok) return { ok: false, issues: [...issues, ...result.issues] };
  if (issues.length) return { ok: false, issues };
  return { ok: true, value: result.value, redacted };
}

