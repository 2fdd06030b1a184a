/**
 * The operations dashboard's read model (PRODUCT.md capability 6): for every tenant the viewer
 * may see, one row per area, judged against the platform's thresholds.
 *
 * Each upstream is read once per view for all tenants — Kubernetes from the shared watch caches,
 * Prometheus with one fleet-wide query shared across viewers, MLflow per tenant shared across
 * viewers for a minute, the portal's database with one query per kind, the models' input drift
 * scores with one query shared with platform health — and a failure leaves only
 * the areas that need it unknown, saying which data is missing and why.
 *
 * A view shows one page of the board (lib/ops/board.ts: 20 tenants, worst first, the counts over
 * every page); the rows of every tenant are judged once and shared by every viewer and page.
 */
import type { SessionUser } from '../auth/users';
import { getDb } from '../db/client';
import {
  servingState,
  tenantNamespace,
  watchedInferenceServices,
  watchedPods,
  watchedWorkflows,
  type CacheSnapshot,
  type InferenceService,
  type Pod,
  type Workflow,
} from '../integrations/kubernetes';
import { fleetMetrics, type EndpointServingStats, type TenantGpuUtilisation } from '../integrations/prometheus';
import { DEFAULT_POLICY, readPolicy } from '../promotion/policy';
import { mapWithConcurrency } from '../models/concurrency';
import { oomKills } from '../quota/workloads';
import { tenantChoices } from '../tenancy/choices';
import { answerPanel, kubernetesPanel, outdatedOf, readPanel, type Panel } from '../read-model/panel';
import { answerCache, SLOW_READ_FRESH_TIMES } from '../cache/answer-cache';
import { readDriftBreaches } from '../platform-health/drift-inputs';
import type { DriftBreach } from '../platform-health/input-drift';
import type { Finding } from '../platform-health/finding';
import { processSingleton } from '../process-singleton';
import { dashboardTenants } from '../read-model/tenant-scope';
import { can } from '../auth/authorize';
import { oldestOutdated } from '../freshness';
import {
  canaryEndpoints,
  judgeCanary,
  judgeInfrastructure,
  judgePipelines,
  judgeRegistry,
  judgeServing,
  judgeTraining,
  opsRow,
  withInputDrift,
  thresholdText,
  unknownRow,
  type OpsJudgment,
  type PendingPromotion,
} from './evaluate';
import { platformHealth, type PlatformHealth } from '../platform-health/gather';
import { healthLinksFor, healthRow } from './health';
import { summarisePipelines } from './pipelines';
import { getOpsThresholds, type StoredOpsThresholds } from './thresholds-store';
import { OPS_AREAS, type OpsArea } from './areas';
import type { OpsThresholds } from './thresholds';
import { trainingTrends, type ModelMetricTrend } from './training';
import { opsBoardPage, type OpsStateFilter } from './board';
import type { OpsRow, OpsView } from './view';

/** The serving and canary rows judge the last five minutes; GPU utilisation the last ten. */
export const SERVING_WINDOW_SECONDS = 300;
export const GPU_WINDOW_SECONDS = 600;
/** MLflow's registry changes when people register versions: a minute old is current enough. */
const TRAINING_SHARE_MS = 60_000;
// Read together for every tenant, the trends are kept fresh for spans spread by half a TTL, so that
// 50 tenants' refreshes do not all fall on the same few seconds (measured: a 0.5 s stall a minute).
const sharedTrends = () =>
  processSingleton('ops.training-trends', () =>
    answerCache({ ttlMs: TRAINING_SHARE_MS, maxEntries: 1_000, jitter: 0.5 }),
  );
const MLFLOW_CONCURRENCY = 8;

/** Each kind's objects by namespace, grouped once per read rather than filtered per tenant. */
interface KubernetesInputs {
  workflows: Map<string, Workflow[]>;
  services: Map<string, InferenceService[]>;
  pods: Map<string, Pod[]>;
}

