import { describe, expect, it } from 'vitest';
import { parseKeys } from './full-text';

describe('the full-text index\'s keys, as one string of numbers', () => {
  it('reads every number, and nothing from nothing', () => {
    expect([...parseKeys('12,5,907')]).toEqual([12, 5, 907]);
    expect([...parseKeys('0')]).toEqual([0]);
    expect([...parseKeys('2147483647,1')]).toEqual([2147483647, 1]);
    expect(parseKeys(null)).toHaveLength(0);
    expect(parseKeys('')).toHaveLength(0);
  });
});
