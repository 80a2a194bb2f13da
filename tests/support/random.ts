/**
 * A deterministic pseudo-random generator for property tests: the same cases on every
 * run. `random(n)` is a whole number from 0 to n - 1.
 */
export function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

/** Minutes since midnight as 'HH:MM' (1440 → '24:00'). */
export const hhmm = (minutes: number): string =>
  minutes === 1440 ? '24:00' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
