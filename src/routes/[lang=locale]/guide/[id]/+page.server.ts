import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { findTopic } from '$lib/server/guide/content';

export const load: PageServerLoad = ({ locals, params }) => {
  const topic = findTopic(locals.locale, params.id);
  if (!topic) error(404, { code: 'not_found', message: 'not_found' });
  return { topic };
};
