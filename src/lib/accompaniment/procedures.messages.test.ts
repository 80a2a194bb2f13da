import { describe, expect, it } from 'vitest';
import { catalogues } from '../i18n/catalogues';
import { CHOICES, PROCEDURE_KINDS, PROCEDURES } from './procedures';
import type { RefusalCode } from './machine';

/** Every name the machine can show has words, in every language. */
function keysOfMachine(): string[] {
  const keys: string[] = [];
  for (const kind of PROCEDURE_KINDS) {
    keys.push(`case.procedure.${kind}`);
    const d = PROCEDURES[kind];
    for (const s of d.states) keys.push(`case.state.${kind}.${s}`);
    for (const t of d.transitions) {
      keys.push(`case.transition.${kind}.${t.id}`);
      for (const f of t.fields ?? []) keys.push(`case.field.${f.name}`);
      for (const dl of t.deadlines ?? []) keys.push(`case.deadline.${dl.key}`);
    }
  }
  for (const [name, values] of Object.entries(CHOICES)) for (const v of values) keys.push(`case.choice.${name}.${v}`);
  const refusals: RefusalCode[] = ['unknown_transition', 'not_allowed', 'missing_field', 'invalid_field', 'invalid_date', 'in_future', 'before_previous_step', 'dates_reversed', 'beyond_programme_limit', 'no_legal_rule'];
  for (const r of refusals) keys.push(`case.refusal.${r}`);
  return [...new Set(keys)];
}

describe('the words of the procedures', () => {
  it.each(Object.keys(catalogues))('%s names every procedure, state, step, field, choice, deadline and refusal', (locale) => {
    const catalogue = catalogues[locale as keyof typeof catalogues];
    const missing = keysOfMachine().filter((k) => !catalogue[k]);
    expect(missing).toEqual([]);
  });
});
