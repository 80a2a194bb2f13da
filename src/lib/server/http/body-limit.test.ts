import { describe, expect, it } from 'vitest';
import { bodyTooLarge, isUploadPath, RECORDING_BODY_LIMIT, SMALL_BODY_LIMIT } from './body-limit';

describe('bodyTooLarge', () => {
  it('lets a large body through only to the documents of a record', () => {
    const big = String(10 * 1024 * 1024);
    expect(bodyTooLarge('/staff/people/4a0c/documents', big)).toBe(false);
    expect(bodyTooLarge('/sign-in', big)).toBe(true);
    expect(bodyTooLarge('/staff/people/4a0c', big)).toBe(true);
    expect(bodyTooLarge('/staff/people/4a0c/documents/extra', big)).toBe(true);
    expect(bodyTooLarge('/staff/people/a/b/documents', big)).toBe(true);
  });

  it('keeps the small limit elsewhere, and leaves a body without a declared length to the server', () => {
    expect(bodyTooLarge('/sign-in', String(SMALL_BODY_LIMIT))).toBe(false);
    expect(bodyTooLarge('/sign-in', String(SMALL_BODY_LIMIT + 1))).toBe(true);
    expect(bodyTooLarge('/sign-in', null)).toBe(false);
    expect(bodyTooLarge('/sign-in', 'nonsense')).toBe(false);
    expect(isUploadPath('/staff/people/x/documents/')).toBe(true);
  });

  it("lets a member's answer carry a short recording, and no more", () => {
    expect(bodyTooLarge('/staff/participate/4a0c', String(5 * 1024 * 1024 + 200_000))).toBe(false);
    expect(bodyTooLarge('/staff/participate/4a0c', String(RECORDING_BODY_LIMIT + 1))).toBe(true);
    expect(bodyTooLarge('/staff/participate/4a0c/audio/x', String(SMALL_BODY_LIMIT + 1))).toBe(true);
    expect(bodyTooLarge('/staff/participate', String(SMALL_BODY_LIMIT + 1))).toBe(true);
  });
});