function byNamespace<T extends { metadata: { namespace?: string } }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const namespace = item.metadata.namespace ?? '';
    const group = groups.get(namespace);
    if (group) group.push(item);
    else groups.set(namespace, [item]);
  }
  return groups;
}

async function kubernetesInputs(): Promise<Panel<KubernetesInputs>> {
  return kubernetesPanel('the pipelines, endpoints and pods', async () => {
    const [workflows, services, pods] = await Promise.all([
      watchedWorkflows().read(),
      watchedInferenceServices().read(),
      watchedPods().read(),
    ]);
    const snapshots: CacheSnapshot<unknown>[] = [workflows, services, pods];
    return {
      data: {
        workflows: byNamespace(workflows.items),
        services: byNamespace(services.items),
        pods: byNamespace(pods.items),
      },
      snapshots,
    };
  });
}

/** Each tenant's training trend of its policy's primary metric, or why it could not be read. */
async function trainingInputs(
  tenants: readonly string[],
): Promise<Map<string, Panel<{ metric: string; trends: ModelMetricTrend[] }>>> {
  const policies = await getDb().promotionPolicy.findMany({
    where: { tenant: { name: { in: [...tenants] } } },
    select: { settings: true, tenant: { select: { name: true } } },
  });
  const metricOf = new Map(policies.map((p) => [p.tenant.name, readPolicy(p.settings).primaryMetric]));
  // readPanel never rejects, so every tenant gets its panel.
  const panels = await mapWithConcurrency(tenants, MLFLOW_CONCURRENCY, (tenant) => {
    const metric = metricOf.get(tenant) ?? DEFAULT_POLICY.primaryMetric;
    return readPanel(`the model registry of ${tenant}`, async () => ({
      metric,
      trends: (await sharedTrends()(`${tenant}\u0000${metric}`, () => trainingTrends(tenant, metric))).value,
    }));
  });
  return new Map(tenants.map((tenant, i) => [tenant, panels[i]!]));
}

async function pendingPromotions(tenants: readonly string[]): Promise<Map<string, PendingPromotion[]>> {
  const rows = await getDb().promotionRequest.findMany({
    where: { status: 'pending', tenant: { name: { in: [...tenants] } } },
    select: { id: true, modelName: true, version: true, createdAt: true, tenant: { select: { name: true } } },
  });
  const byTenant = new Map<string, PendingPromotion[]>();
  for (const row of rows) {
    const list = byTenant.get(row.tenant.name) ?? [];
    list.push({ id: row.id, model: row.modelName, version: row.version, requestedAt: row.createdAt });
    byTenant.set(row.tenant.name, list);
  }
  return byTenant;
}

interface Inputs {
  now: Date;
  thresholds: OpsThresholds;
  kubernetes: Panel<KubernetesInputs>;
  serving: Panel<EndpointServingStats[]>;
  gpus: Panel<TenantGpuUtilisation[]>;
  training: Map<string, Panel<{ metric: string; trends: ModelMetricTrend[] }>>;
  registry: Panel<Map<string, PendingPromotion[]>>;
  /** The platform health checks' shared answer (every tenant's findings, computed once for everyone). */
  health: Panel<PlatformHealth>;
  /** Breaches of every tenant; a failure leaves the serving row judged on traffic alone, saying so. */
  drift: Panel<DriftBreach[]>;
}

/** Items by tenant, grouped once per read rather than filtered per tenant (500 tenants × thousands of items). */
function byTenant<T extends { tenant: string | null }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    if (item.tenant === null) continue;
    const group = groups.get(item.tenant);
    if (group) group.push(item);
    else groups.set(item.tenant, [item]);
  }
  return groups;
}

/** Each tenant's part of the inputs that list every tenant's items. */
interface TenantIndex {
  serving: Map<string, EndpointServingStats[]>;
  drift: Map<string, DriftBreach[]>;
  gpus: Map<string, TenantGpuUtilisation>;
  findings: Map<string, Finding[]>;
}

