import type { z } from 'zod';
import { UserFacingError } from '../../errors';
import { tenantNameSchema } from '../../tenancy/names';
import { integrationConfig, type IntegrationConfig } from '../config';
import { httpJson, READ_RETRY, UpstreamError, type RetryOptions, type UpstreamErrorKind } from '../upstream';
import { assertModelVersion, assertRunId } from './ids';
import type { MetricPoint, MlflowClient } from './types';
import { errorBodySchema, responses, withAliases } from './wire';

export type MlflowConfig = IntegrationConfig<'mlflow'>;

const ERROR_KINDS: Record<string, UpstreamErrorKind> = {
  RESOURCE_DOES_NOT_EXIST: 'not-found',
  PERMISSION_DENIED: 'forbidden',
  UNAUTHENTICATED: 'forbidden',
  RESOURCE_ALREADY_EXISTS: 'conflict',
  RESOURCE_CONFLICT: 'conflict',
};

/** MLflow explains its refusals as `{error_code, message}`; that message is what people need to read. */
export function describeMlflowError(
  status: number,
  body: string,
): { kind: UpstreamErrorKind; message: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { error_code: code, message } = parsed.data;
  return {
    kind: ERROR_KINDS[code] ?? (status === 404 ? 'not-found' : 'rejected'),
    message: `MLflow: ${message || code}`,
  };
}

function loadConfig(): MlflowConfig {
  try {
    return integrationConfig('mlflow');
  } catch (error) {
    throw new UpstreamError(
      'MLflow',
      'unreachable',
      error instanceof Error ? error.message : String(error),
      undefined,
      { cause: error },
    );
  }
}

// Long histories come in pages; more than this many points is more than any chart can show.
const HISTORY_PAGE_SIZE = 25_000;
const HISTORY_MAX_PAGES = 8;
const MODEL_VERSIONS_PAGE_SIZE = 1000;
const MODEL_VERSIONS_MAX_PAGES = 20;

async function collectPages<T>(
  maxPages: number,
  fetchPage: (pageToken?: string) => Promise<{ items: T[]; nextPageToken?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(pageToken);
    items.push(...result.items);
    pageToken = result.nextPageToken;
    if (!pageToken) break;
  }
  return items;
}

/** A filter string literal; MLflow's parser has no escapes, so pick a quote the value does not contain. */
function quoted(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new UserFacingError(`The model name ${value} contains both kinds of quotes and cannot be searched for.`);
}

/**
 * MLflow for one tenant: every request carries the tenant's workspace header. Reads (searches
 * included, though MLflow makes them POSTs) are retried on transient failures; writes never are.
 */
export function mlflowFor(tenant: string, config: MlflowConfig = loadConfig()): MlflowClient {
  if (tenantNameSchema.safeParse(tenant).data !== tenant)
    throw new UserFacingError(`"${tenant.slice(0, 80)}" is not a tenant name.`, 'tenant');
  const base = `${config.MLFLOW_TRACKING_URI.replace(/\/+$/, '')}/api/2.0/mlflow/`;
  const headers = { [config.MLFLOW_WORKSPACE_HEADER]: tenant };

  function call<S extends z.ZodType>(
    endpoint: string,
    schema: S,
    options: {
      method?: 'GET' | 'POST' | 'DELETE';
      query?: Record<string, string | number | undefined>;
      body?: unknown;
      retry?: RetryOptions;
    } = {},
  ): Promise<z.output<S>> {
    const url = new URL(endpoint, base);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    return httpJson({
      system: 'MLflow',
      url: url.toString(),
      method: options.method ?? 'GET',
      headers,
      body: options.body,
      schema,
      timeoutMs: config.MLFLOW_TIMEOUT_MS,
      retry: options.retry,
      describeError: describeMlflowError,
    });
  }

  const client: MlflowClient = {
    tenant,

    async searchExperiments({ maxResults = 100, pageToken } = {}) {
      const page = await call('experiments/search', responses.searchExperiments, {
        method: 'POST',
        body: { max_results: maxResults, page_token: pageToken },
        retry: READ_RETRY,
      });
      return { experiments: page.experiments, nextPageToken: page.next_page_token };
    },

    async getExperiment(experimentId) {
      return (await call('experiments/get', responses.getExperiment, { query: { experiment_id: experimentId } }))
        .experiment;
    },

    async searchRuns({ experimentIds, filter, orderBy, maxResults, pageToken }) {
      const page = await call('runs/search', responses.searchRuns, {
        method: 'POST',
        body: {
          experiment_ids: experimentIds,
          filter: filter || undefined,
          order_by: orderBy,
          max_results: maxResults,
          page_token: pageToken,
          run_view_type: 'ACTIVE_ONLY',
        },
        retry: READ_RETRY,
      });
      return { runs: page.runs, nextPageToken: page.next_page_token };
    },

    async getRun(runId) {
      assertRunId(runId);
      return (await call('runs/get', responses.getRun, { query: { run_id: runId } })).run;
    },

    async getMetricHistory(runId, metricKey) {
      assertRunId(runId);
      const points = await collectPages<MetricPoint>(HISTORY_MAX_PAGES, async (pageToken) => {
        const page = await call('metrics/get-history', responses.getMetricHistory, {
          query: { run_id: runId, metric_key: metricKey, max_results: HISTORY_PAGE_SIZE, page_token: pageToken },
        });
        return { items: page.metrics, nextPageToken: page.next_page_token };
      });
      return points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    },

    async searchRegisteredModels({ maxResults = 100, pageToken } = {}) {
      const page = await call('registered-models/search', responses.searchRegisteredModels, {
        query: { max_results: maxResults, page_token: pageToken },
      });
      return { models: page.registered_models, nextPageToken: page.next_page_token };
    },

    async getRegisteredModel(name) {
      return (await call('registered-models/get', responses.getRegisteredModel, { query: { name } })).registered_model;
    },

    async searchModelVersions(modelName, known) {
      // The search answer leaves out aliases; the registered model lists them (and says "not found" for an unknown model).
      // A caller that already holds the model passes it, so it is not fetched again.
      const [model, versions] = await Promise.all([
        known ?? client.getRegisteredModel(modelName),
        collectPages(MODEL_VERSIONS_MAX_PAGES, async (pageToken) => {
          const page = await call('model-versions/search', responses.searchModelVersions, {
            query: {
              filter: `name = ${quoted(modelName)}`,
              max_results: MODEL_VERSIONS_PAGE_SIZE,
              page_token: pageToken,
            },
          });
          return { items: page.model_versions, nextPageToken: page.next_page_token };
        }),
      ]);
      return versions.map((v) => withAliases(v, model.aliases)).sort((a, b) => Number(b.version) - Number(a.version));
    },

    async getModelVersion(name, version) {
      assertModelVersion(version);
      return (await call('model-versions/get', responses.getModelVersion, { query: { name, version } })).model_version;
    },

    async setRegisteredModelAlias(name, alias, version) {
      assertModelVersion(version);
      await call('registered-models/alias', responses.empty, { method: 'POST', body: { name, alias, version } });
    },

    async deleteRegisteredModelAlias(name, alias) {
      await call('registered-models/alias', responses.empty, { method: 'DELETE', body: { name, alias } });
    },

    async setModelVersionTag(name, version, key, value) {
      assertModelVersion(version);
      await call('model-versions/set-tag', responses.empty, { method: 'POST', body: { name, version, key, value } });
    },
  };
  return client;
}
