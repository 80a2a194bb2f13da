import type { PageServerLoad } from './$types';
import { listTopics } from '$lib/server/guide/content';
import { searchGuide } from '$lib/guide/search';

export const load: PageServerLoad = ({ locals, url }) => {
  const query = (url.searchParams.get('q') ?? '').slice(0, 200);
  const hits = searchGuide(listTopics(locals.locale), query).map(({ item, snippet }) => ({
    id: item.id,
    title: item.title,
    pictogram: item.pictogram,
    snippet
  }));
  return { query, hits };
};
