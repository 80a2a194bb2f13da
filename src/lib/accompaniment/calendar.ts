/**
 * A helper's private calendar feed (RFC 5545), one event per open deadline of the people
 * assigned to her. An event names the person by her pseudonym's initials only, with the
 * deadline's words and the procedure — never a name, a note or a place: a calendar lives
 * on phones and in other companies' clouds. The link in it opens her record, after sign-in.
 * Pure; escaping and line folding are the public calculator's (`deadlines/ics.ts`).
 */
import { escapeText, fold, utcStamp } from '../deadlines/ics';
import { formatDateTime, type Translate } from '../i18n/translate';

export interface FeedEvent {
  /** Stable for one deadline (calendar apps update the event instead of adding one); no data in it. */
  uid: string;
  initials: string;
  deadlineKey: string;
  procedureKind: string;
  category: string;
  /** ISO UTC. */
  due: string;
  uncertain: boolean;
  /** Her record (staff must sign in). */
  link: string;
}

const UID = /^[A-Za-z0-9_-]{8,100}$/;

/** The feed's text; `now` is only its DTSTAMP. Throws RangeError for a malformed event. */
export function feedIcs(events: readonly FeedEvent[], t: Translate, now: Date = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Relais//Case deadlines//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(t('reminder.calendar.name'))}`,
    // Calendar apps that honour them check again every hour.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H'
  ];
  for (const event of events) {
    const due = new Date(event.due);
    if (Number.isNaN(due.getTime()) || !UID.test(event.uid)) throw new RangeError('invalid_event');
    const deadline = t(`case.deadline.${event.deadlineKey}`);
    const description = [
      t(`case.procedure.${event.procedureKind}`),
      t('reminder.calendar.due', { date: formatDateTime(t, due) }),
      ...(event.uncertain ? [t('reminder.uncertain')] : []),
      t('reminder.calendar.link', { link: event.link })
    ].join('\n');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.uid}@relais.invalid`,
      `DTSTAMP:${utcStamp(now)}`,
      // Like the calculator's file: the event ends at the deadline, half an hour long.
      `DTSTART:${utcStamp(new Date(due.getTime() - 30 * 60_000))}`,
      `DTEND:${utcStamp(due)}`,
      `SUMMARY:${escapeText(t('reminder.calendar.summary', { initials: event.initials, deadline }))}`,
      `DESCRIPTION:${escapeText(description)}`,
      `URL:${event.link}`,
      'CLASS:PRIVATE',
      'TRANSP:TRANSPARENT'
    );
    if (event.category === 'legal') {
      // The calendar warns too, two days and three hours before (the emails say the same).
      for (const trigger of ['-P2D', '-PT3H']) {
        lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(deadline)}`, `TRIGGER;RELATED=END:${trigger}`, 'END:VALARM');
      }
    }
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
