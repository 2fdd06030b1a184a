/**
 * A namespace's GPU workloads from its pods and Warning events, with no I/O: the pods holding
 * GPUs and where they run, what waits and why — the scheduler's reason for a pod it cannot place
 * (FailedScheduling) or quota admission's refusal of a pod a controller tried to create
 * (FailedCreate "exceeded quota": such a pod never exists, so the event is all there is) — and
 * the pods the kernel killed for memory in the last day. Pure.
 */
import { eventCount, eventLastSeen, jobFinished, type Job, type KubeEvent, type Pod } from '../integrations/kubernetes';
import { GPU_QUOTA_KEY, GPU_RESOURCE, podGpus, podTerminal, type NodeGpus } from './gpu';
import { quantityOrZero } from './quantity';

/**
 * A quota refusal counts as current while its controller keeps retrying within this window. The
 * API server's event spam filter lets one event per object through every 5 minutes once a
 * controller has retried a few dozen times, so the window covers two of those. (A Job's refusal is
 * also dropped as soon as the Job is gone or finished.)
 */
export const QUOTA_REFUSAL_WINDOW_MS = 10 * 60_000;
/** OOM kills shown: the last day's. */
export const OOM_WINDOW_MS = 24 * 60 * 60_000;

export type GpuPodState = 'running' | 'starting' | 'unscheduled' | 'terminating';

export interface GpuPodRow {
  name: string;
  state: GpuPodState;
  gpus: number;
  node: string | null;
  /** The node's GPU product label. */
  product: string | null;
  startedAt: string | null;
  /** The controller that made the pod, e.g. "Workflow fraud-train-x7k2p". */
  owner: string | null;
}

export type PendingKind = 'quota' | 'capacity' | 'scheduling' | 'waiting';

export interface PendingWorkload {
  kind: PendingKind;
  /** The pod, or for a quota refusal the controller whose pod was refused. */
  objectKind: string;
  name: string;
  /** GPUs asked for; null when not known. */
  gpus: number | null;
  /** The reason as the scheduler or quota admission gave it. */
  reason: string;
  /** Who gave it: "scheduler", "quota admission" or "Kubernetes". */
  source: string;
  /** When it was first and last reported (ISO), and how often. */
  firstSeen: string | null;
  lastSeen: string | null;
  count: number;
}

export interface OomKill {
  pod: string;
  container: string;
  gpus: number;
  node: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  /** The container has been restarted since (the kill is its last state). */
  restarted: boolean;
}

function ownerOf(pod: Pod): string | null {
  const refs = pod.metadata.ownerReferences ?? [];
  const owner = refs.find((r) => r.controller) ?? refs[0];
  return owner ? `${owner.kind} ${owner.name}` : null;
}

function stateOf(pod: Pod): GpuPodState {
  if (pod.metadata.deletionTimestamp) return 'terminating';
  if (!pod.spec.nodeName) return 'unscheduled';
  return pod.status?.phase === 'Running' ? 'running' : 'starting';
}

/** Unfinished pods that request GPUs, with their node's GPU product; running first, then by name. */
export function gpuPodRows(pods: readonly Pod[], nodes: readonly NodeGpus[]): GpuPodRow[] {
  const products = new Map(nodes.map((n) => [n.name, n.product]));
  const order: Record<GpuPodState, number> = { running: 0, starting: 1, terminating: 2, unscheduled: 3 };
  return pods
    .filter((pod) => !podTerminal(pod) && podGpus(pod) > 0)
    .map((pod) => ({
      name: pod.metadata.name,
      state: stateOf(pod),
      gpus: podGpus(pod),
      node: pod.spec.nodeName ?? null,
      product: pod.spec.nodeName ? (products.get(pod.spec.nodeName) ?? null) : null,
      startedAt: pod.status?.startTime ?? null,
      owner: ownerOf(pod),
    }))
    .sort((a, b) => order[a.state] - order[b.state] || a.name.localeCompare(b.name));
}

function time(iso: string | null | undefined): number {
  return iso ? Date.parse(iso) : NaN;
}

/** Later first; events without a time count as oldest. */
function newer(a: KubeEvent, b: KubeEvent): boolean {
  const ta = time(eventLastSeen(a));
  const tb = time(eventLastSeen(b));
  return (Number.isNaN(ta) ? -Infinity : ta) > (Number.isNaN(tb) ? -Infinity : tb);
}

function latest(events: readonly KubeEvent[]): KubeEvent | undefined {
  return events.reduce<KubeEvent | undefined>(
    (best, e) => (best === undefined || newer(e, best) ? e : best),
    undefined,
  );
}

/** The scheduler's verdict on a pod: is it GPUs that are missing, or something else about the nodes? */
function schedulingKind(message: string): PendingKind {
  if (message.includes(`Insufficient ${GPU_RESOURCE}`)) return 'capacity';
  if (/Insufficient |Too many pods/.test(message)) return 'capacity';
  return 'scheduling';
}

/** What quota admission wrote: `exceeded quota: <name>, requested: k=v,…, used: k=v,…, limited: k=v,…`. */
export interface QuotaRefusal {
  quota: string;
  requested: Record<string, string>;
  used: Record<string, string>;
  limited: Record<string, string>;
}

function pairs(text: string | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of (text ?? '').split(',')) {
    const [key, value] = part.trim().split('=');
    if (key && value !== undefined) result[key] = value;
  }
  return result;
}

