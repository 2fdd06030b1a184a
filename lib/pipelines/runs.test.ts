import { describe, expect, it } from 'vitest';
import { workflowSchema } from '../integrations/kubernetes/workflows';
import { listPipelineRuns, RUNS_SHOWN } from './runs';

const NOW = new Date('2026-03-01T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
let n = 0;

function workflow(
  name: string,
  status: Record<string, unknown> | undefined,
  options: { template?: string | null; createdHoursAgo?: number } = {},
) {
  const { template = 'fraud-train', createdHoursAgo } = options;
  return workflowSchema.parse({
    metadata: {
      name,
      namespace: 'fraud',
      uid: `u${++n}`,
      resourceVersion: String(n),
      ...(createdHoursAgo === undefined ? {} : { creationTimestamp: hoursAgo(createdHoursAgo) }),
      labels: template ? { 'workflows.argoproj.io/workflow-template': template } : {},
    },
    status,
  });
}

/** A run that started `startedHoursAgo` and took `hours`. */
const finished = (name: string, phase: string, startedHoursAgo: number, hours: number, message?: string) =>
  workflow(name, {
    phase,
    startedAt: hoursAgo(startedHoursAgo),
    finishedAt: hoursAgo(startedHoursAgo - hours),
    ...(message ? { message } : {}),
  });

const names = (list: { runs: { name: string }[] }) => list.runs.map((r) => r.name);

describe('listPipelineRuns', () => {
  const workflows = [
    finished('ok-old', 'Succeeded', 300, 1),
    finished('failed', 'Failed', 20, 0.5, 'child step "evaluate" failed'),
    finished('ok-new', 'Succeeded', 10, 2),
    finished('error', 'Error', 30, 0.25, 'pod deleted'),
    workflow('running', { phase: 'Running', startedAt: hoursAgo(1), finishedAt: null, message: 'step 2 of 4' }),
    workflow('pending', { phase: 'Pending' }, { createdHoursAgo: 0.1 }),
    workflow('unseen', undefined, { template: null }),
  ];

  it('lists every run newest first by start; runs not started yet first, newest created first', () => {
    const list = listPipelineRuns(workflows, { phase: null, now: NOW });
    expect(names(list)).toEqual(['unseen', 'pending', 'running', 'ok-new', 'failed', 'error', 'ok-old']);
    expect(list).toMatchObject({ matching: 7, total: 7, counts: { Running: 1, Pending: 2, Succeeded: 2, Failed: 2 } });
  });

  it('gives each run its template, phase, times, duration and, for failures only, the message', () => {
    const runs = listPipelineRuns(workflows, { phase: null, now: NOW }).runs;
    const byName = new Map(runs.map((r) => [r.name, r]));
    expect(byName.get('failed')).toEqual({
      name: 'failed',
      template: 'fraud-train',
      phase: 'Failed',
      startedAt: hoursAgo(20),
      finishedAt: hoursAgo(19.5),
      durationMs: 30 * 60_000,
      message: 'child step "evaluate" failed',
    });
    expect(byName.get('error')).toMatchObject({ phase: 'Error', durationMs: 15 * 60_000, message: 'pod deleted' });
    // Running: how long so far; its message is progress, not a reason.
    expect(byName.get('running')).toMatchObject({
      phase: 'Running',
      finishedAt: null,
      durationMs: 3_600_000,
      message: null,
    });
    expect(byName.get('pending')).toMatchObject({
      phase: 'Pending',
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      message: null,
    });
    expect(byName.get('unseen')).toMatchObject({ phase: null, template: null, durationMs: null });
  });

  it('filters by phase, counting what matches', () => {
    const failed = listPipelineRuns(workflows, { phase: 'Failed', now: NOW });
    expect(names(failed)).toEqual(['failed', 'error']);
    expect(failed).toMatchObject({ matching: 2, total: 7 });
    expect(names(listPipelineRuns(workflows, { phase: 'Succeeded', now: NOW }))).toEqual(['ok-new', 'ok-old']);
    expect(names(listPipelineRuns(workflows, { phase: 'Pending', now: NOW }))).toEqual(['unseen', 'pending']);
    expect(names(listPipelineRuns(workflows, { phase: 'Running', now: NOW }))).toEqual(['running']);
  });

  it('lists at most the limit, the newest, and says how many matched', () => {
    const many = Array.from({ length: RUNS_SHOWN + 50 }, (_, i) =>
      finished(`run-${String(i).padStart(3, '0')}`, 'Succeeded', i + 1, 0.5),
    );
    const list = listPipelineRuns(many, { phase: null, now: NOW });
    expect(list.runs).toHaveLength(RUNS_SHOWN);
    expect(list.runs[0]!.name).toBe('run-000');
    expect(list.runs.at(-1)!.name).toBe(`run-${RUNS_SHOWN - 1}`);
    expect(list).toMatchObject({ matching: RUNS_SHOWN + 50, total: RUNS_SHOWN + 50 });
    expect(listPipelineRuns(many, { phase: null, now: NOW, limit: 3 }).runs.map((r) => r.name)).toEqual([
      'run-000',
      'run-001',
      'run-002',
    ]);
  });

  it('orders runs that started at the same time by name, and lists nothing for no runs', () => {
    const same = [finished('b', 'Succeeded', 2, 1), finished('a', 'Succeeded', 2, 1)];
    expect(names(listPipelineRuns(same, { phase: null, now: NOW }))).toEqual(['a', 'b']);
    expect(listPipelineRuns([], { phase: 'Failed', now: NOW })).toEqual({
      runs: [],
      matching: 0,
      total: 0,
      counts: { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 },
    });
  });
});
