/**
 * The durations behind administrative deadlines (`content/law/procedure-durations.json`),
 * checked at load: a malformed file must fail at start-up, never give a wrong date later.
 * Pure module.
 */
import data from '../../../content/law/procedure-durations.json';

export const DURATION_IDS = ['exit_programme_permit', 'exit_programme_max', 'victim_card', 'ofpra_filing', 'renewal_lead', 'commission_wait', 'decision_wait', 'shelter_wait'] as const;
export type DurationId = (typeof DURATION_IDS)[number];

export interface Duration {
  id: DurationId;
  kind: 'law' | 'practice';
  amount: number;
  unit: 'days' | 'months';
  legal_basis: string | null;
  source: string;
  last_checked: string;
  confidence: 'high' | 'medium' | 'low';
  note: string | null;
}

function isDuration(value: unknown): value is Duration {
  if (!value || typeof value !== 'object') return false;
  const d = value as Record<string, unknown>;
  return (
    (DURATION_IDS as readonly unknown[]).includes(d.id) &&
    (d.kind === 'law' || d.kind === 'practice') &&
    Number.isInteger(d.amount) &&
    (d.amount as number) > 0 &&
    (d.unit === 'days' || d.unit === 'months') &&
    (d.legal_basis === null || typeof d.legal_basis === 'string') &&
    typeof d.source === 'string' &&
    typeof d.last_checked === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(d.last_checked) &&
    (d.confidence === 'high' || d.confidence === 'medium' || d.confidence === 'low')
  );
}

export function loadDurations(raw: unknown): Record<DurationId, Duration> {
  const list = (raw as { durations?: unknown })?.durations;
  if (!Array.isArray(list)) throw new Error('procedure-durations.json: no durations list');
  const byId = {} as Record<DurationId, Duration>;
  for (const item of list) {
    if (!isDuration(item)) throw new Error(`procedure-durations.json: malformed entry ${JSON.stringify((item as { id?: unknown })?.id)}`);
    if (byId[item.id]) throw new Error(`procedure-durations.json: ${item.id} twice`);
    byId[item.id] = item;
  }
  for (const id of DURATION_IDS) if (!byId[id]) throw new Error(`procedure-durations.json: ${id} is missing`);
  return byId;
}

export const durations: Record<DurationId, Duration> = loadDurations(data);
