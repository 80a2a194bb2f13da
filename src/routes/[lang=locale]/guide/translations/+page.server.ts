import type { PageServerLoad } from './$types';
import { translationTable } from '$lib/server/guide/content';

export const load: PageServerLoad = () => ({ rows: translationTable() });
