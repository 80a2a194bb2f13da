/**
 * Search in the offline snapshot, on the phone: the same word matching (accents and
 * case ignored, prefixes) and the same opening-hours module as the server. Pure.
 */
import { isOpenAt, openThisWeekend, openTonight, type OpeningHours } from './opening-hours';
import { matchesWords, searchWords } from './search-text';

export interface OfflineService {
  id: string;
  names: Record<string, string>;
  sourceLocale: string;
  categories: string[];
  audiences: string[];
  languages: string[];
  free: boolean | null;
  hours: OpeningHours | null;
  phones: Array<{ number: string; display: string; kind: 'voice' | 'sms' }>;
  national: boolean;
  sample: boolean;
  city: string | null;
  lat: number | null;
  lon: number | null;
  /** normalised searchable text */
  text: string;
  lastVerifiedAt: string | null;
}

export interface OfflineSnapshot {
  format: 1;
  region: string;
  generatedAt: string;
  dataUpdatedAt: string | null;
  services: OfflineService[];
}

export interface OfflineQuery {
  words: string;
  category: string;
  when: '' | 'now' | 'tonight' | 'weekend';
  womenOnly: boolean;
  at: Date;
}

export function searchOffline(snapshot: OfflineSnapshot, query: OfflineQuery): OfflineService[] {
  const words = searchWords(query.words);
  return snapshot.services.filter((s) => {
    if (!matchesWords(s.text, words)) return false;
    if (query.category && !s.categories.includes(query.category)) return false;
    if (query.womenOnly && !s.audiences.includes('women_only')) return false;
    if (query.when) {
      if (!s.hours) return false;
      if (query.when === 'now' && !isOpenAt(s.hours, query.at)) return false;
      if (query.when === 'tonight' && !openTonight(s.hours, query.at)) return false;
      if (query.when === 'weekend' && !openThisWeekend(s.hours, query.at)) return false;
    }
    return true;
  });
}
