/**
 * The demo consultation (`relais demo participation`): it replays the association's own
 * contribution that started Relais (shared/reference — "Lessons learned", a survivors'
 * association's answer to the UN Special Rapporteur on violence against women and girls,
 * January 2024). Ten FICTIONAL members in three languages, two workshops (a debate, then a
 * debate after a film), three questions chosen out of fifteen, four themes.
 *
 * Everything here is sample data: the pseudonyms are invented, and the texts are written for
 * the demo in the spirit of the document, not taken from any person. The call's questions
 * 13–15 are quoted from the document; the twelve others are not in it, and the demo says so
 * instead of inventing them.
 */
import type { ContributionConsent } from '../db/schema';

export type DemoLanguage = 'fr' | 'en' | 'pcm';

export interface DemoMember {
  pseudonym: string;
  language: DemoLanguage;
  /** Present at the workshops (1: the debate, 2: the film and debate). */
  workshops: readonly (1 | 2)[];
}

export const DEMO_CALL = {
  title: 'Prostitution and violence against women and girls — call for input',
  requester: 'UN Special Rapporteur on violence against women and girls (Human Rights Council)',
  callUrl: 'https://www.ohchr.org/en/calls-for-input',
  deadline: '2024-01-31',
  language: 'en',
  summary:
    'The Special Rapporteur would like to receive input to better understand the relationship between prostitution and violence against women, to clarify terms, approaches and actions States should take in order to maintain the spirit of international human rights law and to effectively protect women and girls from all forms of violence.',
  presentation:
    'The association was created in 2020 by women who survived trafficking for sexual exploitation. Its members help other survivors, speak for themselves, take part in its action and governance, and write recommendations together: for access to rights and justice, and against violence and coercion in peer groups. (Sample text for the Relais demo.)'
} as const;

/** The call's fifteen questions: 13–15 as the document quotes them; 1–12 are not in it. */
export const DEMO_QUESTIONS: readonly { label: string; text: string; chosen: boolean }[] = [
  ...Array.from({ length: 12 }, (_, i) => ({
    label: String(i + 1),
    text: `Question ${i + 1} of the call (not reproduced in the document this demo replays: see the call itself).`,
    chosen: false
  })),
  {
    label: '13',
    text: 'What are some of the lessons learned about what works and what does not when it comes to stemming any negative human rights consequences from the prostitution of women and girls?',
    chosen: true
  },
  { label: '14', text: "Are frontline organizations and survivors' organisations sufficiently included in policymaking at the national and international level?", chosen: true },
  { label: '15', text: 'What recommendations do you have to prevent and end violence associated with the prostitution for women and girls?', chosen: true }
];

/** Ten fictional members: four speak Nigerian Pidgin, three English, three French. */
export const DEMO_MEMBERS: readonly DemoMember[] = [
  { pseudonym: 'Ada Sample', language: 'pcm', workshops: [1, 2] },
  { pseudonym: 'Blessing Sample', language: 'pcm', workshops: [1, 2] },
  { pseudonym: 'Chioma Sample', language: 'pcm', workshops: [1, 2] },
  { pseudonym: 'Efe Sample', language: 'pcm', workshops: [1] },
  { pseudonym: 'Grace Sample', language: 'en', workshops: [1, 2] },
  { pseudonym: 'Joy Sample', language: 'en', workshops: [1, 2] },
  { pseudonym: 'Precious Sample', language: 'en', workshops: [2] },
  { pseudonym: 'Aline Exemple', language: 'fr', workshops: [1, 2] },
  { pseudonym: 'Bénédicte Exemple', language: 'fr', workshops: [1, 2] },
  { pseudonym: 'Claire Exemple', language: 'fr', workshops: [1, 2] }
];

export const DEMO_WORKSHOPS = [
  { title: 'Debate: the questions we choose to answer', startsAt: '2024-01-13T13:00:00.000Z', durationMinutes: 180, format: 'debate', place: 'Association premises (sample)', services: ['interpretation:en', 'interpretation:pcm', 'childcare', 'meal'] },
  {
    title: 'Film, then debate: a woman who takes revenge by herself',
    startsAt: '2024-01-20T13:00:00.000Z',
    durationMinutes: 240,
    format: 'film_debate',
    place: 'Association premises (sample)',
    services: ['interpretation:en', 'interpretation:pcm', 'childcare', 'meal', 'transport']
  }
] as const;

export const DEMO_TRAINING = {
  title: 'Speaking together: a collective opinion, not a testimony',
  content:
    'What a call for input is, who reads it, and how a group writes an opinion from shared experience. Why we never tell one person\'s story, and how to keep ourselves safe: no names, no places, no dates. What consent to quote means, and how to withdraw.',
  language: 'en',
  durationMinutes: 120
} as const;

/** The hourly rate the demo association pays for participation (cents, EUR). */
export const DEMO_HOURLY_RATE_CENTS = 2000;

export type DemoTheme = 'stigma' | 'power' | 'migration' | 'child_protection';

