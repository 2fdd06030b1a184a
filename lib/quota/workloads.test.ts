import { describe, expect, it } from 'vitest';
import { kubeEventSchema } from '../integrations/kubernetes/events';
import { jobSchema } from '../integrations/kubernetes/jobs';
import { podSchema } from '../integrations/kubernetes/pods';
import { gpuPodRows, oomKills, parseQuotaRefusal, pendingWorkloads } from './workloads';

const NOW = new Date('2026-03-01T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
let n = 0;

function pod(
  name: string,
  spec: {
    gpus?: number;
    node?: string;
    phase?: string;
    conditions?: unknown[];
    statuses?: unknown[];
    owner?: string;
    deleting?: boolean;
  },
) {
  return podSchema.parse({
    metadata: {
      name,
      namespace: 'fraud',
      uid: `u${++n}`,
      resourceVersion: String(n),
      creationTimestamp: ago(30),
      deletionTimestamp: spec.deleting ? ago(0) : undefined,
      ownerReferences: spec.owner
        ? [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: spec.owner, controller: true }]
        : undefined,
    },
    spec: {
      nodeName: spec.node,
      containers: [{ name: 'main', resources: { limits: spec.gpus ? { 'nvidia.com/gpu': String(spec.gpus) } : {} } }],
    },
    status: {
      phase: spec.phase ?? (spec.node ? 'Running' : 'Pending'),
      startTime: ago(20),
      conditions: spec.conditions ?? [],
      containerStatuses: spec.statuses ?? [],
    },
  });
}

function event(fields: {
  reason: string;
  kind: string;
  name: string;
  message: string;
  last: string;
  first?: string;
  count?: number;
  uid?: string;
}) {
  return kubeEventSchema.parse({
    metadata: { name: `${fields.name}.${++n}`, namespace: 'fraud', resourceVersion: String(n) },
    involvedObject: { kind: fields.kind, name: fields.name, namespace: 'fraud', uid: fields.uid },
    reason: fields.reason,
    message: fields.message,
    type: 'Warning',
    count: fields.count ?? 1,
    firstTimestamp: fields.first ?? fields.last,
    lastTimestamp: fields.last,
  });
}

function job(name: string, uid: string, finished = false) {
  return jobSchema.parse({
    metadata: { name, namespace: 'fraud', uid, resourceVersion: '1' },
    status: { conditions: finished ? [{ type: 'Complete', status: 'True' }] : [] },
  });
}

const QUOTA_MESSAGE =
  'Error creating: pods "fraud-retrain-full-history-abcde" is forbidden: exceeded quota: gpu-quota, requested: requests.nvidia.com/gpu=8, used: requests.nvidia.com/gpu=6, limited: requests.nvidia.com/gpu=8';
const SCHEDULER_MESSAGE =
  "0/6 nodes are available: 2 Insufficient nvidia.com/gpu, 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 2 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.";

describe('GPU pods', () => {
  it('lists unfinished GPU pods with their node’s product and their controller, running first', () => {
    const rows = gpuPodRows(
      [
        pod('z-train', { gpus: 2, node: 'gpu-a100-1', owner: 'fraud-train-abc' }),
        pod('a-wait', { gpus: 4 }),
        pod('cpu-only', { node: 'cpu-1' }),
        pod('done', { gpus: 1, node: 'gpu-a100-1', phase: 'Failed' }),
        pod('m-start', { gpus: 1, node: 'gpu-h100-1', phase: 'Pending' }),
        pod('going', { gpus: 1, node: 'gpu-a100-2', deleting: true }),
      ],
      [
        { name: 'gpu-a100-1', product: 'NVIDIA-A100', allocatable: 8, requested: 2, ready: true, schedulable: true },
        { name: 'gpu-h100-1', product: 'NVIDIA-H100', allocatable: 8, requested: 1, ready: true, schedulable: true },
      ],
    );
    expect(rows.map((r) => [r.name, r.state, r.gpus, r.node, r.product, r.owner])).toEqual([
      ['z-train', 'running', 2, 'gpu-a100-1', 'NVIDIA-A100', 'Workflow fraud-train-abc'],
      ['m-start', 'starting', 1, 'gpu-h100-1', 'NVIDIA-H100', null],
      ['going', 'terminating', 1, 'gpu-a100-2', null, null],
      ['a-wait', 'unscheduled', 4, null, null, null],
    ]);
  });
});

