import { describe, expect, it } from 'vitest';
import { countForDisplay } from './counts';

describe('countForDisplay', () => {
  it('never shows a number below 5: 0 to 4 read "fewer than 5"', () => {
    for (const n of [0, 1, 2, 3, 4, 4.9, -1, Number.NaN]) expect(countForDisplay(n).key).toBe('participation.count.fewer_than_5');
  });

  it('shows 5 and more as the number', () => {
    expect(countForDisplay(5)).toEqual({ key: 'participation.count.number', values: { count: 5 } });
    expect(countForDisplay(23)).toEqual({ key: 'participation.count.number', values: { count: 23 } });
  });
});