export interface DemoContribution {
  /** The question's label (13, 14, 15). */
  question: '13' | '14' | '15';
  theme: DemoTheme;
  language: DemoLanguage;
  text: string;
  /** A translation into English by a bilingual member, when the text is not in English. */
  translation?: string;
  consent: ContributionConsent;
  /** typed by a member, recorded (audio) by a member, or from the workshop's paper (batch). */
  how: 'typed' | 'recorded' | 'paper';
  /** For `paper`: the workshop (1 or 2) whose flip charts it comes from. */
  workshop?: 1 | 2;
  /**
   * For typed and recorded ones: the pseudonym of the fictional member who writes it in the
   * demo. The demo writes it with HER author key, which it then forgets: nothing stored says
   * so. Tests read this list to check that no page or export ever shows the link.
   */
  by?: string;
}

export const DEMO_CONTRIBUTIONS: readonly DemoContribution[] = [
  // 1. Stigma and loneliness
  {
    question: '13',
    theme: 'stigma',
    language: 'pcm',
    how: 'typed',
    by: 'Ada Sample',
    consent: 'quote',
    text: 'When you talk say you agree to come, dem no go believe you again. Dem judge you, dem no give you shelter, no asylum. So many of us dey hide some tori to get help.',
    translation: 'When you say you agreed to come, they no longer believe you. They judge you; no shelter, no asylum. So many of us hide part of the story to get help.'
  },
  {
    question: '13',
    theme: 'stigma',
    language: 'en',
    how: 'typed',
    by: 'Grace Sample',
    consent: 'summarise',
    text: 'Moral judgement blocks protection and justice. Women who knew before leaving that they would be put into prostitution to pay a debt are treated as if they chose the violence and the debt bondage.'
  },
  {
    question: '13',
    theme: 'stigma',
    language: 'fr',
    how: 'recorded',
    by: 'Aline Exemple',
    consent: 'summarise',
    text: 'La solitude : la famille et les amies nous rejettent, alors on finit par croire que c’est nous les mauvaises. On perd espoir, on ne croit plus à la loi ni à la justice.',
    translation: 'Loneliness: family and friends reject us, so we end up believing we are the bad ones. We lose hope; we no longer believe in the law or in justice.'
  },
  {
    question: '13',
    theme: 'stigma',
    language: 'en',
    how: 'paper',
    workshop: 1,
    consent: 'summarise',
    text: 'Flip chart: rejected by family, judged by services, no hope in justice — loneliness is part of the violence.'
  },
  // 2. Power and freedom
  {
    question: '14',
    theme: 'power',
    language: 'en',
    how: 'typed',
    by: 'Joy Sample',
    consent: 'quote',
    text: 'Survivor associations need their own place to take part, with training and payment, so that our work is independent and not at the service of other groups or ideologies.'
  },
  {
    question: '14',
    theme: 'power',
    language: 'pcm',
    how: 'recorded',
    by: 'Blessing Sample',
    consent: 'summarise',
    text: 'We need training and pay for our time. Make dem protect our data and our private life. We wan give opinion from wetin we sabi together, no be only testimony.',
    translation: 'We need training and pay for our time. Our data and private lives must be protected. We want to give opinions from what we know together, not only testimonies.'
  },
  {
    question: '14',
    theme: 'power',
    language: 'fr',
    how: 'typed',
    by: 'Bénédicte Exemple',
    consent: 'internal',
    text: 'Pour agir il faut être préparées, avoir du pouvoir, des personnes qui nous soutiennent et nous croient, les autres filles qui comprennent la douleur, et un accompagnement psychologique.',
    translation: 'To act we need to be prepared, to have power, people who back us and believe us, the other girls who understand the pain, and counselling.'
  },
  {
    question: '14',
    theme: 'power',
    language: 'en',
    how: 'paper',
    workshop: 2,
    consent: 'summarise',
    text: 'Flip chart after the film: we do not want revenge alone — we want power together, people who believe us, and to be paid for our expertise.'
  },
  // 3. Unfavourable migration policy
  {
    question: '15',
    theme: 'migration',
    language: 'fr',
    how: 'typed',
    by: 'Claire Exemple',
    consent: 'quote',
    text: 'Pas assez d’hébergement d’urgence ni de logement social. Les préfectures bloquent l’accès au parcours de sortie et au titre de séjour de six mois qui permet de travailler.',
    translation: 'Not enough emergency accommodation or social housing. Prefectures block access to the exit programme and to the six-month residence permit that allows work.'
  },
  {
    question: '15',
    theme: 'migration',
    language: 'pcm',
    how: 'typed',
    by: 'Chioma Sample',
    consent: 'summarise',
    text: 'Police dey arrest women for Friday night, dem give paper to leave France with only 48 hours to contest, and no lawyer dey for weekend. Some of us be victims of traffickers, dem no suppose punish us.',
    translation: 'Police arrest women on Friday nights and give them an order to leave France with only 48 hours to contest it, and no lawyer answers at the weekend. Some of us are trafficking victims; we should not be punished.'
  },
  {
    question: '15',
    theme: 'migration',
    language: 'en',
    how: 'recorded',
    by: 'Precious Sample',
    consent: 'summarise',
    text: 'Foreign women do not get information on their rights. The exit programme excludes women who stopped too long ago, and nobody says how long is too long.'
  },
  {
    question: '15',
    theme: 'migration',
    language: 'fr',
    how: 'paper',
    workshop: 1,
    consent: 'summarise',
    text: 'Paperboard : hébergement, titre de séjour, droits non expliqués, obligation de quitter le territoire le vendredi soir — la politique migratoire nous met en danger.',
    translation: 'Flip chart: housing, residence permit, rights not explained, orders to leave on Friday night — migration policy puts us in danger.'
  },
  // 4. Child welfare system in crisis
  {
    question: '15',
    theme: 'child_protection',
    language: 'fr',
    how: 'typed',
    by: 'Aline Exemple',
    consent: 'summarise',
    text: 'Les foyers de l’aide sociale à l’enfance sont en mauvais état et les trafiquants y recrutent des filles. Il faut des moyens pour les protéger.',
    translation: 'Child welfare shelters are in poor condition and traffickers recruit girls there. Resources are needed to protect them.'
  },
  {
    question: '15',
    theme: 'child_protection',
    language: 'en',
    how: 'typed',
    by: 'Grace Sample',
    consent: 'quote',
    text: 'Girls need care to get off chemical submission. We alert on the use of nitrous oxide among the youngest.'
  },
  {
    question: '15',
    theme: 'child_protection',
    language: 'en',
    how: 'paper',
    workshop: 2,
    consent: 'summarise',
    text: 'Flip chart: no prosecution for the trafficking of minors; the prostitution of minors is made to look ordinary.'
  }
];

