/**
 * Plays the KServe controller (serverless mode) for the local cluster: watches
 * InferenceServices, keeps their revisions, writes the status fields KServe writes (url,
 * conditions, components.predictor revisions and traffic) and runs predictor pods per revision
 * with the spec's resources — so GPU requests go through the real scheduler and the real quota.
 * Revisions are remembered in a ConfigMap per InferenceService, owned by it.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ObjectCache,
  type V1ConfigMap,
  type V1Pod,
  type V1ResourceRequirements,
} from '@kubernetes/client-node';
import {
  canonicalJson,
  observeSpec,
  revisionsToRun,
  rolloutStatus,
  type Revision,
  type RolloutStatus,
} from './rollout';
import type { GpuPod, RevisionTraffic, SimulatorView } from './view';

const GROUP = 'serving.kserve.io';
const VERSION = 'v1beta1';
const PLURAL = 'inferenceservices';
const ISVC_LABEL = 'serving.kserve.io/inferenceservice';
const REVISION_LABEL = 'serving.knative.dev/revision';
const MIN_SCALE_ANNOTATION = 'autoscaling.knative.dev/min-scale';
const MANAGED_BY = 'kserve-simulator';
const RECONCILE_WORKERS = 8;
export const GPU_IDLE_ANNOTATION = 'simulator.mlp.example.com/gpu-idle';

interface InferenceService extends KubernetesObject {
  spec?: { predictor?: Record<string, unknown> };
  status?: Record<string, unknown> & { components?: { predictor?: Partial<RolloutStatus> } };
}

type Log = (message: string, fields?: Record<string, unknown>) => void;

function keyOf(o: KubernetesObject): string {
  return `${o.metadata?.namespace}/${o.metadata?.name}`;
}

function errorText(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

function statusCode(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

function gpuCount(pod: V1Pod): number {
  return (pod.spec?.containers ?? []).reduce((sum, c) => {
    const value = c.resources?.limits?.['nvidia.com/gpu'] ?? c.resources?.requests?.['nvidia.com/gpu'];
    return sum + Number(value ?? 0);
  }, 0);
}

function podRunning(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp;
}

function condition(type: string, ok: boolean, now: string, reason?: string, message?: string) {
  return { type, status: ok ? 'True' : 'False', lastTransitionTime: now, ...(ok ? {} : { reason, message }) };
}

export class KServeSimulator implements SimulatorView {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private isvcs!: Informer<InferenceService> & ObjectCache<InferenceService>;
  private pods!: Informer<V1Pod> & ObjectCache<V1Pod>;
  private readonly revisions = new Map<string, Revision[]>();
  private readonly statuses = new Map<string, RolloutStatus>();
  private readonly podErrors = new Map<string, string>();
  private readonly pending = new Set<string>();
  /** Being reconciled now: one reconcile per InferenceService at a time, several services at once. */
  private readonly reconciling = new Set<string>();
  private resync?: NodeJS.Timeout;

  constructor(
    private readonly kubeconfig: KubeConfig,
    private readonly log: Log,
  ) {
    this.core = kubeconfig.makeApiClient(CoreV1Api);
    this.custom = kubeconfig.makeApiClient(CustomObjectsApi);
  }

  async start(): Promise<void> {
    this.isvcs = makeInformer<InferenceService>(this.kubeconfig, `/apis/${GROUP}/${VERSION}/${PLURAL}`, () =>
      this.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }),
    );
    this.pods = makeInformer<V1Pod>(this.kubeconfig, '/api/v1/pods', () => this.core.listPodForAllNamespaces());
    for (const verb of ['add', 'update'] as const) this.isvcs.on(verb, (o) => this.schedule(keyOf(o)));
    this.isvcs.on('delete', (o) => {
      this.statuses.delete(keyOf(o));
      this.revisions.delete(keyOf(o));
    });
    const onPod = (pod: V1Pod) => {
      const isvc = pod.metadata?.labels?.[ISVC_LABEL];
      if (isvc) this.schedule(`${pod.metadata?.namespace}/${isvc}`);
    };
    for (const verb of ['add', 'update', 'delete'] as const) this.pods.on(verb, onPod);
    for (const informer of [this.isvcs, this.pods] as Informer<KubernetesObject>[]) {
      // Informers stop on errors (e.g. the API server restarting); start them again.
      informer.on('error', (error) => {
        this.log('watch failed; restarting it', { error: errorText(error) });
        setTimeout(() => void informer.start().catch(() => {}), 2_000);
      });
    }
    await Promise.all([this.isvcs.start(), this.pods.start()]);
    this.resync = setInterval(() => this.isvcs.list().forEach((o) => this.schedule(keyOf(o))), 10_000);
  }

  async stop(): Promise<void> {
    clearInterval(this.resync);
    await Promise.all([this.isvcs?.stop(), this.pods?.stop()]);
  }

  traffic(): RevisionTraffic[] {
    const result: RevisionTraffic[] = [];
    for (const [key, status] of this.statuses) {
      const [namespace = '', service = ''] = key.split('/');
      const split = status.traffic.length > 1;
      for (const t of status.traffic) {
        if (t.percent <= 0) continue;
        result.push({
          namespace,
          service,
          revision: t.revisionName,
          percent: t.percent,
          role: split && t.tag === 'latest' ? 'canary' : 'stable',
        });
      }
    }
    return result;
  }

  gpuPods(): GpuPod[] {
    return (this.pods?.list() ?? [])
      .filter((pod) => podRunning(pod) && pod.spec?.nodeName && gpuCount(pod) > 0)
      .map((pod) => ({
        namespace: pod.metadata?.namespace ?? '',
        pod: pod.metadata?.name ?? '',
        node: pod.spec?.nodeName ?? '',
        gpus: gpuCount(pod),
        idle: pod.metadata?.annotations?.[GPU_IDLE_ANNOTATION] === 'true',
      }));
  }

  private schedule(key: string): void {
    this.pending.add(key);
    this.pump();
  }

  /**
   * Starts reconciles up to RECONCILE_WORKERS at once. One at a time fell minutes behind on a
   * platform of 5,000 InferenceServices (the 10 s resync alone outran it); each reconcile waits on
   * the API server, so a few in flight keep up. A service scheduled while it is being reconciled
   * waits for that reconcile to end, so its own reconciles never overlap.
   */
  private pump(): void {
    if (this.reconciling.size >= RECONCILE_WORKERS) return;
    for (const key of this.pending) {
      if (this.reconciling.has(key)) continue;
      this.pending.delete(key);
      this.reconciling.add(key);
      void this.reconcileOnce(key);
      if (this.reconciling.size >= RECONCILE_WORKERS) return;
    }
  }

  private async reconcileOnce(key: string): Promise<void> {
    try {
      await this.reconcile(key);
    } catch (error) {
      this.log('reconcile failed; retrying', { isvc: key, error: errorText(error) });
      setTimeout(() => this.schedule(key), 2_000);
    } finally {
      this.reconciling.delete(key);
      this.pump();
    }
  }

  private async loadRevisions(isvc: InferenceService): Promise<Revision[]> {
    const key = keyOf(isvc);
    const cached = this.revisions.get(key);
    if (cached) return cached;
    try {
      const cm = await this.core.readNamespacedConfigMap({
        namespace: isvc.metadata!.namespace!,
        name: `${isvc.metadata!.name}-kserve-sim`,
      });
      const revisions = JSON.parse(cm.data?.revisions ?? '[]') as Revision[];
      this.revisions.set(key, revisions);
      return revisions;
    } catch (error) {
      if (statusCode(error) === 404) return [];
      throw error;
    }
  }

  private async saveRevisions(isvc: InferenceService, revisions: Revision[], existed: boolean): Promise<void> {
    const { namespace, name, uid } = isvc.metadata!;
    const body: V1ConfigMap = {
      metadata: {
        name: `${name}-kserve-sim`,
        namespace,
        labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, [ISVC_LABEL]: name! },
        ownerReferences: [
          { apiVersion: `${GROUP}/${VERSION}`, kind: 'InferenceService', name: name!, uid: uid!, controller: true },
        ],
      },
      data: { revisions: JSON.stringify(revisions) },
    };
    if (existed)
      await this.core.replaceNamespacedConfigMap({ namespace: namespace!, name: body.metadata!.name!, body });
    else await this.core.createNamespacedConfigMap({ namespace: namespace!, body });
    this.revisions.set(keyOf(isvc), revisions);
  }

  private podsOf(namespace: string, revision: string): V1Pod[] {
    return this.pods.list(namespace).filter((p) => p.metadata?.labels?.[REVISION_LABEL] === revision);
  }

  private replicas(revision: Revision): number {
    return Math.min(3, Math.max(1, Number(revision.spec.minReplicas ?? 1)));
  }

  private revisionReady(namespace: string, revision: Revision): boolean {
    const running = this.podsOf(namespace, revision.name).filter(podRunning);
    return running.length >= this.replicas(revision);
  }

  private podFor(isvc: InferenceService, revision: Revision, index: number): V1Pod {
    const { namespace, name, uid } = isvc.metadata!;
    const spec = revision.spec as {
      model?: { modelFormat?: { name?: string }; storageUri?: string; resources?: V1ResourceRequirements };
      containers?: { resources?: V1ResourceRequirements }[];
      nodeSelector?: Record<string, string>;
      tolerations?: { key?: string; operator?: string; effect?: string; value?: string }[];
    };
    const requested = spec.model?.resources ?? spec.containers?.[0]?.resources ?? {};
    const requests = { cpu: '100m', memory: '256Mi', ...requested.requests };
    const limits = { ...requests, ...requested.limits };
    return {
      metadata: {
        name: `${revision.name}-deployment-${index}`,
        namespace,
        labels: {
          [ISVC_LABEL]: name!,
          [REVISION_LABEL]: revision.name,
          'serving.knative.dev/configuration': `${name}-predictor`,
          'serving.knative.dev/service': `${name}-predictor`,
          component: 'predictor',
          'app.kubernetes.io/managed-by': MANAGED_BY,
        },
        annotations: {
          'serving.kserve.io/storage-uri': spec.model?.storageUri ?? '',
          // KServe sets a revision's minimum scale from minReplicas, and Knative copies it onto the
          // revision's pods: the portal reads it there (platform health's rollback-target-cold).
          ...(typeof revision.spec.minReplicas === 'number'
            ? { [MIN_SCALE_ANNOTATION]: String(revision.spec.minReplicas) }
            : {}),
        },
        ownerReferences: [
          { apiVersion: `${GROUP}/${VERSION}`, kind: 'InferenceService', name: name!, uid: uid!, controller: true },
        ],
      },
      spec: {
        containers: [
          {
            name: 'kserve-container',
            image: `kserve/${spec.model?.modelFormat?.name ?? 'model'}server:simulated`,
            env: [{ name: 'STORAGE_URI', value: spec.model?.storageUri ?? '' }],
            resources: { requests, limits },
          },
        ],
        nodeSelector: spec.nodeSelector,
        tolerations: [
          ...(spec.tolerations ?? []),
          { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
          { key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' },
        ],
      },
    };
  }

  /** Creates missing pods of revisions that should run, deletes pods of those that should not. */
  private async syncPods(isvc: InferenceService, revisions: Revision[], run: Set<string>): Promise<string | undefined> {
    const namespace = isvc.metadata!.namespace!;
    let problem: string | undefined;
    for (const revision of revisions) {
      const existing = this.podsOf(namespace, revision.name);
      if (run.has(revision.name)) {
        for (let i = 0; i < this.replicas(revision); i++) {
          const pod = this.podFor(isvc, revision, i);
          if (existing.some((p) => p.metadata?.name === pod.metadata!.name)) continue;
          try {
            await this.core.createNamespacedPod({ namespace, body: pod });
          } catch (error) {
            if (statusCode(error) === 409) continue;
            problem = `Revision ${revision.name} cannot create pods: ${errorText(error)}`;
          }
        }
      } else {
        for (const pod of existing) {
          if (pod.metadata?.deletionTimestamp) continue;
          await this.core.deleteNamespacedPod({ namespace, name: pod.metadata!.name! }).catch((error: unknown) => {
            if (statusCode(error) !== 404) throw error;
          });
        }
      }
    }
    return problem;
  }

  private async reconcile(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const isvc = this.isvcs.get(name, namespace);
    if (!isvc?.metadata?.uid || isvc.metadata.deletionTimestamp) return;
    const predictor = isvc.spec?.predictor ?? {};

    const known = await this.loadRevisions(isvc);
    const revisions = observeSpec(name, known, predictor);
    if (revisions !== known) await this.saveRevisions(isvc, revisions, known.length > 0);

    const previous = isvc.status?.components?.predictor;
    const everReady = previous?.latestReadyRevision;
    const ready = (revisionName: string) => {
      const revision = revisions.find((r) => r.name === revisionName);
      if (!revision) return false;
      // A revision that was ready stays known-ready when it scales to zero, as in Knative.
      return this.revisionReady(namespace, revision) || (everReady !== undefined && revisionName <= everReady);
    };
    const canary = predictor.canaryTrafficPercent;
    const status = rolloutStatus({
      revisions,
      canaryTrafficPercent: typeof canary === 'number' ? canary : undefined,
      previous,
      ready,
    });
    const problem = await this.syncPods(isvc, revisions, revisionsToRun(status));
    if (problem) this.podErrors.set(key, problem);
    else this.podErrors.delete(key);
    this.statuses.set(key, status);

    const serving = status.traffic
      .filter((t) => t.percent > 0)
      .map((t) => revisions.find((r) => r.name === t.revisionName)!);
    const servingReady = serving.every((r) => this.revisionReady(namespace, r));
    const latestReady = status.latestReadyRevision === status.latestCreatedRevision;
    const now = new Date().toISOString();
    const url = `http://${name}.${namespace}.example.com`;
    const message =
      problem ??
      (servingReady ? undefined : `Revision pods of ${serving.map((r) => r.name).join(', ')} are not running yet`);
    const previousConditions = (isvc.status?.conditions ?? []) as {
      type: string;
      status: string;
      lastTransitionTime?: string;
    }[];
    const conditions = [
      condition('IngressReady', true, now),
      condition(
        'LatestDeploymentReady',
        latestReady,
        now,
        'RevisionMissing',
        problem ?? `Revision ${status.latestCreatedRevision} is not ready`,
      ),
      condition('PredictorReady', servingReady, now, 'RevisionFailed', message),
      condition('Ready', servingReady, now, 'RevisionFailed', message),
    ].map((c) => {
      // Keep the transition time while a condition does not change, as controllers do.
      const before = previousConditions.find((p) => p.type === c.type);
      return before && before.status === c.status ? { ...c, lastTransitionTime: before.lastTransitionTime ?? now } : c;
    });
    const nextStatus = {
      ...isvc.status,
      observedGeneration: isvc.metadata.generation,
      deploymentMode: 'Serverless',
      url,
      address: { url: `http://${name}-predictor.${namespace}.svc.cluster.local` },
      components: {
        predictor: {
          ...status,
          url: `http://${name}-predictor.${namespace}.example.com`,
          traffic: status.traffic.map((t) => ({ ...t, configurationName: `${name}-predictor` })),
        },
      },
      conditions,
    };
    // The API server returns keys sorted; compare canonically so an unchanged status is not rewritten.
    if (canonicalJson(nextStatus) === canonicalJson(isvc.status)) return;
    try {
      await this.custom.replaceNamespacedCustomObjectStatus({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: PLURAL,
        name,
        body: { ...isvc, status: nextStatus },
      });
    } catch (error) {
      // A newer version arrived meanwhile: its watch event schedules another reconcile.
      if (statusCode(error) !== 409) throw error;
    }
  }
}
