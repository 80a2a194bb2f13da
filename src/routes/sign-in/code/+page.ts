import type { PageLoad } from './$types';
import { translator } from '$lib/i18n/translate';

// Her language, from the page's address (the root layout's is the browser's).
export const load: PageLoad = ({ data }) => ({ ...data, t: translator(data.locale) });
