/**
 * Counts of people shown on a page: never a number below 5 (issue 7: "no count below 5 is
 * ever shown"), which could point at someone in a small group. Pure.
 */

/** The smallest count shown as a number. */
export const MIN_SHOWN_COUNT = 5;

/** The message to show for a count: `{ key, values }` for the page's translator. */
export interface CountMessage {
  key: 'participation.count.fewer_than_5' | 'participation.count.number';
  values: { count: number };
}

/** A count as it may be shown: "fewer than 5" below 5 (0 too), else the number. */
export function countForDisplay(n: number): CountMessage {
  if (!Number.isFinite(n) || n < MIN_SHOWN_COUNT) return { key: 'participation.count.fewer_than_5', values: { count: MIN_SHOWN_COUNT } };
  return { key: 'participation.count.number', values: { count: Math.floor(n) } };
}
