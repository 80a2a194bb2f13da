import { describe, expect, it } from 'vitest';
import { audioTypeOf, batchLines, isConsent, DEFAULT_CONSENT } from './contributions';

describe('contributions', () => {
  it('defaults to the most protective consent and knows only the three uses', () => {
    expect(DEFAULT_CONSENT).toBe('internal');
    expect(isConsent('quote')).toBe(true);
    expect(isConsent('publish')).toBe(false);
  });

  it('takes recorded audio types, without their parameters, and nothing else', () => {
    expect(audioTypeOf('audio/webm;codecs=opus')).toBe('audio/webm');
    expect(audioTypeOf('AUDIO/MP4')).toBe('audio/mp4');
    expect(audioTypeOf('text/html')).toBeNull();
    expect(audioTypeOf('')).toBeNull();
  });

  it('splits a workshop batch into one line per contribution', () => {
    expect(batchLines('- Housing first\r\n\r\n2) Papers   take too long\n  • \n')).toEqual(['Housing first', 'Papers take too long']);
  });
});
