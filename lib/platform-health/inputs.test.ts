import { describe, expect, it } from 'vitest';
import { inferenceServiceSchema } from '@/lib/integrations/kubernetes/inference-services';
import { podSchema } from '@/lib/integrations/kubernetes/pods';
import { workflowSchema } from '@/lib/integrations/kubernetes/workflows';
import {
  canaryEndpointsOf,
  crdReleaseVersion,
  MIN_SCALE_ANNOTATION,
  pipelineCandidates,
  REVISION_LABEL,
  revisionReplicas,
} from './inputs';
import { LOGS_MLFLOW_RUN_LABEL } from './pipeline-without-run';
import { checkRollbackTargetCold } from './rollback-target-cold';

const NOW = new Date('2026-12-07T12:00:00Z');
const meta = (namespace: string, name: string, extra: Record<string, unknown> = {}) => ({
  namespace,
  name,
  uid: `${namespace}-${name}`,
  resourceVersion: '1',
  ...extra,
});

const workflow = (
  namespace: string,
  name: string,
  { phase = 'Succeeded', finishedAt = '2026-12-06T12:00:00Z', labelled = true } = {},
) =>
  workflowSchema.parse({
    metadata: meta(namespace, name, { labels: labelled ? { [LOGS_MLFLOW_RUN_LABEL]: 'true' } : {} }),
    status: { phase, finishedAt },
  });

describe('the workflows pipeline-without-run judges', () => {
  const tenants = new Set(['fraud', 'pricing']);

  it('are the labelled tenants’ workflows that succeeded within the window, newest first', () => {
    const candidates = pipelineCandidates(
      [
        workflow('fraud', 'train-old', { finishedAt: '2026-11-29T11:59:59Z' }),
        workflow('fraud', 'train-a', { finishedAt: '2026-12-05T00:00:00Z' }),
        workflow('fraud', 'train-b', { finishedAt: '2026-12-07T10:00:00Z' }),
        workflow('fraud', 'train-failed', { phase: 'Failed' }),
        workflow('fraud', 'train-running', { phase: 'Running', finishedAt: null as unknown as string }),
        workflow('fraud', 'prepare-data', { labelled: false }),
        workflow('kube-system', 'not-a-tenant'),
        workflow('pricing', 'train-c'),
      ],
      tenants,
      NOW,
    );
    expect([...candidates.keys()]).toEqual(['fraud', 'pricing']);
    expect(candidates.get('fraud')!.map((w) => w.name)).toEqual(['train-b', 'train-a']);
    expect(candidates.get('pricing')![0]).toEqual({
      tenant: 'pricing',
      name: 'train-c',
      phase: 'Succeeded',
      finishedAt: '2026-12-06T12:00:00Z',
      labels: { [LOGS_MLFLOW_RUN_LABEL]: 'true' },
    });
  });

  it('takes a success exactly at the window’s start, and at most the newest `maxPerTenant` of a tenant', () => {
    const edge = pipelineCandidates([workflow('fraud', 'edge', { finishedAt: '2026-11-30T12:00:00Z' })], tenants, NOW);
    expect(edge.get('fraud')!.map((w) => w.name)).toEqual(['edge']);
    const many = Array.from({ length: 5 }, (_, i) =>
      workflow('fraud', `train-${i}`, { finishedAt: `2026-12-0${i + 1}T00:00:00Z` }),
    );
    expect(
      pipelineCandidates(many, tenants, NOW, 7, 2)
        .get('fraud')!
        .map((w) => w.name),
    ).toEqual(['train-4', 'train-3']);
  });
});

const pod = (
  namespace: string,
  revision: string | null,
  { ready = true, minScale = undefined as string | undefined, deleting = false } = {},
) =>
  podSchema.parse({
    metadata: meta(namespace, `${revision}-${Math.random()}`, {
      labels: revision ? { [REVISION_LABEL]: revision } : {},
      annotations: minScale === undefined ? {} : { [MIN_SCALE_ANNOTATION]: minScale },
      ...(deleting ? { deletionTimestamp: '2026-12-07T11:59:00Z' } : {}),
    }),
    spec: { containers: [{ name: 'kserve-container' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

describe('revision replicas from pods', () => {
  it('counts each revision’s Ready pods (not those being deleted) and reads the minimum scale they carry', () => {
    const replicas = revisionReplicas([
      pod('pricing', 'pe-00001', { minScale: '0' }),
      pod('pricing', 'pe-00001', { ready: false, minScale: '0' }),
      pod('pricing', 'pe-00001', { deleting: true }),
      pod('pricing', 'pe-00002'),
      pod('fraud', 'pe-00001', { ready: false }),
      pod('pricing', null),
    ]);
    expect(replicas.get('pricing')!.get('pe-00001')).toEqual({ readyReplicas: 1, minReplicas: 0 });
    expect(replicas.get('pricing')!.get('pe-00002')).toEqual({ readyReplicas: 1, minReplicas: undefined });
    expect(replicas.get('fraud')!.get('pe-00001')).toEqual({ readyReplicas: 0, minReplicas: undefined });
  });

  it('ignores a minimum scale that is not a whole number', () => {
    expect(
      revisionReplicas([pod('pricing', 'r', { minScale: 'one' })])
        .get('pricing')!
        .get('r')!.minReplicas,
    ).toBe(undefined);
  });
});

describe('InferenceServices as rollback-target-cold reads them', () => {
  const isvc = (name: string) =>
    inferenceServiceSchema.parse({
      metadata: meta('pricing', name),
      spec: { predictor: { canaryTrafficPercent: 10, model: { storageUri: 's3://b/x/artifacts/model' } } },
      status: {
        components: {
          predictor: {
            traffic: [
              { revisionName: `${name}-00002`, percent: 10, tag: 'latest', latestRevision: true },
              { revisionName: `${name}-00001`, percent: 90, tag: 'prev', latestRevision: false },
            ],
          },
        },
      },
    });

  it('a stable revision without pods has none ready, so a canary over it fires', () => {
    const [endpoint] = canaryEndpointsOf([isvc('cold')], [pod('pricing', 'cold-00002')]);
    expect(endpoint!.stable).toEqual({ revision: 'cold-00001', minReplicas: undefined, readyReplicas: 0 });
    expect(checkRollbackTargetCold([endpoint!])).toHaveLength(1);
  });

  it('a stable revision with a Ready pod is warm', () => {
    const endpoints = canaryEndpointsOf([isvc('warm')], [pod('pricing', 'warm-00001'), pod('pricing', 'warm-00002')]);
    expect(endpoints[0]!.stable.readyReplicas).toBe(1);
    expect(checkRollbackTargetCold(endpoints)).toEqual([]);
  });
});

describe('a CustomResourceDefinition’s release', () => {
  it('is its app.kubernetes.io/version label, else the version in Helm’s chart label, else unknown', () => {
    expect(crdReleaseVersion({ labels: { 'app.kubernetes.io/version': 'v0.15.2' } })).toBe('v0.15.2');
    expect(crdReleaseVersion({ labels: { 'helm.sh/chart': 'kserve-crd-v0.15.2' } })).toBe('0.15.2');
    expect(crdReleaseVersion({ labels: { 'helm.sh/chart': 'kserve-crd' } })).toBeNull();
    expect(crdReleaseVersion({ labels: {} })).toBeNull();
  });
});
