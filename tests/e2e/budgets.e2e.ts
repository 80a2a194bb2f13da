import { describe, expect, inject, it } from 'vitest';
import { FIRST_SCREEN_BUDGET, measurePage } from '../../bench/page-weight';
import { everyPublicPage } from './support/public-pages';

const baseUrl = inject('baseUrl');

describe('page weight budget', () => {
  it.each(everyPublicPage())('$url: HTML + CSS fit in 14 KB compressed', async ({ url }) => {
    const weight = await measurePage(baseUrl, url);
    expect(weight.status).toBe(200);
    expect(weight.cssBytes, 'the stylesheet is linked and served').toBeGreaterThan(0);
    expect(weight.compressedBytes, `${url}: ${weight.compressedBytes} bytes`).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET);
  });
});