describe('pending workloads', () => {
  it('gives an unschedulable pod the scheduler’s latest reason from its events', () => {
    const pending = pendingWorkloads(
      [
        pod('fraud-gnn', {
          gpus: 4,
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: 'older text',
              lastTransitionTime: ago(25),
            },
          ],
        }),
      ],
      [
        event({
          reason: 'FailedScheduling',
          kind: 'Pod',
          name: 'fraud-gnn',
          message: 'an older attempt',
          last: ago(20),
        }),
        event({
          reason: 'FailedScheduling',
          kind: 'Pod',
          name: 'fraud-gnn',
          message: SCHEDULER_MESSAGE,
          last: ago(2),
          first: ago(25),
          count: 7,
        }),
        event({ reason: 'FailedScheduling', kind: 'Pod', name: 'another-pod', message: 'not this one', last: ago(1) }),
      ],
      NOW,
    );
    expect(pending).toEqual([
      {
        kind: 'capacity',
        objectKind: 'Pod',
        name: 'fraud-gnn',
        gpus: 4,
        reason: SCHEDULER_MESSAGE,
        source: 'scheduler',
        firstSeen: ago(25),
        lastSeen: ago(2),
        count: 7,
      },
    ]);
  });

  it('tells GPUs missing from other placement problems, and says when the scheduler has not spoken yet', () => {
    const pending = pendingWorkloads(
      [
        pod('tainted', {
          gpus: 1,
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              message: '0/6 nodes are available: 6 node(s) had untolerated taint {gpu: reserved}.',
            },
          ],
        }),
        pod('fresh', { gpus: 1 }),
        pod('cpu', {}),
        pod('placed', { gpus: 1, node: 'n', phase: 'Pending' }),
      ],
      [],
      NOW,
    );
    expect(pending.map((p) => [p.name, p.kind, p.source])).toEqual([
      ['tainted', 'scheduling', 'scheduler'],
      ['fresh', 'waiting', 'Kubernetes'],
    ]);
    expect(pending[1]!.reason).toBe('The scheduler has not placed it yet.');
  });

  it('shows a controller whose GPU pod quota admission refused recently, with the refusal', () => {
    const pending = pendingWorkloads(
      [],
      [
        event({
          reason: 'FailedCreate',
          kind: 'Job',
          name: 'fraud-retrain-full-history',
          message: QUOTA_MESSAGE,
          last: ago(1),
          first: ago(9),
          count: 12,
        }),
        event({
          reason: 'FailedCreate',
          kind: 'Job',
          name: 'fraud-retrain-full-history',
          message: QUOTA_MESSAGE,
          last: ago(4),
          first: ago(4),
        }),
        event({ reason: 'FailedCreate', kind: 'Job', name: 'old-job', message: QUOTA_MESSAGE, last: ago(16) }),
        event({
          reason: 'FailedCreate',
          kind: 'Job',
          name: 'cpu-job',
          message: QUOTA_MESSAGE.replaceAll('requests.nvidia.com/gpu', 'requests.cpu'),
          last: ago(1),
        }),
        event({
          reason: 'FailedCreate',
          kind: 'ReplicaSet',
          name: 'no-quota',
          message: 'Error creating: pods "x" is forbidden: error looking up service account fraud/nope',
          last: ago(1),
        }),
      ],
      NOW,
    );
    expect(pending).toEqual([
      {
        kind: 'quota',
        objectKind: 'Job',
        name: 'fraud-retrain-full-history',
        gpus: 8,
        reason: QUOTA_MESSAGE,
        source: 'quota admission',
        firstSeen: ago(9),
        lastSeen: ago(1),
        count: 13,
      },
    ]);
  });

  it('drops a Job’s refusal once the Job is gone, finished or replaced', () => {
    const refused = (name: string, uid?: string) =>
      event({ reason: 'FailedCreate', kind: 'Job', name, uid, message: QUOTA_MESSAGE, last: ago(1) });
    const pending = pendingWorkloads(
      [],
      [
        refused('waits', 'u-1'),
        refused('deleted', 'u-2'),
        refused('done', 'u-3'),
        refused('recreated', 'u-old'),
        refused('no-uid'),
      ],
      NOW,
      [job('waits', 'u-1'), job('done', 'u-3', true), job('recreated', 'u-new'), job('no-uid', 'u-5')],
    );
    expect(pending.map((p) => p.name)).toEqual(['no-uid', 'waits']);
  });

  it('reads quota admission’s message', () => {
    expect(
      parseQuotaRefusal(
        'exceeded quota: gpu-quota, requested: requests.cpu=32,requests.nvidia.com/gpu=8, used: requests.cpu=24,requests.nvidia.com/gpu=6, limited: requests.cpu=40,requests.nvidia.com/gpu=8',
      ),
    ).toEqual({
      quota: 'gpu-quota',
      requested: { 'requests.cpu': '32', 'requests.nvidia.com/gpu': '8' },
      used: { 'requests.cpu': '24', 'requests.nvidia.com/gpu': '6' },
      limited: { 'requests.cpu': '40', 'requests.nvidia.com/gpu': '8' },
    });
    expect(parseQuotaRefusal('something else')).toBeNull();
  });
});

describe('OOM kills', () => {
  it('lists containers killed for memory in the last day, also when they have restarted since', () => {
    const kills = oomKills(
      [
        pod('oom-now', {
          gpus: 1,
          node: 'gpu-a100-1',
          phase: 'Failed',
          statuses: [
            { name: 'main', state: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(130) } } },
          ],
        }),
        pod('oom-restarted', {
          gpus: 2,
          node: 'gpu-a100-2',
          statuses: [
            {
              name: 'main',
              restartCount: 1,
              state: { running: {} },
              lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(10) } },
            },
          ],
        }),
        pod('oom-old', {
          phase: 'Failed',
          statuses: [{ name: 'main', state: { terminated: { reason: 'OOMKilled', finishedAt: ago(25 * 60) } } }],
        }),
        pod('error', {
          phase: 'Failed',
          statuses: [{ name: 'main', state: { terminated: { reason: 'Error', exitCode: 1, finishedAt: ago(5) } } }],
        }),
      ],
      NOW,
    );
    expect(kills).toEqual([
      {
        pod: 'oom-restarted',
        container: 'main',
        gpus: 2,
        node: 'gpu-a100-2',
        finishedAt: ago(10),
        exitCode: 137,
        restarted: true,
      },
      {
        pod: 'oom-now',
        container: 'main',
        gpus: 1,
        node: 'gpu-a100-1',
        finishedAt: ago(130),
        exitCode: 137,
        restarted: false,
      },
    ]);
  });
});
