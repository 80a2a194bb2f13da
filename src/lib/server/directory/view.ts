/**
 * What pages, the JSON API and the offline snapshot show of a service: public data
 * only (a confidential place's address never leaves here), with its status at a
 * moment as data (words are the page's job, in her language).
 */
import { describeStatus, type StatusDescription } from '../../directory/status-words';
import { daySchedule, statusAt, type OpeningHours, type TimeSlot } from '../../directory/opening-hours';
import { addParisDays, formatIsoParis, fromParis, parisDateKey, parseIsoDateTime } from '../../time/paris-time';
import { isVerificationStale, monthsBetween } from '../../directory/taxonomy';
import type { Notice } from './repository';
import { textsFor, type StoredService, type ServicePhone } from './model';
import { findPlace } from './places';

export interface PublicLocation {
  confidential: boolean;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  placeName: string | null;
  latitude: number | null;
  longitude: number | null;
  frontDoorPhone: string | null;
}

export interface ServiceSummary {
  id: string;
  name: string;
  /** the text is not in her language */
  fallback: boolean;
  lang: string;
  categories: string[];
  audiences: string[];
  languages: string[];
  free: boolean | null;
  phones: ServicePhone[];
  status: StatusDescription | null;
  national: boolean;
  sample: boolean;
  location: PublicLocation | null;
  distanceKm: number | null;
  fullUntil: Date | null;
  closedUntil: Date | null;
  verified: { at: Date | null; stale: boolean; months: number };
}

function publicLocation(service: StoredService): PublicLocation | null {
  const loc = service.location;
  if (!loc) return null;
  const place = loc.communeCode ? findPlace(loc.communeCode) : undefined;
  if (loc.confidential) {
    // Only the commune is said, never the street nor the coordinates.
    return { confidential: true, address: null, postalCode: null, city: loc.city ?? null, placeName: place?.name ?? null, latitude: null, longitude: null, frontDoorPhone: loc.frontDoorPhone ?? null };
  }
  return {
    confidential: false,
    address: loc.address ?? null,
    postalCode: loc.postalCode ?? null,
    city: loc.city ?? null,
    placeName: place?.name ?? null,
    latitude: loc.latitude ?? null,
    longitude: loc.longitude ?? null,
    frontDoorPhone: null
  };
}

function closedUntil(hours: OpeningHours | null, at: Date): Date | null {
  for (const c of hours?.closures ?? []) {
    const from = parseIsoDateTime(c.from);
    const to = parseIsoDateTime(c.to);
    if (from && to && from <= at && at < to) return to;
  }
  return null;
}

export function summarize(service: StoredService, locale: string, at: Date, notices: Notice[] = [], distanceKm: number | null = null): ServiceSummary {
  const texts = textsFor(service, locale);
  const verifiedAt = service.lastVerifiedAt ? new Date(service.lastVerifiedAt) : null;
  const full = notices.find((n) => n.kind === 'full');
  return {
    id: service.id,
    name: texts.name,
    fallback: texts.fallback,
    lang: texts.locale,
    categories: service.categories,
    audiences: service.audiences,
    languages: service.languages,
    free: service.free,
    phones: service.phones,
    status: service.hours ? describeStatus(service.hours, at) : null,
    national: service.national,
    sample: service.sample,
    location: publicLocation(service),
    distanceKm: distanceKm === null ? null : Math.round(distanceKm * 10) / 10,
    fullUntil: full ? new Date(full.expiresAt) : null,
    closedUntil: closedUntil(service.hours, at),
    verified: { at: verifiedAt, stale: isVerificationStale(service.lastVerifiedAt, at), months: verifiedAt ? monthsBetween(verifiedAt, at) : 0 }
  };
}

export interface DayHours {
  date: Date;
  dateKey: string;
  slots: TimeSlot[];
  unknown: boolean;
  note: string | null;
  today: boolean;
  holiday: boolean;
}

function atKey(key: string, hour: number): Date {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  return fromParis({ year, month, day, hour, minute: 0 });
}

/** The next seven Paris days from `at`, with the slots that start each day. */
export function weekAhead(hours: OpeningHours, at: Date): DayHours[] {
  const today = parisDateKey(at);
  const days: DayHours[] = [];
  for (let i = 0; i < 7; i++) {
    const key = addParisDays(today, i);
    const schedule = daySchedule(hours, key);
    const dayStart = atKey(key, 0);
    const dayEnd = atKey(addParisDays(key, 1), 0);
    const closedAllDay = (hours.closures ?? []).some((c) => {
      const from = parseIsoDateTime(c.from);
      const to = parseIsoDateTime(c.to);
      return from !== null && to !== null && from <= dayStart && to >= dayEnd;
    });
    days.push({
      date: atKey(key, 12),
      dateKey: key,
      slots: closedAllDay ? [] : schedule.slots,
      unknown: schedule.unknown,
      note: schedule.note ?? null,
      today: i === 0,
      holiday: schedule.source === 'public_holiday'
    });
  }
  return days;
}

/** Weekdays grouped by identical slots, for a compact "Monday–Friday 9:00–17:00". */
export function weeklyGroups(hours: OpeningHours): Array<{ weekdays: number[]; slots: TimeSlot[] }> {
  const groups: Array<{ weekdays: number[]; slots: TimeSlot[] }> = [];
  for (let d = 1; d <= 7; d++) {
    const slots = hours.alwaysOpen ? [{ opens: '00:00', closes: '24:00' }] : (hours.weekly[d as 1] ?? []);
    const key = JSON.stringify(slots);
    const last = groups[groups.length - 1];
    if (last && JSON.stringify(last.slots) === key) last.weekdays.push(d);
    else groups.push({ weekdays: [d], slots });
  }
  return groups.filter((g) => g.slots.length > 0);
}

/** The JSON API's view of a service (public fields, status at `at`). */
export function apiService(service: StoredService, locale: string, at: Date, notices: Notice[], distanceKm: number | null) {
  const summary = summarize(service, locale, at, notices, distanceKm);
  const status = service.hours ? statusAt(service.hours, at) : null;
  return {
    id: service.id,
    name: summary.name,
    language_of_text: summary.lang,
    categories: service.categories,
    audiences: service.audiences,
    languages: service.languages,
    free: service.free,
    open: status?.open ?? false,
    hours_known: status !== null && !status.unknown,
    closes_at: status?.closesAt ? formatIsoParis(status.closesAt) : null,
    opens_next: status?.opensNext ? formatIsoParis(status.opensNext) : null,
    full_tonight: summary.fullUntil !== null,
    phones: service.phones.map((p) => ({ number: p.number, display: p.display, kind: p.kind })),
    national: service.national,
    sample: service.sample,
    city: summary.location?.city ?? null,
    commune_code: service.location?.communeCode ?? null,
    latitude: summary.location?.latitude ?? null,
    longitude: summary.location?.longitude ?? null,
    confidential_location: summary.location?.confidential ?? false,
    distance_km: summary.distanceKm,
    last_verified: service.lastVerifiedAt,
    url: `/${locale}/directory/${encodeURIComponent(service.id)}`
  };
}

