/**
 * Brute-force throttling with growing delays, per account and per network address.
 *
 * WHERE THE COUNTERS LIVE: in the memory of the server process, on purpose. They hold no
 * personal data (keys are HMACs of the account id or the address under a per-process random
 * key, never the address or the email itself), they vanish at restart (a restart is visible
 * in the operator's logs, and an attacker cannot cause one from outside), and nothing is
 * written to disk that could later show who tried to sign in from where. Limits: with several
 * server processes each keeps its own counters (Relais runs one process per instance).
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Failures allowed without any delay. */
export const FREE_FAILURES = 3;
/** The longest delay between two attempts: 15 minutes. */
export const MAX_DELAY_MS = 15 * 60_000;
/** A counter is forgotten after 24 hours without failure. */
export const FORGET_AFTER_MS = 24 * 3600_000;

/** The delay imposed after `failures` consecutive failures: 0, 0, 0, 1 s, 2 s, 4 s … capped at 15 min. */
export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  const exponent = Math.min(failures - FREE_FAILURES, 30);
  return Math.min(1000 * 2 ** exponent, MAX_DELAY_MS);
}

interface Counter {
  failures: number;
  lastFailureAt: number;
}

export class Throttle {
  private readonly counters = new Map<string, Counter>();
  private readonly key = randomBytes(32);

  /** The opaque key of a subject, e.g. `account:<id>` or `address:<ip>`. */
  private opaque(subject: string): string {
    return createHmac('sha256', this.key).update(subject).digest('base64url');
  }

  /** Milliseconds she must still wait before trying for these subjects (0: may try now). */
  waitFor(subjects: string[], now: number): number {
    let wait = 0;
    for (const subject of subjects) {
      const counter = this.counters.get(this.opaque(subject));
      if (!counter) continue;
      if (now - counter.lastFailureAt > FORGET_AFTER_MS) {
        this.counters.delete(this.opaque(subject));
        continue;
      }
      wait = Math.max(wait, counter.lastFailureAt + delayAfter(counter.failures) - now);
    }
    return Math.max(0, wait);
  }

  recordFailure(subjects: string[], now: number): void {
    for (const subject of subjects) {
      const key = this.opaque(subject);
      const counter = this.counters.get(key);
      this.counters.set(key, { failures: (counter?.failures ?? 0) + 1, lastFailureAt: now });
    }
    // Bounded memory: a flood of addresses cannot grow the map for ever.
    if (this.counters.size > 100_000) {
      for (const [key, counter] of this.counters) if (now - counter.lastFailureAt > 3600_000) this.counters.delete(key);
    }
  }

  /**
   * Takes back one failure (an attempt is counted BEFORE it is checked, so that parallel
   * requests cannot all slip through while the password is being verified; a success then
   * gives the attempt back to the address).
   */
  forgive(subjects: string[]): void {
    for (const subject of subjects) {
      const key = this.opaque(subject);
      const counter = this.counters.get(key);
      if (!counter) continue;
      if (counter.failures <= 1) this.counters.delete(key);
      else this.counters.set(key, { ...counter, failures: counter.failures - 1 });
    }
  }

  /** A success clears the account's counter (the address keeps its own). */
  reset(subjects: string[]): void {
    for (const subject of subjects) this.counters.delete(this.opaque(subject));
  }

  failuresOf(subject: string): number {
    return this.counters.get(this.opaque(subject))?.failures ?? 0;
  }
}
