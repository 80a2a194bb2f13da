import { describe, expect, it } from 'vitest';
import { delayAfter, FORGET_AFTER_MS, MAX_DELAY_MS, Throttle } from './throttle';

describe('delayAfter', () => {
  it('lets three failures pass, then doubles from one second, capped at 15 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 13].map(delayAfter)).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 1024_000 > MAX_DELAY_MS ? MAX_DELAY_MS : 1024_000]);
    expect(delayAfter(12)).toBe(512_000);
    expect(delayAfter(13)).toBe(MAX_DELAY_MS);
    expect(delayAfter(1000)).toBe(MAX_DELAY_MS);
  });
});

describe('Throttle', () => {
  it('makes her wait after repeated failures, per subject, the longest wait wins', () => {
    const throttle = new Throttle();
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) throttle.recordFailure(['account:a', 'address:1'], t0);
    expect(throttle.waitFor(['account:a'], t0)).toBe(2000);
    expect(throttle.waitFor(['account:a'], t0 + 1500)).toBe(500);
    expect(throttle.waitFor(['account:a'], t0 + 2000)).toBe(0);
    expect(throttle.waitFor(['account:b', 'address:1'], t0)).toBe(2000);
    expect(throttle.waitFor(['account:b', 'address:2'], t0)).toBe(0);
  });
  it('a success clears the account; a counter is forgotten after a day', () => {
    const throttle = new Throttle();
    for (let i = 0; i < 5; i++) throttle.recordFailure(['account:a'], 0);
    expect(throttle.failuresOf('account:a')).toBe(5);
    throttle.reset(['account:a']);
    expect(throttle.waitFor(['account:a'], 0)).toBe(0);
    for (let i = 0; i < 5; i++) throttle.recordFailure(['address:9'], 0);
    expect(throttle.waitFor(['address:9'], FORGET_AFTER_MS + 1)).toBe(0);
    expect(throttle.failuresOf('address:9')).toBe(0);
  });
  it('an attempt counted up front is given back on success', () => {
    const throttle = new Throttle();
    throttle.recordFailure(['address:1'], 0);
    throttle.recordFailure(['address:1'], 0);
    throttle.forgive(['address:1']);
    expect(throttle.failuresOf('address:1')).toBe(1);
    throttle.forgive(['address:1', 'address:2']);
    expect(throttle.failuresOf('address:1')).toBe(0);
  });
});
