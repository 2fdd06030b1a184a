import { describe, expect, it } from 'vitest';
import { checkPipelineWithoutRun, LOGS_MLFLOW_RUN_LABEL, type PipelineWorkflow } from './pipeline-without-run';

const now = new Date('2026-12-10T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600 * 1000).toISOString();

function workflow(overrides: Partial<PipelineWorkflow> = {}): PipelineWorkflow {
  return {
    tenant: 'fraud',
    name: 'fraud-train-x7k2p',
    phase: 'Succeeded',
    finishedAt: daysAgo(1),
    labels: { [LOGS_MLFLOW_RUN_LABEL]: 'true' },
    ...overrides,
  };
}

const tags = (values: string[]) => new Map([['fraud', new Set(values)]]);

describe('pipeline-without-run', () => {
  it('fires for a succeeded training workflow with no MLflow run tagged with its name, naming both', () => {
    const [finding, ...rest] = checkPipelineWithoutRun({ workflows: [workflow()], pipelineRunTags: tags([]), now });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      checkId: 'pipeline-without-run',
      severity: 'warning',
      tenant: 'fraud',
      subject: { kind: 'workflow', name: 'fraud-train-x7k2p' },
    });
    expect(finding!.title).toContain('mlp.pipeline_run=fraud-train-x7k2p');
    expect(finding!.evidence).toContainEqual({
      label: 'Workflow',
      value: 'fraud/fraud-train-x7k2p',
      href: '/t/fraud/pipelines',
    });
    expect(finding!.remedy).toContain('mlp.pipeline_run={{workflow.name}}');
  });

  it('clears once a run carries the tag', () => {
    expect(
      checkPipelineWithoutRun({ workflows: [workflow()], pipelineRunTags: tags(['fraud-train-x7k2p']), now }),
    ).toEqual([]);
  });

  it('judges only workflows that declare a run, and only successes', () => {
    const workflows = [
      workflow({ name: 'prep', labels: {} }),
      workflow({ name: 'declined', labels: { [LOGS_MLFLOW_RUN_LABEL]: 'false' } }),
      workflow({ name: 'failed', phase: 'Failed' }),
      workflow({ name: 'running', phase: 'Running', finishedAt: null }),
    ];
    expect(checkPipelineWithoutRun({ workflows, pipelineRunTags: tags([]), now })).toEqual([]);
  });

  it('looks back N days (7 unless told), the boundary included', () => {
    const workflows = [
      workflow({ name: 'edge', finishedAt: daysAgo(7) }),
      workflow({ name: 'old', finishedAt: daysAgo(7.01) }),
    ];
    expect(checkPipelineWithoutRun({ workflows, pipelineRunTags: tags([]), now }).map((f) => f.subject.name)).toEqual([
      'edge',
    ]);
    expect(
      checkPipelineWithoutRun({ workflows, pipelineRunTags: tags([]), now, windowDays: 30 }).map((f) => f.subject.name),
    ).toEqual(['edge', 'old']);
    expect(checkPipelineWithoutRun({ workflows, pipelineRunTags: tags([]), now, windowDays: 1 })).toEqual([]);
  });

  it('matches runs within the workflow’s own tenant only, and says nothing where MLflow could not be searched', () => {
    const elsewhere = new Map([['churn', new Set(['fraud-train-x7k2p'])]]);
    expect(checkPipelineWithoutRun({ workflows: [workflow()], pipelineRunTags: elsewhere, now })).toEqual([]);
    const both = new Map([
      ['churn', new Set(['fraud-train-x7k2p'])],
      ['fraud', new Set<string>()],
    ]);
    expect(checkPipelineWithoutRun({ workflows: [workflow()], pipelineRunTags: both, now })).toHaveLength(1);
  });
});
