/**
 * What the directory card says about a service right now, as data: the page turns
 * it into words in the reader's language ("open until 17:00", "closed — opens
 * Monday 9:00", "open 24 hours"). No strings here, so every locale words it its own way.
 */
import { addParisDays, fromParis, parisDateKey, toParis } from '../time/paris-time';
import { statusAt, type OpeningHours } from './opening-hours';

export type StatusKind =
  /** open, `time` = when it closes */
  | 'open_until'
  /** open, closing within CLOSING_SOON_MINUTES; `time` = when it closes */
  | 'closing_soon'
  /** open with no closing within the next two weeks (24/7 and the like) */
  | 'open_24h'
  /** closed, `time` = next opening */
  | 'closed_opens_at'
  /** closed, no opening in the next 14 days (long closure, or no hours at all) */
  | 'closed_unknown'
  /**
   * during usual hours on a public holiday whose policy is unknown: the page tells her
   * to call first; `time` = the next certain opening, if any
   */
  | 'hours_unknown';

export interface StatusDescription {
  kind: StatusKind;
  time?: Date;
  /**
   * `time` falls on the same Paris day as the moment asked about — or is the midnight
   * that ends it — so the page can say "until 17:00" rather than "until Tuesday 17:00".
   */
  sameDay: boolean;
  /** ISO weekday (1 = Monday … 7 = Sunday) of `time` in Paris, when `time` is set */
  weekday?: number;
}

/** "Closing soon" threshold. An hour gives time to get there by public transport. */
export const CLOSING_SOON_MINUTES = 60;

function withTime(kind: StatusKind, time: Date, at: Date): StatusDescription {
  const day = parisDateKey(at);
  const local = toParis(time);
  const [year, month, date] = addParisDays(day, 1).split('-').map(Number) as [number, number, number];
  const endOfDay = fromParis({ year, month, day: date, hour: 0, minute: 0 });
  const sameDay = parisDateKey(time) === day || time.getTime() === endOfDay.getTime();
  return { kind, time, sameDay, weekday: local.weekday };
}

/** Describes the status of `hours` at `at` for the UI (see StatusKind). */
export function describeStatus(
  hours: OpeningHours,
  at: Date,
  closingSoonMinutes = CLOSING_SOON_MINUTES
): StatusDescription {
  const status = statusAt(hours, at);
  if (status.open) {
    if (!status.closesAt) return { kind: 'open_24h', sameDay: true };
    const soon = status.closesAt.getTime() - at.getTime() <= closingSoonMinutes * 60_000;
    return withTime(soon ? 'closing_soon' : 'open_until', status.closesAt, at);
  }
  if (status.unknown) {
    if (status.opensNext) return withTime('hours_unknown', status.opensNext, at);
    return { kind: 'hours_unknown', sameDay: true };
  }
  if (status.opensNext) return withTime('closed_opens_at', status.opensNext, at);
  return { kind: 'closed_unknown', sameDay: true };
}
