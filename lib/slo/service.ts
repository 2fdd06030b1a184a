/**
 * The SLO pages' read models (PRODUCT.md capability 7). The endpoints are the InferenceServices
 * of the tenants the viewer may see (from the shared watch cache); each has an availability and
 * a latency SLO, stored or by default. Their numbers come from one Prometheus query for every
 * endpoint and window, shared across viewers; the arithmetic is lib/slo/budget.ts.
 *
 * Without Prometheus the list still names every SLO with its objective and says the numbers are
 * missing; without Kubernetes, the SLOs of endpoints Prometheus knows are listed.
 */
import { can } from '../auth/authorize';
import type { SessionUser } from '../auth/users';
import type { Actor } from '../audit/log';
import { UserFacingError } from '../errors';
import { tenantNamespace, watchedInferenceServices, type InferenceService } from '../integrations/kubernetes';
import { sloMetrics, type EndpointSloCounts } from '../integrations/prometheus';
import { answerPanel, outdatedOf, kubernetesPanel } from '../read-model/panel';
import { pageOf } from '../read-model/paging';
import { dashboardTenants } from '../read-model/tenant-scope';
import { answerCache, SLOW_READ_FRESH_TIMES } from '../cache/answer-cache';
import { processSingleton } from '../process-singleton';
import {
  objectiveWindowSeconds,
  sloHistoryPoints,
  sloSummaries,
  sloThresholdsMs,
  sloWindowsSeconds,
  sortWorstFirst,
} from './budget';
import { DEFAULT_SLO_OBJECTIVES, latencyBucketsMs } from './definition';
import { getSloObjectives, listSloObjectives, saveSloObjectives, type StoredSloObjectives } from './store';
import { tenantChoices } from '../tenancy/choices';
import { SLO_PAGE_SIZE, type SloDetailView, type SloListView, type SloRange, type SloSummary } from './view';

const RANGE_SECONDS: Record<SloRange, number> = {
  '1h': 3_600,
  '6h': 21_600,
  '1d': 86_400,
  '7d': 604_800,
  '28d': 2_419_200,
};
/** About 120 points per chart, whatever the range (never finer than a minute). */
const stepFor = (rangeSeconds: number) => Math.max(60, Math.round(rangeSeconds / 120 / 60) * 60);

const key = (tenant: string, endpoint: string) => `${tenant}/${endpoint}`;

async function endpointsOf(tenants: readonly string[]) {
  const namespaces = new Set(tenants.map(tenantNamespace));
  return kubernetesPanel('the endpoints', async () => {
    const snapshot = await watchedInferenceServices().read();
    const items = snapshot.items.filter((isvc: InferenceService) => namespaces.has(isvc.metadata.namespace ?? ''));
    return {
      data: items.map((isvc) => ({ tenant: isvc.metadata.namespace!, endpoint: isvc.metadata.name })),
      snapshots: [snapshot],
    };
  });
}

/** Every SLO of `tenants`, worst first, and why numbers or endpoints may be missing. */
async function allSlos(
  tenants: readonly string[],
  stored: Map<string, StoredSloObjectives>,
): Promise<{ slos: SloSummary[]; problems: SloListView['problems'] }> {
  const endpoints = await endpointsOf(tenants);
  const objectivesOf = (tenant: string, endpoint: string) =>
    stored.get(key(tenant, endpoint))?.objectives ?? DEFAULT_SLO_OBJECTIVES;
  const all = [...stored.values()].map((s) => s.objectives).concat(DEFAULT_SLO_OBJECTIVES);
  const counts = await answerPanel(
    'the SLO metrics',
    () => sloMetrics(tenants).counts(sloWindowsSeconds(all), sloThresholdsMs(all)),
    (a) => a.endpoints,
  );

  // Without Kubernetes, the endpoints Prometheus knows stand in for the list.
  const listed = endpoints.ok
    ? endpoints.data
    : counts.ok
      ? counts.data.map((c) => ({ tenant: c.tenant, endpoint: c.service }))
      : [];
  const countsOf = new Map<string, EndpointSloCounts>(
    counts.ok ? counts.data.map((c) => [key(c.tenant, c.service), c]) : [],
  );
  const slos = listed.flatMap(({ tenant, endpoint }) => {
    const pair = sloSummaries(
      tenant,
      endpoint,
      countsOf.get(key(tenant, endpoint))?.windows ?? {},
      objectivesOf(tenant, endpoint),
      counts.ok ? null : counts.message,
    );
    return [pair.availability, pair.latency];
  });
  return {
    slos: sortWorstFirst(slos),
    problems: {
      prometheus: counts.ok ? null : counts.message,
      kubernetes: endpoints.ok ? null : endpoints.message,
      outdated: (
        [
          ['kubernetes', outdatedOf(endpoints)],
          ['prometheus', outdatedOf(counts)],
        ] as const
      ).flatMap(([source, outdated]) => (outdated ? [{ source, ...outdated }] : [])),
    },
  };
}

/**
 * Every SLO of `tenants` with its burn rates, for the worker's fast-burn alert (no viewer). Null
 * `prometheus` means the numbers were read; otherwise why not (and every rate is null).
 */
export async function tenantSlos(
  tenants: readonly string[],
): Promise<{ slos: SloSummary[]; prometheus: string | null; kubernetes: string | null }> {
  const { slos, problems } = await allSlos(tenants, await listSloObjectives(tenants));
  return { slos, prometheus: problems.prometheus, kubernetes: problems.kubernetes };
}

