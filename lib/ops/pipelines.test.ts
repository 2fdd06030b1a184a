import { describe, expect, it } from 'vitest';
import { workflowSchema, workflowTemplate } from '../integrations/kubernetes/workflows';
import { PIPELINE_WINDOW_MS, summarisePipelines } from './pipelines';

const NOW = new Date('2026-03-01T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
let n = 0;

function workflow(name: string, status: Record<string, unknown> | undefined, template: string | null = 'fraud-train') {
  return workflowSchema.parse({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name,
      namespace: 'fraud',
      uid: `u${++n}`,
      resourceVersion: String(n),
      labels: template ? { 'workflows.argoproj.io/workflow-template': template } : {},
    },
    spec: { entrypoint: 'main', templates: [{ name: 'main' }] },
    status,
  });
}

/** A run that started `startedHoursAgo` and took `hours`. */
const finished = (
  name: string,
  phase: string,
  startedHoursAgo: number,
  hours: number,
  extra: Record<string, unknown> = {},
) =>
  workflow(name, {
    phase,
    startedAt: hoursAgo(startedHoursAgo),
    finishedAt: hoursAgo(startedHoursAgo - hours),
    ...extra,
  });

describe('the Workflow schema', () => {
  it('keeps what the dashboard reads and leaves out the templates and the per-step nodes', () => {
    const parsed = workflow('a', {
      phase: 'Succeeded',
      startedAt: hoursAgo(2),
      finishedAt: hoursAgo(1),
      progress: '3/3',
      nodes: { a: { id: 'a', phase: 'Succeeded' } },
    });
    expect(parsed.status).toEqual({ phase: 'Succeeded', startedAt: hoursAgo(2), finishedAt: hoursAgo(1) });
    expect(parsed.spec).toEqual({});
    expect(parsed.metadata.name).toBe('a');
  });

  it('accepts a Workflow the controller has not seen yet, and null times', () => {
    expect(workflow('new', undefined).status).toEqual({});
    expect(
      workflow('running', { phase: 'Running', startedAt: hoursAgo(1), finishedAt: null }).status.finishedAt,
    ).toBeNull();
  });

  it('names the template from the label, else from workflowTemplateRef, else null', () => {
    expect(workflowTemplate(workflow('a', {}, 'fraud-train'))).toBe('fraud-train');
    const fromRef = workflowSchema.parse({
      metadata: { name: 'b', namespace: 'fraud', uid: 'b', resourceVersion: '1' },
      spec: { workflowTemplateRef: { name: 'nightly' } },
    });
    expect(workflowTemplate(fromRef)).toBe('nightly');
    expect(workflowTemplate(workflow('c', {}, null))).toBeNull();
  });
});

describe('summarisePipelines', () => {
  it('counts runs that finished in the last 7 days: success rate, mean duration, running', () => {
    const summary = summarisePipelines(
      [
        finished('ok-1', 'Succeeded', 10, 1),
        finished('ok-2', 'Succeeded', 30, 3),
        finished('ok-3', 'Succeeded', 50, 2),
        finished('failed', 'Failed', 20, 0.5, { message: 'child step "evaluate" failed' }),
        workflow('running-1', { phase: 'Running', startedAt: hoursAgo(1), finishedAt: null }),
        workflow('running-2', { phase: 'Running', startedAt: hoursAgo(400) }),
        workflow('pending', { phase: 'Pending' }),
        workflow('unseen', undefined),
      ],
      NOW,
    );
    expect(summary).toEqual({
      windowMs: PIPELINE_WINDOW_MS,
      finished: 4,
      succeeded: 3,
      failed: 1,
      successRate: 0.75,
      meanDurationMs: ((1 + 3 + 2 + 0.5) / 4) * 3_600_000,
      running: 2,
      recentFailures: [
        {
          name: 'failed',
          template: 'fraud-train',
          phase: 'Failed',
          message: 'child step "evaluate" failed',
          finishedAt: hoursAgo(19.5),
        },
      ],
    });
  });

  it('goes by when a run finished: one that started before the window and ended in it counts, one that ended before does not', () => {
    const window = PIPELINE_WINDOW_MS / 3_600_000;
    const summary = summarisePipelines(
      [
        finished('across', 'Succeeded', window + 5, 10),
        finished('before', 'Failed', window + 5, 2),
        finished('edge', 'Error', window, 0),
      ],
      NOW,
    );
    expect(summary).toMatchObject({ finished: 2, succeeded: 1, failed: 1 });
    expect(summary.recentFailures.map((f) => f.name)).toEqual(['edge']);
  });

  it('has no rate and no mean without finished runs', () => {
    expect(summarisePipelines([workflow('r', { phase: 'Running', startedAt: hoursAgo(1) })], NOW)).toMatchObject({
      finished: 0,
      successRate: null,
      meanDurationMs: null,
      running: 1,
      recentFailures: [],
    });
    expect(summarisePipelines([], NOW)).toMatchObject({ finished: 0, successRate: null, running: 0 });
  });

  it('counts a finished run without a usable start in the rate but not in the mean', () => {
    const summary = summarisePipelines(
      [
        workflow('no-start', { phase: 'Succeeded', finishedAt: hoursAgo(1) }),
        workflow('bad-start', { phase: 'Succeeded', startedAt: 'soon', finishedAt: hoursAgo(1) }),
        finished('timed', 'Succeeded', 3, 2),
      ],
      NOW,
    );
    expect(summary).toMatchObject({ finished: 3, successRate: 1, meanDurationMs: 2 * 3_600_000 });
  });

  it('ignores a finished phase without a finish time, and unknown phases', () => {
    const summary = summarisePipelines(
      [
        workflow('odd', { phase: 'Failed', startedAt: hoursAgo(2) }),
        workflow('future-phase', { phase: 'Skipped', finishedAt: hoursAgo(1) }),
      ],
      NOW,
    );
    expect(summary).toMatchObject({ finished: 0, failed: 0, recentFailures: [] });
  });

  it('keeps the five latest failures, newest first, Error included, with null for a missing message or template', () => {
    const failures = Array.from({ length: 7 }, (_, i) => finished(`f${i}`, i % 2 ? 'Error' : 'Failed', 10 + i * 10, 1));
    const adHoc = workflow('ad-hoc', { phase: 'Error', startedAt: hoursAgo(3), finishedAt: hoursAgo(2) }, null);
    const summary = summarisePipelines([...failures, adHoc], NOW);
    expect(summary.failed).toBe(8);
    expect(summary.successRate).toBe(0);
    expect(summary.recentFailures.map((f) => f.name)).toEqual(['ad-hoc', 'f0', 'f1', 'f2', 'f3']);
    expect(summary.recentFailures[0]).toMatchObject({ template: null, message: null, phase: 'Error' });
    expect(summary.recentFailures[2]!.phase).toBe('Error');
  });

  it('takes another window when asked', () => {
    const summary = summarisePipelines(
      [finished('recent', 'Succeeded', 5, 1), finished('older', 'Failed', 30, 1)],
      NOW,
      24 * 3_600_000,
    );
    expect(summary).toMatchObject({ windowMs: 24 * 3_600_000, finished: 1, successRate: 1 });
  });
});
