import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SeededModels } from './mlflow';
import { fillPlaceholders, finishedWorkflow, pipelineVersion, promotionWorkflow } from './pipeline-promotion';

const root = path.resolve(import.meta.dirname, '../..');
const script = readFileSync(path.join(root, 'stack/pipeline/request_promotion.py'), 'utf8');

const workflow = promotionWorkflow({
  name: 'train-fraud-detector-ab12c',
  version: { model: 'fraud-detector', version: '3' },
  portalUrl: 'http://127.0.0.1:3000',
  database: 'portal',
  source: script,
  now: Date.parse('2026-12-10T12:00:00Z'),
});

describe('the seeded pipeline that files a promotion request', () => {
  it('runs the script the README tells teams to paste', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8').split('\n');
    const start = readme.indexOf('    source: |');
    const end = readme.indexOf('  outputs:', start);
    expect(start, 'the README shows the step’s source').toBeGreaterThan(0);
    const pasted = readme
      .slice(start + 1, end)
      .map((line) => line.replace(/^ {6}/, ''))
      .join('\n');
    expect(pasted.trimEnd()).toBe(script.trimEnd());
  });

  it('gives the step its token from the tenant’s Secret and its run’s name as the pipeline', () => {
    const step = workflow.spec.templates.find((t) => t.name === 'request-promotion') as {
      script: { env: { name: string; value?: string; valueFrom?: unknown }[] };
    };
    const env = Object.fromEntries(step.script.env.map((e) => [e.name, e.valueFrom ?? e.value]));
    expect(env.PORTAL_TOKEN).toEqual({ secretKeyRef: { name: 'portal-api-token', key: 'token' } });
    expect(fillPlaceholders(String(env.PIPELINE_RUN), workflow)).toBe('train-fraud-detector-ab12c');
    expect(fillPlaceholders(String(env.MODEL_VERSION), workflow)).toBe('3');
    expect(fillPlaceholders('{{workflow.parameters.nope}}', workflow)).toBe('{{workflow.parameters.nope}}');
    expect(workflow.status.phase).toBe('Running');
    expect(workflow.status.progress).toBe('4/5');
  });

  it('records a success with its output parameters, and a refusal with the portal’s reason', () => {
    const now = Date.parse('2026-12-10T12:00:05Z');
    const parameters = [
      { name: 'request-id', value: 'r1' },
      { name: 'request-href', value: 'http://127.0.0.1:3000/t/fraud/promotions/r1' },
    ];
    const done = finishedWorkflow(workflow, { exitCode: 0, stdout: 'Filed\n', stderr: '', parameters }, now);
    expect(done.status).toMatchObject({ phase: 'Succeeded', progress: '5/5', finishedAt: '2026-12-10T12:00:05Z' });
    expect(done.metadata.labels).toMatchObject({
      'workflows.argoproj.io/phase': 'Succeeded',
      'workflows.argoproj.io/completed': 'true',
    });
    expect(done.status.nodes['train-fraud-detector-ab12c-4']!.outputs).toEqual({
      exitCode: '0',
      parameters,
      result: 'Filed',
    });

    const refused = finishedWorkflow(
      workflow,
      {
        exitCode: 1,
        stdout: '',
        stderr:
          'The portal refused the promotion request (422): This version cannot be submitted.\n  failing gate Model signature logged: No signature is logged.\n',
        parameters: [],
      },
      now,
    );
    expect(refused.status.phase).toBe('Failed');
    expect(refused.status.message).toBe(
      'child step "request-promotion" failed: The portal refused the promotion request (422): This version cannot be submitted. (failing gate Model signature logged: No signature is logged.)',
    );
    expect(refused.status.nodes['train-fraud-detector-ab12c-4']).toMatchObject({
      phase: 'Failed',
      outputs: { exitCode: '1' },
    });
  });

  it('files the newest signed version that neither serves nor is the one people request by hand', () => {
    const version = (v: string, signature = true) =>
      ({ version: v, signature }) as SeededModels['tenants'][0]['versions'][0];
    const models = {
      tenants: [
        {
          tenant: 'fraud',
          model: 'fraud-detector',
          versions: [version('1'), version('2', false), version('3'), version('4'), version('5')],
          champion: version('4'),
          challenger: version('5'),
        },
      ],
    } as unknown as SeededModels;
    expect(pipelineVersion(models)).toEqual({ model: 'fraud-detector', version: '3' });
  });
});
