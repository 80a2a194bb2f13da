/**
 * The directory's vocabularies: categories (shared with the guide's front matter —
 * keep the ids exactly), audiences, and the pictogram of each category. Pure module.
 */
export const categoryIds = [
  'emergency-shelter',
  'day-centre',
  'legal-aid',
  'detention-support',
  'trafficking-support',
  'exit-programme',
  'health',
  'mental-health',
  'asylum-support',
  'food',
  'hygiene',
  'child-protection',
  'police-justice'
] as const;
export type CategoryId = (typeof categoryIds)[number];

export function isCategoryId(value: unknown): value is CategoryId {
  return typeof value === 'string' && (categoryIds as readonly string[]).includes(value);
}

export const categoryPictograms: Record<CategoryId, string> = {
  'emergency-shelter': 'bed',
  'day-centre': 'home',
  'legal-aid': 'scales',
  'detention-support': 'lock',
  'trafficking-support': 'shield',
  'exit-programme': 'door',
  health: 'health',
  'mental-health': 'mind',
  'asylum-support': 'asylum',
  food: 'food',
  hygiene: 'drop',
  'child-protection': 'child',
  'police-justice': 'police'
};

/**
 * Who a service is for. `women_only`: only women are received; `any_papers`: with or
 * without a residence permit; `minors`: young people under 18 are received.
 */
export const audienceIds = ['women_only', 'minors', 'any_papers', 'trafficking_victims'] as const;
export type AudienceId = (typeof audienceIds)[number];

export function isAudienceId(value: unknown): value is AudienceId {
  return typeof value === 'string' && (audienceIds as readonly string[]).includes(value);
}

/** Languages a service may speak, ISO 639 codes, in the order the filter lists them. */
export const spokenLanguageCodes = ['fr', 'en', 'pcm', 'ln', 'es', 'pt', 'ro', 'zh', 'ar', 'bg', 'ru', 'uk', 'fsl'] as const;

export function isLanguageCode(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z]{2,3}$/.test(value);
}

/** How long a verification stays fresh: older entries are flagged to staff. */
export const VERIFICATION_FRESH_DAYS = 183;

/** Whole months between two instants (for "checked 8 months ago"), never negative. */
export function monthsBetween(from: Date, to: Date): number {
  const months =
    (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth()) - (to.getUTCDate() < from.getUTCDate() ? 1 : 0);
  return Math.max(0, months);
}

export function isVerificationStale(lastVerifiedAt: string | null | undefined, now: Date): boolean {
  if (!lastVerifiedAt) return true;
  const at = Date.parse(lastVerifiedAt);
  return !Number.isFinite(at) || now.getTime() - at > VERIFICATION_FRESH_DAYS * 86_400_000;
}
