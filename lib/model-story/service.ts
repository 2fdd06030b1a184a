/**
 * Gathers a model's story: the portal's own records (one database read of requests, approvals,
 * rollouts with their events, break-glass changes) and MLflow read live (versions, their source
 * runs, aliases and the portal's version tags) — nothing of MLflow's is kept. Each source is read
 * on its own: MLflow down costs only its events, and the page says so.
 */
import { authorize, type Principal } from '../auth/authorize';
import { getDb } from '../db/client';
import { isRunId, mlflowFor, type MlflowClient, type MlflowRun } from '../integrations/mlflow';
import { failureMessage, isUpstreamError } from '../integrations/upstream';
import { mapWithConcurrency } from '../models/concurrency';
import { getPolicy } from '../promotion/policy-store';
import { UserFacingError } from '../errors';
import { buildTimeline, type MlflowSource, type StoryEvent, type StorySources } from './timeline';

/** A model's records beyond these are left out, newest kept (a canary judged every 30 s for weeks writes many checks). */
export const STORY_LIMITS = { requests: 500, rolloutEventsPerRollout: 2000, rollouts: 200, breakGlass: 500 } as const;

// Each version costs one run read; eight at a time keeps MLflow's load bounded.
const RUN_READ_CONCURRENCY = 8;

export interface ModelStory {
  tenant: string;
  model: string;
  primaryMetric: string;
  /** Newest first. */
  events: StoryEvent[];
  /** Every version the story knows of (MLflow's and the portal's), newest first. */
  versions: string[];
  /** The model's aliases now, from MLflow (empty when MLflow could not be read). */
  aliases: { alias: string; version: string }[];
  /** Why MLflow's events (runs, registrations, alias moves) are missing; null when MLflow answered. */
  mlflowProblem: string | null;
  /** Whether some records were left out for the limits above. */
  truncated: boolean;
}

export class TenantNotFoundError extends UserFacingError {
  constructor(tenant: string) {
    super(`There is no tenant named ${tenant}.`);
    this.name = 'TenantNotFoundError';
  }
}

export interface StoryConnections {
  mlflow?: MlflowClient;
}

async function readPortalRecords(tenantId: string, model: string) {
  const db = getDb();
  const [requests, rollouts] = await Promise.all([
    db.promotionRequest.findMany({
      where: { tenantId, modelName: model },
      include: { approvals: { orderBy: { createdAt: 'asc' } } },
      orderBy: { createdAt: 'desc' },
      take: STORY_LIMITS.requests,
    }),
    db.rollout.findMany({
      where: { tenantId, modelName: model },
      include: { events: { orderBy: { id: 'desc' }, take: STORY_LIMITS.rolloutEventsPerRollout } },
      orderBy: { createdAt: 'desc' },
      take: STORY_LIMITS.rollouts,
    }),
  ]);
  const endpoints = [...new Set([...requests.map((r) => r.endpoint), ...rollouts.map((r) => r.endpoint)])];
  const breakGlass =
    endpoints.length === 0
      ? []
      : await db.breakGlassChange.findMany({
          where: { tenantId, endpoint: { in: endpoints } },
          orderBy: { observedAt: 'desc' },
          take: STORY_LIMITS.breakGlass,
        });
  const truncated =
    requests.length === STORY_LIMITS.requests ||
    rollouts.length === STORY_LIMITS.rollouts ||
    breakGlass.length === STORY_LIMITS.breakGlass ||
    rollouts.some((r) => r.events.length === STORY_LIMITS.rolloutEventsPerRollout);
  return { requests, rollouts, breakGlass, truncated };
}

async function readMlflow(
  tenant: string,
  model: string,
  connections: StoryConnections,
): Promise<{ source: MlflowSource; aliases: { alias: string; version: string }[] }> {
  try {
    const mlflow = connections.mlflow ?? mlflowFor(tenant);
    const registered = await mlflow.getRegisteredModel(model);
    const versions = await mlflow.searchModelVersions(model, registered);
    const withRuns = await mapWithConcurrency(versions, RUN_READ_CONCURRENCY, async (v) => ({
      version: v.version,
      createdAt: v.creationTimestamp,
      runId: v.runId,
      aliases: v.aliases,
      tags: v.tags,
      run: await findRun(mlflow, v.runId),
    }));
    return { source: { ok: true, versions: withRuns }, aliases: registered.aliases };
  } catch (error) {
    const message = isUpstreamError(error, 'not-found')
      ? `MLflow has no registered model named ${model} in ${tenant}.`
      : failureMessage('MLflow', error);
    return { source: { ok: false, message }, aliases: [] };
  }
}

async function findRun(mlflow: MlflowClient, runId: string) {
  if (!isRunId(runId)) return null;
  let run: MlflowRun;
  try {
    run = await mlflow.getRun(runId);
  } catch (error) {
    if (isUpstreamError(error, 'not-found')) return null;
    throw error;
  }
  return {
    runId: run.runId,
    runName: run.runName,
    startTime: run.startTime,
    endTime: run.endTime,
    metrics: run.metrics,
  };
}

function versionOrder(a: string, b: string): number {
  return Number(b) - Number(a);
}

/**
 * The story of `model` in `tenant` for `principal`, who must be allowed `model.read` there (every
 * role that may is also allowed to read the tenant's promotions and deployments the story shows).
 */
export async function modelStory(
  principal: Principal,
  tenant: string,
  model: string,
  connections: StoryConnections = {},
): Promise<ModelStory> {
  const tenantRow = await getDb().tenant.findUnique({ where: { name: tenant }, select: { id: true, status: true } });
  authorize(principal, 'model.read', { kind: 'tenant', tenant, status: tenantRow?.status });
  if (!tenantRow) throw new TenantNotFoundError(tenant);

  const [records, { policy }, mlflow] = await Promise.all([
    readPortalRecords(tenantRow.id, model),
    getPolicy(tenant),
    readMlflow(tenant, model, connections),
  ]);
  const sources: StorySources = {
    tenant,
    model,
    primaryMetric: policy.primaryMetric,
    mlflow: mlflow.source,
    requests: records.requests,
    rollouts: records.rollouts,
    breakGlass: records.breakGlass,
  };
  const versions = new Set<string>([
    ...(mlflow.source.ok ? mlflow.source.versions.map((v) => v.version) : []),
    ...records.requests.map((r) => r.version),
    ...records.rollouts.map((r) => r.version),
  ]);
  return {
    tenant,
    model,
    primaryMetric: policy.primaryMetric,
    events: buildTimeline(sources),
    versions: [...versions].sort(versionOrder),
    aliases: mlflow.aliases,
    mlflowProblem: mlflow.source.ok ? null : mlflow.source.message,
    truncated: records.truncated,
  };
}