/** Parses quota admission's refusal message; null when the message is not one. */
export function parseQuotaRefusal(message: string): QuotaRefusal | null {
  const match = /exceeded quota: ([^,]+), requested: (\S*), used: (\S*), limited: (\S*)/.exec(message);
  if (!match) return null;
  return { quota: match[1]!, requested: pairs(match[2]), used: pairs(match[3]), limited: pairs(match[4]) };
}

/**
 * What waits for GPUs in a namespace: unscheduled GPU pods with the scheduler's latest reason,
 * and controllers whose GPU pods quota admission refused within QUOTA_REFUSAL_WINDOW_MS (while a
 * controller keeps trying, it keeps being refused) — for a Job, only while the Job exists and has
 * not finished (`jobs`: the namespace's Jobs; null when unknown). Quota first, then by name.
 */
export function pendingWorkloads(
  pods: readonly Pod[],
  events: readonly KubeEvent[],
  now: Date,
  jobs: readonly Job[] | null = null,
): PendingWorkload[] {
  const result: PendingWorkload[] = [];

  for (const pod of pods) {
    if (podTerminal(pod) || pod.spec.nodeName || pod.metadata.deletionTimestamp || podGpus(pod) === 0) continue;
    const scheduling = latest(
      events.filter(
        (e) =>
          e.reason === 'FailedScheduling' &&
          e.involvedObject.kind === 'Pod' &&
          e.involvedObject.name === pod.metadata.name,
      ),
    );
    const condition = pod.status?.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const reason = scheduling?.message ?? condition?.message;
    result.push({
      kind: reason ? schedulingKind(reason) : 'waiting',
      objectKind: 'Pod',
      name: pod.metadata.name,
      gpus: podGpus(pod),
      reason: reason ?? 'The scheduler has not placed it yet.',
      source: reason ? 'scheduler' : 'Kubernetes',
      firstSeen:
        condition?.lastTransitionTime ??
        scheduling?.firstTimestamp ??
        scheduling?.eventTime ??
        pod.metadata.creationTimestamp ??
        null,
      lastSeen: (scheduling && eventLastSeen(scheduling)) ?? null,
      count: scheduling ? eventCount(scheduling) : 0,
    });
  }

  const waitingJobs =
    jobs === null
      ? null
      : new Map(jobs.filter((job) => !jobFinished(job)).map((job) => [job.metadata.name, job.metadata.uid]));
  const stillWaiting = (event: KubeEvent) => {
    if (event.involvedObject.kind !== 'Job' || waitingJobs === null) return true;
    const uid = waitingJobs.get(event.involvedObject.name ?? '');
    return uid !== undefined && (event.involvedObject.uid === undefined || event.involvedObject.uid === uid);
  };
  const refusals = new Map<string, KubeEvent[]>();
  for (const event of events) {
    if (event.reason !== 'FailedCreate' || !event.message?.includes('exceeded quota')) continue;
    const refusal = parseQuotaRefusal(event.message);
    if (!refusal || !(GPU_QUOTA_KEY in refusal.requested)) continue;
    const seen = time(eventLastSeen(event));
    if (!(now.getTime() - seen <= QUOTA_REFUSAL_WINDOW_MS) || !stillWaiting(event)) continue;
    const key = `${event.involvedObject.kind}/${event.involvedObject.name}`;
    refusals.set(key, [...(refusals.get(key) ?? []), event]);
  }
  for (const list of refusals.values()) {
    // A controller names a new pod each try, so each refusal is an event of its own: the latest
    // says what was refused, all of them how often.
    const event = latest(list)!;
    const refusal = parseQuotaRefusal(event.message!)!;
    const firsts = list
      .map((e) => e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp)
      .filter((t): t is string => Boolean(t));
    result.push({
      kind: 'quota',
      objectKind: event.involvedObject.kind ?? 'object',
      name: event.involvedObject.name ?? 'unknown',
      gpus: quantityOrZero(refusal.requested[GPU_QUOTA_KEY]) ?? null,
      reason: event.message!,
      source: 'quota admission',
      firstSeen: firsts.sort((a, b) => time(a) - time(b))[0] ?? null,
      lastSeen: eventLastSeen(event) ?? null,
      count: list.reduce((sum, e) => sum + eventCount(e), 0),
    });
  }

  const order: Record<PendingKind, number> = { quota: 0, capacity: 1, scheduling: 2, waiting: 3 };
  return result.sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
}

/** Containers killed for memory (OOMKilled) in the OOM_WINDOW_MS before `now`, newest first. */
export function oomKills(pods: readonly Pod[], now: Date): OomKill[] {
  const kills: OomKill[] = [];
  for (const pod of pods) {
    for (const status of pod.status?.containerStatuses ?? []) {
      const current = status.state?.terminated?.reason === 'OOMKilled' ? status.state.terminated : undefined;
      const previous = status.lastState?.terminated?.reason === 'OOMKilled' ? status.lastState.terminated : undefined;
      const killed = current ?? previous;
      if (!killed) continue;
      const finishedAt = killed.finishedAt ?? null;
      const at = time(finishedAt);
      if (!Number.isNaN(at) && now.getTime() - at > OOM_WINDOW_MS) continue;
      kills.push({
        pod: pod.metadata.name,
        container: status.name,
        gpus: podGpus(pod),
        node: pod.spec.nodeName ?? null,
        finishedAt,
        exitCode: killed.exitCode ?? null,
        restarted: current === undefined,
      });
    }
  }
  return kills.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? '') || a.pod.localeCompare(b.pod));
}
