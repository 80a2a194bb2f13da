import type { LocaleCode } from './locales';
import fr from './messages/fr.json';
import en from './messages/en.json';
import pcm from './messages/pcm.json';

/** One catalogue per language; French is the source every other one is checked against. */
export const catalogues: Record<LocaleCode, Record<string, string>> = { fr, en, pcm };
