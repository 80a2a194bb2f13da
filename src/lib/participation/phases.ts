/**
 * The phases of a consultation — collect → group → agree → write → submit — each opened and
 * closed by a facilitator, and what members may do in each. Pure.
 *
 * - One phase at most is open at a time (`consultation.phase`); the history of switches is
 *   in `consultation_phase`.
 * - A facilitator opens the next phase after the last one closed, or opens again a phase
 *   already held (to collect a little more after grouping, say). Once the submit phase has
 *   been closed, the consultation is over: nothing opens again.
 */

export const PHASES = ['collect', 'group', 'agree', 'write', 'submit'] as const;
export type Phase = (typeof PHASES)[number];

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

export interface PhaseState {
  /** The phase open now, or null. */
  open: Phase | null;
  /** Phases that have been opened then closed, in any order, repeats allowed. */
  closed: readonly Phase[];
}

export type PhaseMove = { kind: 'open' | 'close'; phase: Phase };

/** Why a switch is refused (also the message key's last part). */
export type PhaseRefusal = 'another_open' | 'not_open' | 'too_early' | 'finished';

const indexOf = (phase: Phase) => PHASES.indexOf(phase);

/** The furthest phase closed so far, or null. */
export function furthestClosed(state: PhaseState): Phase | null {
  let best: Phase | null = null;
  for (const p of state.closed) if (best === null || indexOf(p) > indexOf(best)) best = p;
  return best;
}

/** Whether the consultation is over (the submit phase was closed). */
export function isFinished(state: PhaseState): boolean {
  return state.closed.includes('submit');
}

/** The phase a facilitator would open next, or null when one is open or all are done. */
export function nextPhase(state: PhaseState): Phase | null {
  if (state.open || isFinished(state)) return null;
  const furthest = furthestClosed(state);
  return furthest === null ? PHASES[0] : (PHASES[indexOf(furthest) + 1] ?? null);
}

/** Whether a switch is allowed: null when it is, else why not. */
export function refuseMove(state: PhaseState, move: PhaseMove): PhaseRefusal | null {
  if (move.kind === 'close') return state.open === move.phase ? null : 'not_open';
  if (isFinished(state)) return 'finished';
  if (state.open !== null) return 'another_open';
  const furthest = furthestClosed(state);
  const reachable = furthest === null ? 0 : indexOf(furthest) + 1;
  return indexOf(move.phase) <= reachable ? null : 'too_early';
}

/** The phases a facilitator may open now (in order). */
export function openablePhases(state: PhaseState): Phase[] {
  return PHASES.filter((phase) => refuseMove(state, { kind: 'open', phase }) === null);
}

/**
 * What a member does: write or edit her contributions; change their consent, translate or
 * withdraw them; confirm a workshop's transcription; vote on statements; adopt
 * recommendations.
 */
export type MemberAction = 'write' | 'edit' | 'consent' | 'translate' | 'withdraw' | 'confirm' | 'vote' | 'adopt';

/**
 * Whether members may do `action` now. Writing and editing: while collect is open. Voting:
 * agree. Adopting recommendations: write. Confirming a workshop's transcription: collect or
 * group. Her consent, her translation and her withdrawal are hers until the submission,
 * whatever phase is open (or none).
 */
export function memberMay(action: MemberAction, state: { phase: Phase | null; submitted: boolean }): boolean {
  switch (action) {
    case 'write':
    case 'edit':
      return state.phase === 'collect';
    case 'vote':
      return state.phase === 'agree';
    case 'adopt':
      return state.phase === 'write';
    case 'confirm':
      return state.phase === 'collect' || state.phase === 'group';
    case 'consent':
    case 'translate':
    case 'withdraw':
      return !state.submitted;
    default:
      return false;
  }
}
