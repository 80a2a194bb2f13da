/**
 * An iCalendar (RFC 5545) file for one deadline, with no personal data: no name, no
 * notification date, no place — only a neutral summary ("Deadline: appeal"), the time,
 * two reminders and the "information, not legal advice" line. Someone looking at her
 * calendar learns no more than that something is due. Pure: runs in the browser too.
 */
import type { Translate } from '../i18n/translate';
import { parseIsoDateTime } from '../time/paris-time';
import { formatParisDateTime } from './answer';
import type { Procedure } from './engine';

/** The neutral word for what she must do, per procedure (never "OQTF" in her calendar). */
const actionOf: Record<Procedure, string> = {
  oqtf: 'deadlines.ics.summary.appeal',
  'retention-placement': 'deadlines.ics.summary.appeal',
  cnda: 'deadlines.ics.summary.appeal',
  'reflection-period': 'deadlines.ics.summary.decide',
  civi: 'deadlines.ics.summary.claim'
};

/** 'YYYYMMDDTHHMMSSZ' (a UTC DATE-TIME value). */
export function utcStamp(instant: Date): string {
  return instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Escapes TEXT values (RFC 5545 §3.3.11). */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence. */
export function fold(line: string): string {
  const encoder = new TextEncoder();
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    if (size + bytes > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += bytes;
  }
  out.push(current);
  return out.join('\r\n ');
}

/**
 * The .ics text of a deadline (ISO 8601 with offset, as in the answer); `now` is only
 * the file's DTSTAMP.
 * @throws RangeError('invalid_date') when `deadline` is not a date-time.
 */
export function deadlineIcs(
  answer: { procedure: Procedure; deadline: string },
  t: Translate,
  now: Date = new Date()
): string {
  const end = parseIsoDateTime(answer.deadline);
  if (!end) throw new RangeError('invalid_date');
  const summary = t('deadlines.ics.summary', { action: t(actionOf[answer.procedure]) });
  const description = `${t('deadlines.ics.description', { time: formatParisDateTime(t, end) })}\n${t('deadlines.disclaimer')}`;
  const reminder = t('deadlines.ics.reminder');
  const stamp = utcStamp(end);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Relais//Deadline//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    // Derived from the deadline alone: the same deadline gives the same event, nothing else.
    `UID:deadline-${stamp}@relais.invalid`,
    `DTSTAMP:${utcStamp(now)}`,
    // The event ends at the deadline and lasts 30 minutes before it: a calendar shows it
    // on the right day and the end is the last moment.
    `DTSTART:${utcStamp(new Date(end.getTime() - 30 * 60_000))}`,
    `DTEND:${stamp}`,
    `SUMMARY:${escapeText(summary)}`,
    `DESCRIPTION:${escapeText(description)}`,
    'TRANSP:OPAQUE',
    'CLASS:PRIVATE',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText(reminder)}`,
    'TRIGGER;RELATED=END:-P1D',
    'END:VALARM',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText(reminder)}`,
    'TRIGGER;RELATED=END:-PT3H',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR'
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** The file name offered for download: neutral, no date of birth or name. */
export const icsFileName = 'deadline.ics';