function tenantIndex(inputs: Inputs): TenantIndex {
  return {
    serving: byTenant(inputs.serving.ok ? inputs.serving.data : []),
    drift: byTenant(inputs.drift.ok ? inputs.drift.data : []),
    gpus: new Map((inputs.gpus.ok ? inputs.gpus.data : []).map((g) => [g.tenant, g])),
    findings: byTenant(inputs.health.ok ? inputs.health.data.findings : []),
  };
}

/** The first missing input of an area, in words, or null when all were read. */
function missing(...panels: Panel<unknown>[]): string | null {
  const messages = new Set(panels.flatMap((p) => (p.ok ? [] : [p.message])));
  return messages.size ? [...messages].join(' · ') : null;
}

/** One tenant's seven rows. Pure over the inputs; exported for tests. */
export function tenantRows(tenant: string, inputs: Inputs, index: TenantIndex = tenantIndex(inputs)): OpsRow[] {
  const { thresholds, kubernetes, serving, gpus, registry, now } = inputs;
  const training = inputs.training.get(tenant) ?? { ok: false as const, message: 'The model registry was not read.' };
  const kubeOutdated = { outdated: outdatedOf(kubernetes) };
  const k8s = kubernetes.ok ? kubernetes.data : null;
  const services = k8s?.services.get(tenantNamespace(tenant)) ?? [];
  const traffic = index.serving.get(tenant) ?? [];

  /** The row, or an unknown one naming every input that could not be read. */
  const row = (
    area: OpsArea,
    needs: Panel<unknown>[],
    judgment: () => OpsJudgment,
    inputs: Parameters<typeof opsRow>[3] = kubeOutdated,
  ): OpsRow => {
    const problem = missing(...needs);
    return problem ? unknownRow(tenant, area, problem, thresholds) : opsRow(tenant, area, judgment(), inputs);
  };

  const servingInputs = { outdated: outdatedOf(kubernetes, serving) };
  const drift = index.drift.get(tenant) ?? [];
  // OOM kills are judged even without Prometheus; the row then says utilisation is missing.
  const infrastructureInputs = gpus.ok
    ? { outdated: outdatedOf(kubernetes, gpus) }
    : { problem: gpus.message, outdated: outdatedOf(kubernetes) };

  return [
    row('pipelines', [kubernetes], () =>
      judgePipelines(summarisePipelines(k8s!.workflows.get(tenantNamespace(tenant)) ?? [], now), thresholds),
    ),
    row(
      'training',
      [training],
      () => judgeTraining(training.ok ? training.data.trends : [], training.ok ? training.data.metric : '', thresholds),
      {},
    ),
    row(
      'registry',
      [registry],
      () => judgeRegistry(registry.ok ? (registry.data.get(tenant) ?? []) : [], now, thresholds),
      {},
    ),
    row(
      'serving',
      [serving, kubernetes],
      () => {
        const endpoints = services.map((s) => s.metadata.name);
        return withInputDrift(judgeServing(endpoints, traffic, thresholds), endpoints, drift);
      },
      inputs.drift.ok ? servingInputs : { ...servingInputs, problem: inputs.drift.message },
    ),
    row(
      'canary',
      [serving, kubernetes],
      () =>
        judgeCanary(
          canaryEndpoints(
            services.map((s) => ({ name: s.metadata.name, state: servingState(s) })),
            traffic,
            SERVING_WINDOW_SECONDS,
          ),
          thresholds,
        ),
      servingInputs,
    ),
    row(
      'infrastructure',
      [kubernetes],
      () =>
        judgeInfrastructure(
          {
            gpus: gpus.ok ? (index.gpus.get(tenant) ?? { gpus: 0, utilPercent: null }) : null,
            oomKills: oomKills(k8s!.pods.get(tenantNamespace(tenant)) ?? [], now),
          },
          thresholds,
        ),
      infrastructureInputs,
    ),
    healthRow(tenant, tenantHealth(inputs.health, index.findings.get(tenant) ?? []), thresholds),
  ];
}

