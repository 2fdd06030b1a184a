import { describe, expect, it } from 'vitest';
import { parsePhaseFilter } from './phase-param';
import { matchesPhase } from './phases';

describe('parsePhaseFilter', () => {
  it('lists every run without a filter, or with an empty one', () => {
    expect(parsePhaseFilter(undefined)).toEqual({ ok: true, phase: null });
    expect(parsePhaseFilter('')).toEqual({ ok: true, phase: null });
  });

  it("takes one of Argo's phases, spelt as Argo spells them", () => {
    for (const phase of ['Running', 'Pending', 'Succeeded', 'Failed'] as const)
      expect(parsePhaseFilter(phase)).toEqual({ ok: true, phase });
  });

  it('refuses anything else in words that say what to choose', () => {
    const expected = 'choose one of Running, Pending, Succeeded, Failed (Failed includes runs that ended in Error).';
    expect(parsePhaseFilter('failed')).toEqual({
      ok: false,
      message: `“failed” is not a phase to filter by: ${expected}`,
    });
    expect(parsePhaseFilter('Error')).toEqual({
      ok: false,
      message: `“Error” is not a phase to filter by: ${expected}`,
    });
    expect(parsePhaseFilter(['Failed', 'Running'])).toEqual({
      ok: false,
      message: `“Failed, Running” is not a phase to filter by: ${expected}`,
    });
    // A long value is cut short in the message.
    expect(parsePhaseFilter('x'.repeat(500))).toEqual({
      ok: false,
      message: `“${'x'.repeat(40)}” is not a phase to filter by: ${expected}`,
    });
  });
});

describe('matchesPhase', () => {
  it('counts Error as failed, and a Workflow the controller has not seen as pending', () => {
    expect(matchesPhase('Failed', 'Failed')).toBe(true);
    expect(matchesPhase('Error', 'Failed')).toBe(true);
    expect(matchesPhase('Succeeded', 'Failed')).toBe(false);
    expect(matchesPhase(null, 'Pending')).toBe(true);
    expect(matchesPhase('Pending', 'Pending')).toBe(true);
    expect(matchesPhase(null, 'Failed')).toBe(false);
    expect(matchesPhase('Running', 'Running')).toBe(true);
    expect(matchesPhase('Running', 'Succeeded')).toBe(false);
  });
});
