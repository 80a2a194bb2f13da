import { describe, expect, it } from 'vitest';
import { orderedId, requiredText, ParticipationRefusedError } from './deliberation';

describe('orderedId', () => {
  it('sorts in creation order, within one millisecond too, and looks like a UUID', () => {
    const ids = Array.from({ length: 50 }, (_, i) => orderedId(1_700_000_000_000 + Math.floor(i / 10)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('requiredText', () => {
  it('trims, and refuses empty or too long text on its field', () => {
    expect(requiredText('  Pay survivors.  ', 'text', 20)).toBe('Pay survivors.');
    expect(() => requiredText('   ', 'text', 20)).toThrow(ParticipationRefusedError);
    expect(() => requiredText(42, 'text', 20)).toThrow(ParticipationRefusedError);
    try {
      requiredText('x'.repeat(21), 'title', 20);
    } catch (e) {
      expect(e).toMatchObject({ field: 'title', key: 'participation.deliberation.error.too_long' });
    }
  });
});
