import type { LayoutServerLoad } from './$types';
import { appConfig } from '$lib/server/app-config';

export const load: LayoutServerLoad = ({ locals }) => ({
  locale: locals.locale,
  quickExitUrl: appConfig().quickExitUrl
});
