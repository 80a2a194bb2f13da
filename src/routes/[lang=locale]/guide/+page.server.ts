import type { PageServerLoad } from './$types';
import { listTopics } from '$lib/server/guide/content';

export const load: PageServerLoad = ({ locals }) => ({
  topics: listTopics(locals.locale).map(({ id, title, summary, pictogram, status, fallback }) => ({ id, title, summary, pictogram, status, fallback }))
});