export const DEMO_THEME_TITLES: Record<DemoTheme, string> = {
  stigma: 'Stigma and loneliness',
  power: 'Power and freedom',
  migration: 'Unfavourable migration policy',
  child_protection: 'Child welfare system in crisis'
};

/** Statements put to the vote; `votes`: how many of the ten agree, disagree, are unsure. */
export const DEMO_STATEMENTS: readonly { theme: DemoTheme; text: string; votes: { agree: number; disagree: number; unsure: number } }[] = [
  { theme: 'stigma', text: 'Moral judgement keeps victims of exploitation away from protection and justice.', votes: { agree: 9, disagree: 0, unsure: 1 } },
  { theme: 'stigma', text: 'Loneliness is part of the harm and must be part of the help.', votes: { agree: 8, disagree: 1, unsure: 1 } },
  { theme: 'power', text: 'Survivor associations need a dedicated place, training and pay to take part.', votes: { agree: 10, disagree: 0, unsure: 0 } },
  { theme: 'power', text: 'Our opinions come from shared experience; they are not testimonies.', votes: { agree: 9, disagree: 0, unsure: 1 } },
  { theme: 'migration', text: 'Prefectures must give the six-month permit of the exit programme without delay.', votes: { agree: 10, disagree: 0, unsure: 0 } },
  { theme: 'migration', text: 'An order to leave France must never be served when no lawyer can be reached.', votes: { agree: 8, disagree: 0, unsure: 2 } },
  { theme: 'child_protection', text: 'Child welfare shelters must be protected from traffickers who recruit there.', votes: { agree: 10, disagree: 0, unsure: 0 } },
  { theme: 'child_protection', text: 'The use of nitrous oxide among girls needs urgent care and attention.', votes: { agree: 7, disagree: 0, unsure: 3 } }
];

/** Recommendations drafted from the supported statements, then adopted by the ten. */
export const DEMO_RECOMMENDATIONS: readonly { theme: DemoTheme; draft: string; amended: string }[] = [
  {
    theme: 'stigma',
    draft: 'Train services to help victims without moral judgement.',
    amended: 'States should train police, justice and social services to protect and help victims of exploitation without moral judgement, whatever they first agreed to, and fund peer support against loneliness.'
  },
  {
    theme: 'power',
    draft: 'Fund survivor associations.',
    amended: 'Survivor associations should have a dedicated place in policymaking, with training and paid time; their members’ data and private lives must be protected, so that they give collective opinions rather than testimonies.'
  },
  {
    theme: 'migration',
    draft: 'Give permits in the exit programme.',
    amended: 'Every prefecture should give the temporary permit of the exit programme without delay; the limit on how long ago exploitation ended must be written clearly; and no order to leave France should be served when no lawyer can be reached, in line with the non-punishment principle.'
  },
  {
    theme: 'child_protection',
    draft: 'Protect child welfare shelters.',
    amended: 'States should give resources to protect child welfare shelters from recruitment by traffickers, care for girls under chemical submission, and the prosecution of the trafficking of minors.'
  }
];
