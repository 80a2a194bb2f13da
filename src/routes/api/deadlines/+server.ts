import type { RequestHandler } from './$types';
import { answerFor } from '$lib/deadlines/answer';
import { inputErrorResponse, jsonResponse, requestedTranslator, unknownLanguage } from '$lib/server/deadlines/http';

/**
 * GET /api/deadlines?procedure=…&notified=…&custody=…&departure_period=…[&lang=fr|en|pcm]
 * The deadline answer as JSON (docs/api.md). Bad input: 400 naming the field.
 */
export const GET: RequestHandler = ({ url }) => {
  const t = requestedTranslator(url);
  if (!t) return unknownLanguage();
  const q = url.searchParams;
  try {
    const answer = answerFor(
      { procedure: q.get('procedure'), notified: q.get('notified'), custody: q.get('custody'), departure_period: q.get('departure_period') },
      t
    );
    return jsonResponse(answer);
  } catch (error) {
    return inputErrorResponse(error, t);
  }
};