/** The shared answer narrowed to one tenant's findings (the health row reads only its tenant's). */
function tenantHealth(health: Panel<PlatformHealth>, findings: Finding[]): Panel<PlatformHealth> {
  return health.ok ? { ...health, data: { ...health.data, findings } } : health;
}

/**
 * Read once for everyone and slow the first time — every tenant's model registry in MLflow, every
 * platform health check, the fleet's metrics in Prometheus: seconds at 500 tenants — then answered
 * at once from shared answers. The
 * page does not wait for their first answer beyond FIRST_READ_WAIT_MS: its rows then say they are
 * being read, and the live route (which waits) fills them in at the next refresh. Either way each
 * is read once for everyone.
 */
type FirstRead = 'training' | 'health' | 'metrics';
const FIRST_READS: readonly FirstRead[] = ['training', 'health', 'metrics'];
const FIRST_READ_WAIT_MS = 300;
const BEING_READ: Record<FirstRead, string> = {
  training:
    'The model registries are being read for the first time since the portal started; this row fills in at the next refresh.',
  health:
    'The platform health checks are being gathered for the first time since the portal started; this row fills in at the next refresh.',
  metrics:
    'The serving, GPU and drift metrics are being read for the first time since the portal started; this row fills in at the next refresh.',
};
const answeredOnce = () => processSingleton('ops.answered-once', () => new Set<FirstRead>());

