import type { RequestHandler } from './$types';
import { answerFor } from '$lib/deadlines/answer';
import { DeadlineInputError } from '$lib/deadlines/engine';
import { deadlineIcs, icsFileName } from '$lib/deadlines/ics';
import { procedures, type Procedure } from '$lib/deadlines/rules';
import { parseIsoDateTime, formatIsoParis } from '$lib/time/paris-time';
import { inputErrorResponse, noStore, requestedTranslator, unknownLanguage } from '$lib/server/deadlines/http';

/**
 * GET /api/deadlines/ics — the deadline as a calendar file, with no personal data.
 * Either the same questions as /api/deadlines (procedure, notified, custody,
 * departure_period), or `procedure` + `deadline` as the answer gave it (the page's link
 * uses this: the notification date and where she is stay out of the URL).
 */
export const GET: RequestHandler = ({ url }) => {
  const t = requestedTranslator(url);
  if (!t) return unknownLanguage();
  const q = url.searchParams;
  try {
    let event: { procedure: Procedure; deadline: string };
    const given = q.get('deadline');
    if (given !== null && q.get('notified') === null) {
      const procedure = q.get('procedure') ?? '';
      if (!(procedures as readonly string[]).includes(procedure)) throw new DeadlineInputError('unknown_procedure', 'procedure');
      const instant = parseIsoDateTime(given);
      if (!instant) throw new DeadlineInputError('invalid_date', 'deadline');
      event = { procedure: procedure as Procedure, deadline: formatIsoParis(instant) };
    } else {
      event = answerFor(
        { procedure: q.get('procedure'), notified: q.get('notified'), custody: q.get('custody'), departure_period: q.get('departure_period') },
        t
      );
    }
    return new Response(deadlineIcs(event, t), {
      headers: {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': `attachment; filename="${icsFileName}"`,
        ...noStore
      }
    });
  } catch (error) {
    return inputErrorResponse(error, t);
  }
};
