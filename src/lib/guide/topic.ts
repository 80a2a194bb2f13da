import { z } from 'zod';
import { categoryIds } from '../directory/taxonomy';

/** Directory categories, shared by the guide's front matter and the directory. */
export const directoryCategories = categoryIds;

export const pictograms = ['alert', 'document', 'police', 'shield', 'door', 'asylum', 'health', 'child', 'scales', 'lock', 'phone', 'home', 'clock'] as const;
export const procedures = ['oqtf', 'retention-placement', 'cnda', 'reflection-period', 'civi'] as const;
export const sectionKeys = ['what', 'rights', 'now', 'help'] as const;
export type SectionKey = (typeof sectionKeys)[number];
export type TranslationStatus = 'source' | 'reviewed' | 'draft';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The front matter of a guide page (docs/content-format.md). */
export const frontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(3),
    summary: z.string().min(3),
    pictogram: z.enum(pictograms),
    order: z.number().int().positive(),
    status: z.enum(['source', 'reviewed', 'draft']),
    // YAML reads an unquoted date as a Date: accept both and keep the text.
    last_checked: z.union([isoDate, z.date().transform((d) => d.toISOString().slice(0, 10))]),
    audio: z.string().regex(/^[\w.-]+\.(mp3|ogg|opus|m4a)$/).nullable().optional(),
    directory_categories: z.array(z.enum(directoryCategories)).default([]),
    calculator: z.enum(procedures).optional(),
    uncertain: z.boolean().default(false),
    references: z
      .array(z.object({ citation: z.string().min(3), url: z.string().url().optional() }).strict())
      .default([])
  })
  .strict();

export type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface Topic {
  id: string;
  locale: string;
  title: string;
  summary: string;
  pictogram: string;
  order: number;
  status: TranslationStatus;
  lastChecked: string;
  audio: string | null;
  directoryCategories: string[];
  calculator: string | null;
  uncertain: boolean;
  references: Array<{ citation: string; url?: string }>;
  /** Rendered HTML of each section, escaped: content files cannot inject markup. */
  sections: Record<SectionKey, string>;
  /** The words of the page, for search and for reading aloud. */
  text: string;
}
