import { describe, expect, it } from 'vitest';
import { localeCodes, sourceLocale } from '../../i18n/locales';
import { procedures } from '../../deadlines/rules';
import { directoryCategories } from '../../guide/topic';
import { findTopic, listTopics, translationTable } from './content';
import { parseTopic } from './parse';

const files = import.meta.glob('/content/*/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

describe('guide content', () => {
  const topics = listTopics(sourceLocale);

  it('has the topics the guide promises, in order', () => {
    expect(topics.map((t) => t.id)).toEqual([
      'help-now',
      'order-to-leave',
      'police-custody',
      'trafficking-rights',
      'exit-programme',
      'asylum',
      'health',
      'minors',
      'police-abuse',
      'safety'
    ]);
  });

  it('is complete in every language: no page falls back to French', () => {
    for (const locale of localeCodes) {
      expect(listTopics(locale).filter((t) => t.fallback).map((t) => t.id), locale).toEqual([]);
    }
  });

  it('marks the French pages as the source and every translation as reviewed or draft', () => {
    for (const row of translationTable()) {
      for (const cell of row.cells) {
        expect(cell.status, `${cell.locale} ${row.id}`).toBe(cell.locale === sourceLocale ? 'source' : cell.status === 'reviewed' ? 'reviewed' : 'draft');
      }
    }
  });

  it('gives every page steps, sources, a last-checked date and a way to help', () => {
    for (const locale of localeCodes) {
      for (const t of listTopics(locale)) {
        expect(t.sections.now, `${locale}/${t.id}`).toMatch(/<ol/);
        expect(t.references.length, `${locale}/${t.id} references`).toBeGreaterThan(0);
        expect(t.lastChecked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(t.sections.help.length, `${locale}/${t.id} help`).toBeGreaterThan(20);
      }
    }
  });

  it('links only to pages, categories and procedures that exist', () => {
    const ids = new Set(topics.map((t) => t.id));
    for (const [file, source] of Object.entries(files)) {
      for (const [, scheme, target] of source.matchAll(/\]\((guide|directory|deadlines):([a-z0-9-]+)\)/g)) {
        if (scheme === 'guide') expect(ids.has(target!), `${file} → guide:${target}`).toBe(true);
        if (scheme === 'directory') expect((directoryCategories as readonly string[]).includes(target!), `${file} → directory:${target}`).toBe(true);
        if (scheme === 'deadlines') expect((procedures as readonly string[]).includes(target!), `${file} → deadlines:${target}`).toBe(true);
      }
    }
  });

  it('keeps translations faithful on numbers: every phone link of the French page is in each translation', () => {
    for (const t of topics) {
      const phones = (html: string) => [...new Set([...html.matchAll(/href="(tel|sms):(\d+)"/g)].map((m) => `${m[1]}:${m[2]}`))].sort();
      const french = phones(Object.values(t.sections).join(''));
      for (const locale of localeCodes) {
        const own = findTopic(locale, t.id)!;
        expect(phones(Object.values(own.sections).join('')), `${locale}/${t.id}`).toEqual(french);
      }
    }
  });

  it('never calls a woman a prostitute, illegal or clandestine', () => {
    const banned = /\b(prostitu[ée]e?s?|prostitutes?|illegal|ill[ée]gale?s?|clandestine?s?)\b/i;
    for (const [file, source] of Object.entries(files)) expect(source, file).not.toMatch(banned);
  });

  it('escapes raw HTML in a page and drops links to unknown schemes', () => {
    const page = parseTopic(
      '/content/fr/x.md',
      'fr',
      `---\nid: x\ntitle: Titre\nsummary: Résumé\npictogram: alert\norder: 1\nstatus: source\nlast_checked: 2026-11-29\nreferences:\n  - citation: Code\n---\n## what\n<script>alert(1)</script> [lien](javascript:alert(1))\n## rights\nx\n## now\n1. un\n## help\n[115](tel:115)\n`
    );
    expect(page.sections.what).not.toContain('<script');
    expect(page.sections.what).not.toMatch(/href="javascript/i);
    expect(page.sections.help).toContain('href="tel:115"');
  });

  it('refuses a page without numbered steps or with sections out of order, naming the file', () => {
    const head = `---\nid: x\ntitle: Titre\nsummary: Résumé\npictogram: alert\norder: 1\nstatus: source\nlast_checked: 2026-11-29\n---\n`;
    expect(() => parseTopic('/content/fr/x.md', 'fr', head + '## what\na\n## rights\nb\n## now\nno list\n## help\nc\n')).toThrow(/x\.md.*numbered list/);
    expect(() => parseTopic('/content/fr/x.md', 'fr', head + '## rights\nb\n## what\na\n## now\n1. a\n## help\nc\n')).toThrow(/in this order/);
    expect(() => parseTopic('/content/fr/x.md', 'fr', head.replace('pictogram: alert', 'pictogram: rocket') + '## what\n')).toThrow(/pictogram/);
  });
});
