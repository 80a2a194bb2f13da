import type { PageServerLoad } from './$types';
import { procedures } from '$lib/deadlines/rules';

// Nothing she does here is stored: the list is the same for everyone.
export const load: PageServerLoad = () => ({ procedures: [...procedures] });
