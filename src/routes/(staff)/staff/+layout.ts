import type { LayoutLoad } from './$types';
import { translator } from '$lib/i18n/translate';

// The signed-in pages' language: the browser's, or a member's own (+layout.server.ts).
export const load: LayoutLoad = ({ data }) => ({ ...data, t: translator(data.locale) });
