/**
 * Legal deadline rules, loaded from `content/law/deadline-rules.json` and checked at load
 * with a plain type guard: a malformed rule file must fail loudly at start-up, never
 * produce a wrong deadline later. Pure module: safe in the browser and a service worker.
 */
import rulesData from '../../../content/law/deadline-rules.json';
import { isValidDateKey } from '../time/paris-time';

export const procedures = ['oqtf', 'retention-placement', 'cnda', 'reflection-period', 'civi'] as const;
export type Procedure = (typeof procedures)[number];

export const countingMethods = ['hours', 'days', 'clear_days', 'months'] as const;
export type CountingMethod = (typeof countingMethods)[number];

export type Confidence = 'high' | 'medium' | 'low';

/** The facts a rule can depend on, with every value the engine accepts. */
export const factValues = {
  custody: ['free', 'assigned', 'prison', 'retention'],
  departure_period: ['granted', 'none']
} as const;
export type FactName = keyof typeof factValues;

export interface Counting {
  method: CountingMethod;
  amount: number;
  extends_to_next_working_day: boolean;
  /** 'days' only: the notification day is day 1 (Cass. avis 7 Jan 2025 for rétention). */
  includes_notification_day?: boolean;
  /** Message key telling her how we counted. */
  explanation?: string;
}

export interface AlternativeCounting extends Omit<Counting, 'explanation'> {
  /** Message key: why this other reading exists. */
  reason: string;
}

export interface RuleVersion {
  id: string;
  procedure: Procedure;
  /** Fact name → accepted values. Empty object: no fact needed. */
  applies_to: Partial<Record<FactName, string[]>>;
  legal_basis: string;
  sources: Array<{ title: string; url: string }>;
  /** Paris calendar day, inclusive, compared with the notification day. */
  in_force_from: string;
  /** Paris calendar day, inclusive; null while in force. */
  in_force_to: string | null;
  counting: Counting;
  last_checked: string;
  confidence: Confidence;
  disputed: boolean;
  alternatives: AlternativeCounting[];
  notes: string;
  /** From this notification day a change of the rule is suspected but not confirmed. */
  unconfirmed_after: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isDateKey = (v: unknown): v is string => typeof v === 'string' && isValidDateKey(v);
const isOneOf = <T extends string>(values: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (values as readonly string[]).includes(v);

function countingProblem(c: unknown, where: string, needsReason: boolean): string | null {
  if (!isObject(c)) return `${where}: not an object`;
  if (!isOneOf(countingMethods, c.method)) return `${where}.method`;
  if (typeof c.amount !== 'number' || !Number.isInteger(c.amount) || c.amount <= 0) return `${where}.amount`;
  if (typeof c.extends_to_next_working_day !== 'boolean') return `${where}.extends_to_next_working_day`;
  if (c.includes_notification_day !== undefined) {
    if (typeof c.includes_notification_day !== 'boolean' || c.method !== 'days') return `${where}.includes_notification_day`;
  }
  if (c.explanation !== undefined && !isString(c.explanation)) return `${where}.explanation`;
  if (needsReason && !isString(c.reason)) return `${where}.reason`;
  return null;
}

/** Returns the first problem found in a rule, or null when the rule is well formed. */
export function ruleProblem(r: unknown): string | null {
  if (!isObject(r)) return 'rule: not an object';
  const id = isString(r.id) ? r.id : '?';
  const at = (field: string) => `${id}.${field}`;
  if (!isString(r.id) || !/^[a-z0-9-]+$/.test(r.id)) return at('id');
  if (!isOneOf(procedures, r.procedure)) return at('procedure');
  if (!isObject(r.applies_to)) return at('applies_to');
  for (const [fact, values] of Object.entries(r.applies_to)) {
    if (!isOneOf(Object.keys(factValues) as FactName[], fact)) return at(`applies_to.${fact}`);
    const allowed: readonly string[] = factValues[fact];
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => isOneOf(allowed, v))) {
      return at(`applies_to.${fact}`);
    }
  }
  if (!isString(r.legal_basis)) return at('legal_basis');
  if (
    !Array.isArray(r.sources) ||
    r.sources.length === 0 ||
    !r.sources.every((s) => isObject(s) && isString(s.title) && isString(s.url) && /^https:\/\//.test(s.url))
  ) {
    return at('sources');
  }
  if (!isDateKey(r.in_force_from)) return at('in_force_from');
  if (r.in_force_to !== null && !(isDateKey(r.in_force_to) && r.in_force_to >= r.in_force_from)) return at('in_force_to');
  const counting = countingProblem(r.counting, at('counting'), false);
  if (counting) return counting;
  if (!isDateKey(r.last_checked)) return at('last_checked');
  if (!isOneOf(['high', 'medium', 'low'] as const, r.confidence)) return at('confidence');
  if (typeof r.disputed !== 'boolean') return at('disputed');
  if (!Array.isArray(r.alternatives)) return at('alternatives');
  for (const [i, alt] of r.alternatives.entries()) {
    const problem = countingProblem(alt, at(`alternatives[${i}]`), true);
    if (problem) return problem;
  }
  if (r.disputed && r.alternatives.length === 0) return at('alternatives (disputed rule needs at least one)');
  if (typeof r.notes !== 'string') return at('notes');
  if (r.unconfirmed_after !== null && !isDateKey(r.unconfirmed_after)) return at('unconfirmed_after');
  return null;
}

export function isRuleVersion(r: unknown): r is RuleVersion {
  return ruleProblem(r) === null;
}

/**
 * Checks a whole rule set: every rule well formed, ids unique.
 * @throws Error naming the first faulty field.
 */
export function parseRules(data: unknown): RuleVersion[] {
  if (!isObject(data) || !Array.isArray(data.rules)) throw new Error('deadline-rules: "rules" array missing');
  const ids = new Set<string>();
  for (const rule of data.rules) {
    const problem = ruleProblem(rule);
    if (problem) throw new Error(`deadline-rules: invalid ${problem}`);
    const { id } = rule as RuleVersion;
    if (ids.has(id)) throw new Error(`deadline-rules: duplicate id ${id}`);
    ids.add(id);
  }
  return data.rules as RuleVersion[];
}

/** The rules shipped with Relais, validated once when the module loads. */
export const deadlineRules: readonly RuleVersion[] = Object.freeze(parseRules(rulesData));