/**
 * Viewers of the same tenants share the sorted SLOs for a few seconds (a thousand SLOs from one
 * shared Prometheus answer are worth computing once; nobody waits while they are redone); an
 * edited objective takes effect at once, as every stored definition's version is part of the key.
 */
const SHARED_LIST_MS = 5_000;
const sharedLists = () =>
  processSingleton('slo.lists', () =>
    answerCache({ ttlMs: SHARED_LIST_MS, maxEntries: 200, freshForReadTimes: SLOW_READ_FRESH_TIMES }),
  );

export async function sloList(user: SessionUser, tenantFilter: string | null, page = 1): Promise<SloListView> {
  const scope = await dashboardTenants(user, 'slo.read', tenantFilter);
  const stored = await listSloObjectives(scope.selected);
  const versions = [...stored]
    .map(([k, v]) => `${k}@${v.version}`)
    .sort()
    .join(',');
  const { slos, problems } = (
    await sharedLists()(`${scope.selected.join(',')}\u0000${versions}`, () => allSlos(scope.selected, stored))
  ).value;
  const shown = pageOf(slos, SLO_PAGE_SIZE, page);
  return {
    at: new Date().toISOString(),
    tenants: tenantChoices(scope.visible),
    tenant: tenantFilter,
    slos: shown.items,
    page: shown.page,
    pageCount: shown.pageCount,
    total: shown.total,
    alerting: slos.filter((s) => s.alerting).length,
    spent: slos.filter((s) => s.budgetRemaining !== null && s.budgetRemaining <= 0).length,
    problems,
  };
}

export class SloNotFoundError extends UserFacingError {}

export async function sloDetail(
  user: SessionUser,
  tenant: string,
  endpoint: string,
  range: SloRange,
): Promise<SloDetailView> {
  // The same words for a tenant the viewer may not see and one that does not exist.
  await dashboardTenants(user, 'slo.read', tenant).catch(() => {
    throw new SloNotFoundError(`There is no endpoint ${endpoint} in ${tenant} among those you may see.`);
  });
  const endpoints = await endpointsOf([tenant]);
  if (endpoints.ok && !endpoints.data.some((e) => e.endpoint === endpoint))
    throw new SloNotFoundError(`There is no endpoint ${endpoint} in ${tenant}.`);

  const stored = await getSloObjectives(tenant, endpoint);
  const objectives = stored.objectives;
  const metrics = sloMetrics([tenant]);
  const rangeSeconds = RANGE_SECONDS[range];
  const end = new Date();
  const [counts, history] = await Promise.all([
    answerPanel(
      'the SLO metrics',
      () => metrics.counts(sloWindowsSeconds([objectives]), sloThresholdsMs([objectives])),
      (a) => a.endpoints,
    ),
    answerPanel(
      'the SLO history',
      () =>
        metrics.history(tenant, endpoint, {
          start: new Date(end.getTime() - rangeSeconds * 1000),
          end,
          stepSeconds: stepFor(rangeSeconds),
          thresholdMs: objectives.latencyThresholdMs,
          objectiveWindowSeconds: objectiveWindowSeconds(objectives),
        }),
      (series) => series.points,
    ),
  ]);
  // Neither Kubernetes nor Prometheus can vouch for it: the objectives (the portal's own) are still
  // shown, with why its existence and numbers cannot be checked, rather than "not found".
  const unverified =
    !endpoints.ok && !(counts.ok && counts.data.some((c) => c.service === endpoint))
      ? `Whether ${endpoint} still exists cannot be checked: ${endpoints.message}`
      : null;
  const windows = counts.ok ? (counts.data.find((c) => c.service === endpoint)?.windows ?? {}) : {};
  const pair = sloSummaries(tenant, endpoint, windows, objectives, counts.ok ? null : counts.message);

  return {
    at: end.toISOString(),
    tenant,
    endpoint,
    objectives,
    version: stored.version,
    updatedBy: stored.updatedBy,
    updatedAt: stored.updatedAt?.toISOString() ?? null,
    availability: pair.availability,
    latency: pair.latency,
    range,
    history: history.ok ? sloHistoryPoints(history.data, objectives) : null,
    historyProblem: history.ok ? null : history.message,
    canEdit: can(user, 'slo.edit', { kind: 'tenant', tenant }),
    latencyBuckets: latencyBucketsMs(),
    unverified,
    outdated: outdatedOf(counts, history),
  };
}

/** Saves an endpoint's objectives (see saveSloObjectives) — only for an endpoint that exists, so a made-up name stores nothing. */
export async function saveEndpointObjectives(
  actor: Actor,
  tenant: string,
  endpoint: string,
  objectives: unknown,
  expectedVersion: number,
): Promise<StoredSloObjectives> {
  const endpoints = await endpointsOf([tenant]);
  if (!endpoints.ok) throw new UserFacingError(`Cannot check that ${endpoint} exists: ${endpoints.message}`);
  if (!endpoints.data.some((e) => e.endpoint === endpoint))
    throw new UserFacingError(`There is no endpoint ${endpoint} in ${tenant}.`);
  return saveSloObjectives(actor, tenant, endpoint, objectives, expectedVersion);
}
