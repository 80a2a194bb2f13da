import { parse as parseYaml } from 'yaml';
import { frontMatterSchema, sectionKeys, type SectionKey, type Topic } from '../../guide/topic';
import { plainText, renderGuideMarkdown } from './markdown';

export class GuideContentError extends Error {
  constructor(
    readonly file: string,
    message: string
  ) {
    super(`${file}: ${message}`);
  }
}

/**
 * Reads one guide page (front matter + the four sections) into a Topic. Throws
 * GuideContentError naming the file and the problem: a broken page never reaches a reader.
 */
export function parseTopic(file: string, locale: string, source: string): Topic {
  const match = source.replace(/\r\n/g, '\n').match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/);
  if (!match) throw new GuideContentError(file, 'no front matter between --- lines');
  let raw: unknown;
  try {
    raw = parseYaml(match[1]!);
  } catch (error) {
    throw new GuideContentError(file, `front matter is not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GuideContentError(file, `front matter field "${issue.path.join('.')}": ${issue.message}`);
  }
  const fm = parsed.data;
  if (!file.endsWith(`/${fm.id}.md`)) throw new GuideContentError(file, `id "${fm.id}" is not the file name`);

  const parts = match[2]!.split(/^## +(\w+)[ \t]*$/m);
  const sections: Partial<Record<SectionKey, string>> = {};
  const order: string[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!;
    if (!(sectionKeys as readonly string[]).includes(key)) throw new GuideContentError(file, `unknown section "## ${key}"`);
    order.push(key);
    sections[key as SectionKey] = renderGuideMarkdown(parts[i + 1] ?? '', locale);
  }
  if (order.join(',') !== sectionKeys.join(',')) {
    throw new GuideContentError(file, `sections must be ${sectionKeys.map((k) => `## ${k}`).join(', ')} in this order (found ${order.join(', ') || 'none'})`);
  }
  if (!/<ol[\s>]/.test(sections.now!)) throw new GuideContentError(file, '"## now" must hold a numbered list of steps');

  const all = sectionKeys.map((k) => sections[k]!).join(' ');
  return {
    id: fm.id,
    locale,
    title: fm.title,
    summary: fm.summary,
    pictogram: fm.pictogram,
    order: fm.order,
    status: fm.status,
    lastChecked: fm.last_checked,
    audio: fm.audio ?? null,
    directoryCategories: fm.directory_categories,
    calculator: fm.calculator ?? null,
    uncertain: fm.uncertain,
    references: fm.references,
    sections: sections as Record<SectionKey, string>,
    text: plainText(`${fm.title} ${fm.summary} ${all}`)
  };
}
