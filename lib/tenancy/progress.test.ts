import { describe, expect, it } from 'vitest';
import { describeProgress, leaseHeld, remainingSteps, RUN_LEASE_MS, type StepRow } from './progress';

const now = new Date('2026-11-23T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const titles = new Map([
  ['namespace', 'Kubernetes namespace'],
  ['quota', 'Resource quota'],
  ['storage', 'Object-storage prefix'],
]);
const row = (step: string, position: number, state: StepRow['state'], extra: Partial<StepRow> = {}): StepRow => ({
  step,
  position,
  operation: 'provision',
  state,
  detail: null,
  error: null,
  startedAt: null,
  finishedAt: null,
  ...extra,
});

describe('provisioning progress', () => {
  it('lists the steps in order with their titles, states and durations', () => {
    const progress = describeProgress(
      [
        row('quota', 1, 'failed', { error: 'refused' }),
        row('namespace', 0, 'done', { startedAt: ago(2000), finishedAt: ago(1500) }),
        row('storage', 2, 'pending'),
      ],
      titles,
      null,
      now,
    );
    expect(progress).toMatchObject({ operation: 'provision', running: false, interrupted: false });
    expect(progress.steps).toEqual([
      { key: 'namespace', title: 'Kubernetes namespace', state: 'done', detail: null, error: null, durationMs: 500 },
      { key: 'quota', title: 'Resource quota', state: 'failed', detail: null, error: 'refused', durationMs: null },
      { key: 'storage', title: 'Object-storage prefix', state: 'pending', detail: null, error: null, durationMs: null },
    ]);
  });

  it('shows archiving backwards', () => {
    const rows = [row('namespace', 0, 'pending'), row('quota', 1, 'done'), row('storage', 2, 'done')].map((r) => ({
      ...r,
      operation: 'archive' as const,
    }));
    const progress = describeProgress(rows, titles, ago(1000), now);
    expect(progress).toMatchObject({ operation: 'archive', running: true });
    expect(progress.steps.map((s) => s.key)).toEqual(['storage', 'quota', 'namespace']);
  });

  it('a step left running by a run that stopped answering shows as interrupted, not forever running', () => {
    const rows = [row('namespace', 0, 'done'), row('quota', 1, 'running')];
    expect(describeProgress(rows, titles, ago(1000), now).steps[1]!.state).toBe('running');
    const stale = describeProgress(rows, titles, ago(RUN_LEASE_MS + 1), now);
    expect(stale).toMatchObject({ running: false, interrupted: true });
    expect(stale.steps[1]).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/Interrupted before it finished/),
    });
  });

  it('says nothing for tenants made before steps were recorded, and shows unknown steps by key', () => {
    expect(describeProgress([], titles, null, now)).toEqual({
      operation: null,
      running: false,
      interrupted: false,
      steps: [],
    });
    expect(describeProgress([row('gone', 0, 'done')], titles, null, now).steps[0]!.title).toBe('gone');
  });

  it('a retry runs what is not done in the same operation', () => {
    const rows = [row('namespace', 0, 'done'), row('quota', 1, 'failed'), row('storage', 2, 'pending')];
    expect(remainingSteps(rows, ['namespace', 'quota', 'storage'], 'provision')).toEqual(['quota', 'storage']);
    expect(remainingSteps(rows, ['storage', 'quota', 'namespace'], 'archive')).toEqual([
      'storage',
      'quota',
      'namespace',
    ]);
    expect(remainingSteps([], ['namespace'], 'provision')).toEqual(['namespace']);
  });

  it('holds the lease for RUN_LEASE_MS', () => {
    expect(leaseHeld(null, now)).toBe(false);
    expect(leaseHeld(ago(RUN_LEASE_MS - 1), now)).toBe(true);
    expect(leaseHeld(ago(RUN_LEASE_MS), now)).toBe(false);
  });
});
