/**
 * The journey of issue 7, replaying the association's own answer to a UN call for input
 * (shared/reference): `relais demo participation` loads it through the use cases — ten
 * fictional members in three languages, two workshops (one after a film), three questions
 * chosen out of fifteen, contributions typed, recorded and transcribed from flip charts,
 * four themes, statements voted, recommendations adopted. Then, as an admin of that
 * association, JavaScript off:
 * - every participation page and export she can reach is read, and on none does a member's
 *   words appear with that member's pseudonym (the demo knows who wrote what; nothing stored
 *   does); every page passes axe;
 * - the vote results never show a count under 5 as a number;
 * - the DOCX, downloaded from the page, has one section per chosen question, in order, with
 *   its themes and adopted recommendations;
 * - the pay export lists the ten members.
 * A member who signs in with a code on her own phone finds none of the demo's words as hers:
 * her author key was in the demo's browser, not in the database.
 */
import { describe, expect, inject, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { axeViolations, scriptlessVisit, useBrowser } from './support/browser';
import { createStaff, relais, signIn, type StaffAccount } from './support/staff';
import { registerSecrets } from './support/secrets';
import { DEMO_CONTRIBUTIONS, DEMO_MEMBERS, DEMO_QUESTIONS, DEMO_THEME_TITLES } from '../../src/lib/server/demo/participation-content';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const browser = useBrowser();

/** Text as a reader sees it: tags dropped, entities and spaces made plain. */
function plain(text: string): string {
  return text
    .replace(/<[^>]+>/g, ' ')
    .replace(/&apos;|&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** A distinctive piece of each member-written contribution, with its author. */
const AUTHORED = DEMO_CONTRIBUTIONS.filter((c) => c.by).map((c) => ({ piece: c.text.slice(0, 48), by: c.by! }));

/** Where a member's words appear with her pseudonym: none, whatever page or export. */
function links(text: string): string[] {
  const flat = plain(text);
  return AUTHORED.filter((a) => flat.includes(a.piece) && flat.includes(a.by)).map((a) => `${a.by} ↔ “${a.piece}…”`);
}

describe('participation: the reference document replayed', () => {
  it('an admin reads every page and export of the demo consultation: no author anywhere, no count under 5, the DOCX follows the chosen questions, the pay export lists ten members; JavaScript off', { timeout: 600_000 }, async () => {
    registerSecrets(dataDir, Object.fromEntries(DEMO_MEMBERS.map((m, i) => [`demo pseudonym ${i}`, m.pseudonym])));
    registerSecrets(dataDir, Object.fromEntries(AUTHORED.map((a, i) => [`demo words ${i}`, a.piece])));
    const org = relais(baseUrl, dataDir, 'org', 'create', '--name', 'Association Relais Parcours E2E');
    const admin: StaffAccount = await createStaff(baseUrl, dataDir, org.id!, 'admin', 'admin.journey.e2e@example.test');
    const demo = relais(baseUrl, dataDir, 'demo', 'participation', '--org', org.id!) as unknown as { consultationId: string; members: number; languages: string[]; workshops: number; questions: { total: number; chosen: string[] }; contributions: { typed: number; recorded: number; paper: number }; themes: number; recommendations: { adopted: number } };
    expect(demo).toMatchObject({ members: 10, workshops: 2, questions: { total: 15, chosen: ['13', '14', '15'] }, themes: 4, recommendations: { adopted: 4 } });
    expect(demo.languages.sort()).toEqual(['en', 'fr', 'pcm']);
    expect(Object.values(demo.contributions).every((n) => n > 0)).toBe(true);

    const { page, context } = await scriptlessVisit(browser(), { language: 'fr-FR,fr;q=0.9' });
    try {
      await signIn(baseUrl, context, admin);
      const cookie = (await context.cookies()).find((c) => c.name === 'relais_session')!.value;
      const get = (path: string) => fetch(`${baseUrl}${path}`, { headers: { cookie: `relais_session=${cookie}`, connection: 'close' } });

      // Every participation page she can reach from the consultation and the menu, two links deep.
      const parts = ['contributions', 'themes', 'statements', 'recommendations', 'submission', 'submission/print'].map((p) => `/staff/consultations/${demo.consultationId}/${p}`);
      const start = [`/staff/consultations`, `/staff/consultations/${demo.consultationId}`, '/staff/members', '/staff/workshops', '/staff/training', '/staff/pay'];
      const seen = new Set<string>();
      const read = async (path: string): Promise<string[]> => {
        seen.add(path);
        const response = await page.goto(`${baseUrl}${path}`);
        expect(response?.status(), path).toBe(200);
        expect(links(await page.content()), `an author shown on ${path}`).toEqual([]);
        expect(await axeViolations(page), `axe on ${path}`).toEqual([]);
        const hrefs = await page.locator('a[href^="/staff/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
        return hrefs.map((h) => h.split('#')[0]!).filter((h) => /^\/staff\/(consultations|members|workshops|training|pay)\b/.test(h) && !/export|\.csv|\/audio/.test(h));
      };
      let queue = [...start];
      for (let depth = 0; depth < 3 && queue.length; depth++) {
        const next: string[] = [];
        for (const path of queue) if (!seen.has(path)) next.push(...(await read(path)));
        queue = next;
      }
      const reached = new Set(seen);
      for (const path of parts) if (!seen.has(path)) await read(path);
      expect([...seen].filter((p) => p.startsWith('/staff/workshops/')).length).toBeGreaterThanOrEqual(2);

      // The votes: no count under 5 is ever a number.
      await page.goto(`${baseUrl}/staff/consultations/${demo.consultationId}/statements`);
      const results = await page.locator('.result').allInnerTexts();
      expect(results.length).toBe(8);
      expect(results.join(' ')).toContain('moins de 5');
      for (const r of results) expect(r.replaceAll('moins de 5', ''), r).not.toMatch(/(?<![\d,])[0-4](?![\d,])/);

      // The exports: no author in any; the DOCX follows the chosen questions and their themes.
      const submission = `/staff/consultations/${demo.consultationId}/submission/export?reviewed=on&file=`;
      const docx = await get(`${submission}docx`);
      expect(docx.status).toBe(200);
      const text = plain(strFromU8(unzipSync(new Uint8Array(await docx.arrayBuffer()))['word/document.xml']!));
      expect(links(text)).toEqual([]);
      const chosen = DEMO_QUESTIONS.filter((q) => q.chosen);
      const at = chosen.map((q) => text.indexOf(`${q.label}. ${q.text.slice(0, 30)}`));
      expect(at.every((i) => i >= 0), 'every chosen question has its section').toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(text).not.toContain(DEMO_QUESTIONS[0]!.text.slice(0, 30));
      const themeAt = (title: string) => text.indexOf(title);
      expect(themeAt(DEMO_THEME_TITLES.stigma)).toBeGreaterThan(at[0]!);
      expect(themeAt(DEMO_THEME_TITLES.power)).toBeGreaterThan(at[1]!);
      expect(themeAt(DEMO_THEME_TITLES.migration)).toBeGreaterThan(at[2]!);
      expect(themeAt(DEMO_THEME_TITLES.child_protection)).toBeGreaterThan(themeAt(DEMO_THEME_TITLES.migration));
      expect(text).toContain('States should train police');
      for (const file of ['statements', 'votes']) {
        const csv = await get(`${submission}${file}`);
        expect(csv.status, file).toBe(200);
        expect(links(await csv.text()), file).toEqual([]);
      }

      // The pay export: the ten members, by pseudonym, and no one's words.
      const pay = await get('/staff/pay/export.csv');
      expect(pay.status).toBe(200);
      const csv = await pay.text();
      for (const m of DEMO_MEMBERS) expect(csv, m.pseudonym).toContain(m.pseudonym);
      for (const a of AUTHORED) expect(csv).not.toContain(a.piece);

      // A member on her own phone: signed in with a code, none of the demo's words are hers here.
      await page.goto(`${baseUrl}/staff/members`);
      const ada = page.locator(`[data-member="${DEMO_MEMBERS[0]!.pseudonym}"]`);
      await ada.locator('form[action="?/code"] button').click();
      const code = (await page.locator('[data-code]').innerText()).trim();
      registerSecrets(dataDir, { 'journey sign-in code': code });
      const phone = await scriptlessVisit(browser(), { phone: true, language: 'en' });
      try {
        await phone.page.goto(`${baseUrl}/sign-in/code`);
        await phone.page.fill('#code', code);
        await Promise.all([phone.page.waitForURL(/\/staff\/participate/), phone.page.click('form button[type=submit]')]);
        await phone.page.goto(`${baseUrl}/staff/participate/${demo.consultationId}`);
        const hers = plain(await phone.page.content());
        for (const a of AUTHORED.filter((x) => x.by === DEMO_MEMBERS[0]!.pseudonym)) expect(hers).not.toContain(a.piece);
        expect(await axeViolations(phone.page), 'her consultation page').toEqual([]);
      } finally {
        await phone.context.close();
      }
      // Each step of the consultation is reached by links from its page, not only by address.
      for (const path of parts) expect(reached, path).toContain(path);
    } finally {
      await context.close();
    }
  });
});
