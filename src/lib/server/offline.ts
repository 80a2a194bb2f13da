import { procedures } from '../deadlines/rules';

/**
 * Pages, besides the guide, that the service worker keeps offline (paths without the
 * language). The calculator computes in the browser, so its pages work in airplane mode.
 */
export const offlineExtraPaths: string[] = ['/deadlines', ...procedures.map((p) => `/deadlines/${p}`), '/directory/offline'];

/** Data the service worker keeps beside the pages (no language in the path). */
export const offlineData: string[] = ['/api/directory/snapshot?region=idf'];
