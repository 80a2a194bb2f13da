import { describe, expect, it } from 'vitest';
import { memberMay, nextPhase, openablePhases, refuseMove, type PhaseState } from './phases';

const state = (open: PhaseState['open'], ...closed: PhaseState['closed'][number][]): PhaseState => ({ open, closed });

describe('refuseMove', () => {
  it('opens collect first, then each next phase once the previous is closed', () => {
    expect(refuseMove(state(null), { kind: 'open', phase: 'collect' })).toBeNull();
    expect(refuseMove(state(null), { kind: 'open', phase: 'group' })).toBe('too_early');
    expect(refuseMove(state(null, 'collect'), { kind: 'open', phase: 'group' })).toBeNull();
    expect(refuseMove(state(null, 'collect'), { kind: 'open', phase: 'agree' })).toBe('too_early');
  });

  it('never opens two phases at once, and closes only the open one', () => {
    expect(refuseMove(state('collect'), { kind: 'open', phase: 'collect' })).toBe('another_open');
    expect(refuseMove(state('collect'), { kind: 'close', phase: 'group' })).toBe('not_open');
    expect(refuseMove(state('collect'), { kind: 'close', phase: 'collect' })).toBeNull();
    expect(refuseMove(state(null), { kind: 'close', phase: 'collect' })).toBe('not_open');
  });

  it('opens again a phase already held, and nothing once submit is closed', () => {
    expect(refuseMove(state(null, 'collect', 'group'), { kind: 'open', phase: 'collect' })).toBeNull();
    const done = state(null, 'collect', 'group', 'agree', 'write', 'submit');
    expect(refuseMove(done, { kind: 'open', phase: 'collect' })).toBe('finished');
    expect(nextPhase(done)).toBeNull();
    expect(openablePhases(done)).toEqual([]);
  });

  it('says which phase comes next and which may open', () => {
    expect(nextPhase(state(null))).toBe('collect');
    expect(nextPhase(state(null, 'collect', 'group'))).toBe('agree');
    expect(nextPhase(state('agree', 'collect', 'group'))).toBeNull();
    expect(openablePhases(state(null, 'collect', 'group'))).toEqual(['collect', 'group', 'agree']);
  });
});

describe('memberMay', () => {
  it('lets members write and edit only while collect is open', () => {
    expect(memberMay('write', { phase: 'collect', submitted: false })).toBe(true);
    expect(memberMay('edit', { phase: 'collect', submitted: false })).toBe(true);
    for (const phase of ['group', 'agree', 'write', 'submit', null] as const) {
      expect(memberMay('write', { phase, submitted: false })).toBe(false);
      expect(memberMay('edit', { phase, submitted: false })).toBe(false);
    }
  });

  it('lets members vote in agree and adopt recommendations in write', () => {
    expect(memberMay('vote', { phase: 'agree', submitted: false })).toBe(true);
    expect(memberMay('vote', { phase: 'collect', submitted: false })).toBe(false);
    expect(memberMay('adopt', { phase: 'write', submitted: false })).toBe(true);
    expect(memberMay('adopt', { phase: 'agree', submitted: false })).toBe(false);
  });

  it('keeps her consent, translation and withdrawal hers until the submission, in any phase', () => {
    for (const action of ['consent', 'translate', 'withdraw'] as const) {
      expect(memberMay(action, { phase: null, submitted: false })).toBe(true);
      expect(memberMay(action, { phase: 'write', submitted: false })).toBe(true);
      expect(memberMay(action, { phase: 'submit', submitted: true })).toBe(false);
    }
  });

  it('lets members present confirm a transcription while collecting or grouping', () => {
    expect(memberMay('confirm', { phase: 'group', submitted: false })).toBe(true);
    expect(memberMay('confirm', { phase: 'agree', submitted: false })).toBe(false);
  });
});