/** `read`'s answer, or null when it is not there within `waitMs` (null: wait for it). */
async function firstRead<T>(name: FirstRead, read: Promise<T>, waitMs: number | null): Promise<T | null> {
  // Also settles (and is marked answered) after the view has stopped waiting; its failure is the view's to report.
  read.then(
    () => answeredOnce().add(name),
    () => undefined,
  );
  if (waitMs === null) return read;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The judged rows of `tenants`, from every upstream once; `firstReadWaitMs` as `firstRead` takes it. */
async function judgedRows(
  tenants: readonly string[],
  stored: StoredOpsThresholds,
  firstReadWaitMs: number | null,
): Promise<Pick<OpsView, 'at' | 'rows' | 'sources' | 'outdated'>> {
  const fleet = fleetMetrics(tenants);
  const [kubernetes, readMetrics, readTraining, registry, readHealth] = await Promise.all([
    kubernetesInputs(),
    firstRead(
      'metrics',
      Promise.all([
        answerPanel(
          'the serving metrics',
          () => fleet.serving(SERVING_WINDOW_SECONDS),
          (a) => a.endpoints,
        ),
        answerPanel(
          'the GPU utilisation',
          () => fleet.gpuUtilisation(GPU_WINDOW_SECONDS),
          (a) => a.tenants,
        ),
        readDriftBreaches(tenants),
      ]),
      firstReadWaitMs,
    ),
    firstRead('training', trainingInputs(tenants), firstReadWaitMs),
    readPanel('the promotion requests', () => pendingPromotions(tenants)),
    firstRead(
      'health',
      answerPanel('the platform health checks', platformHealth, (a) => a.value),
      firstReadWaitMs,
    ),
  ]);
  const beingRead = (name: FirstRead): Panel<never> => ({ ok: false, message: BEING_READ[name] });
  const [serving, gpus, drift] = readMetrics ?? [beingRead('metrics'), beingRead('metrics'), beingRead('metrics')];
  const training: Inputs['training'] =
    readTraining ?? new Map(tenants.map((tenant) => [tenant, beingRead('training')] as const));
  const health: Panel<PlatformHealth> = readHealth ?? beingRead('health');
  const now = new Date();
  const inputs: Inputs = {
    now,
    thresholds: stored.values,
    kubernetes,
    serving,
    gpus,
    training,
    registry,
    health,
    drift,
  };
  // Being read is not a failure: the rows say so, the sources do not.
  const failedTraining = readTraining
    ? [...readTraining.values()].find((p): p is { ok: false; message: string } => !p.ok)
    : undefined;
  const index = tenantIndex(inputs);
  return {
    at: now.toISOString(),
    rows: tenants.flatMap((tenant) => tenantRows(tenant, inputs, index)),
    sources: {
      kubernetes: kubernetes.ok ? null : kubernetes.message,
      prometheus: readMetrics ? missing(serving, gpus) : null,
      mlflow: failedTraining ? failedTraining.message : null,
      database: registry.ok ? null : registry.message,
      health: health.ok || readHealth === null ? null : health.message,
    },
    outdated: (
      [
        ['kubernetes', outdatedOf(kubernetes)],
        ['prometheus', outdatedOf(serving, gpus)],
        ['health', health.ok ? oldestOutdated(health.freshness, health.data.outdated) : null],
      ] as const
    ).flatMap(([source, outdated]) => (outdated ? [{ source, ...outdated }] : [])),
  };
}

/**
 * Viewers of the same tenants share the judged rows for a few seconds (assembling 50 tenants'
 * rows from 5,000 pods and 2,000 workflows is work worth doing once; nobody waits while it is
 * redone; when it took long, it is shared three times as long). A threshold change takes effect
 * at once, as the thresholds' version is part of the key.
 */
const SHARED_VIEW_MS = 3_000;
const sharedRows = () =>
  processSingleton('ops.rows', () =>
    answerCache({ ttlMs: SHARED_VIEW_MS, maxEntries: 200, freshForReadTimes: SLOW_READ_FRESH_TIMES }),
  );

/**
 * One page of the operations dashboard as `user` sees it: the tenants they may `ops.read` (or the
 * filter's one), narrowed to `state`, page `page` of OPS_PAGE_SIZE tenants worst first.
 * `waitForFirstReads` false (the page's first paint) does not wait for the first answer of the
 * slow shared inputs (see `firstRead`); the live route and everything else waits.
 */
export async function opsView(
  user: SessionUser,
  tenantFilter: string | null,
  page = 1,
  state: OpsStateFilter | null = null,
  { waitForFirstReads = true }: { waitForFirstReads?: boolean } = {},
): Promise<OpsView> {
  const scope = await dashboardTenants(user, 'ops.read', tenantFilter);
  const stored = await getOpsThresholds();
  const wait = waitForFirstReads || FIRST_READS.every((name) => answeredOnce().has(name));
  // Rows judged without waiting are kept apart, so that a waiting reader never gets them.
  const key = `${wait ? 'all' : 'first'}\u0000${stored.version}\u0000${scope.selected.join(',')}`;
  const judged = (await sharedRows()(key, () => judgedRows(scope.selected, stored, wait ? null : FIRST_READ_WAIT_MS)))
    .value;
  // One tenant's view shows its seven rows whatever their states.
  const shownState = tenantFilter === null ? state : null;
  const board = opsBoardPage({ tenants: scope.visible, rows: judged.rows }, { state: shownState, page });
  return {
    ...judged,
    ...board,
    rows: healthLinksFor(board.rows, can(user, 'health.read', { kind: 'platform' })),
    state: shownState,
    tenants: tenantChoices(
      scope.visible,
      board.rows.map((r) => r.tenant),
    ),
    tenant: tenantFilter,
    thresholds: {
      values: stored.values,
      version: stored.version,
      updatedBy: stored.updatedBy,
      updatedAt: stored.updatedAt?.toISOString() ?? null,
    },
    areaThresholds: Object.fromEntries(OPS_AREAS.map((area) => [area, thresholdText(area, stored.values)])) as Record<
      OpsArea,
      string
    >,
    canEditThresholds: can(user, 'ops.thresholds.edit', { kind: 'platform' }),
  };
}
