import type { LayoutLoad } from './$types';
import { translator } from '$lib/i18n/translate';

// Public pages are plain HTML: no script is needed to read them. A page that adds
// something with JavaScript (the calculator offline) turns it on for itself.
export const csr = false;

export const load: LayoutLoad = ({ data }) => ({ ...data, t: translator(data.locale) });
