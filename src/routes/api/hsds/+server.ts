import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** GET /api/hsds — HSDS 3.0 API root: what this publisher serves. */
export const GET: RequestHandler = () =>
  json({
    version: '3.0',
    profile: 'https://docs.openreferral.org/en/3.0/',
    openapi_url: null,
    endpoints: ['/api/hsds/services', '/api/hsds/services/{id}'],
    notes:
      'Relais publishes services with nested organization, phones, schedules, languages, service_at_locations and attributes. Confidential locations are published as location_type "redacted" without address or coordinates.'
  });
