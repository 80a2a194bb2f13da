/**
 * What a contribution may say about itself: its consent per use, its content note, the
 * language of its text, an audio recording's type and size. Pure: the forms and the service
 * share it.
 */

/** Consent per use, from the most protective: internal only / may be summarised / may be quoted anonymously. */
export const CONSENTS = ['internal', 'summarise', 'quote'] as const;
export type Consent = (typeof CONSENTS)[number];
export const DEFAULT_CONSENT: Consent = 'internal';

export function isConsent(value: unknown): value is Consent {
  return typeof value === 'string' && (CONSENTS as readonly string[]).includes(value);
}

/** A short list of content notes, so readers can choose when to read. */
export const CONTENT_NOTES = ['violence', 'sexual_violence', 'police', 'health', 'children', 'migration', 'money'] as const;
export type ContentNote = (typeof CONTENT_NOTES)[number];

export function isContentNote(value: unknown): value is ContentNote {
  return typeof value === 'string' && (CONTENT_NOTES as readonly string[]).includes(value);
}

/** Languages a text may be written in (BCP 47 codes; names come from the browser's Intl). */
export const TEXT_LANGUAGES = ['fr', 'en', 'pcm', 'es', 'pt', 'it', 'ro', 'bg', 'hu', 'sq', 'ru', 'uk', 'zh', 'ar', 'tr', 'yo', 'ig', 'bin', 'ha', 'tw', 'ln', 'wo'] as const;

export function isTextLanguage(value: unknown): value is string {
  return typeof value === 'string' && (TEXT_LANGUAGES as readonly string[]).includes(value);
}

/** Who wrote or entered a contribution. */
export const SOURCES = ['member', 'facilitator', 'workshop'] as const;
export type Source = (typeof SOURCES)[number];

/** Longest text and translation, in characters. */
export const MAX_TEXT_LENGTH = 10_000;
/** Longest workshop batch (all its lines), in characters, and most lines in one batch. */
export const MAX_BATCH_LENGTH = 50_000;
export const MAX_BATCH_LINES = 300;

/** A short recording: at most 5 MB. */
export const MAX_AUDIO_BYTES = 5 * 1024 * 1024;

/** Audio types a phone or a browser records in (the type's parameters are dropped). */
export const AUDIO_TYPES = ['audio/webm', 'audio/ogg', 'audio/mp4', 'audio/mpeg', 'audio/wav', 'audio/x-wav', 'audio/aac', 'audio/x-m4a', 'audio/3gpp', 'audio/amr'] as const;

/** The recording's type without parameters, or null when it is not audio we take. */
export function audioTypeOf(declared: string): string | null {
  const type = declared.split(';')[0]!.trim().toLowerCase();
  return (AUDIO_TYPES as readonly string[]).includes(type) ? type : null;
}

/** The lines of a workshop batch: one contribution per non-blank line, bullets and numbers dropped. */
export function batchLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/^\s*(?:[-*•–·]|\d{1,3}[.)])\s+/, '').replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '');
}

/** A language's name in the reader's language (the browser's or Node's Intl); its code if unknown. */
export function languageName(code: string, readerLocale: string): string {
  if (code === 'pcm') return 'Naijá (Pidgin)';
  try {
    return new Intl.DisplayNames([readerLocale === 'pcm' ? 'en' : readerLocale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
