/**
 * The PromQL the portal runs, as templates an installation can override: a JSON file named by
 * PROMETHEUS_QUERY_TEMPLATES maps template names to PromQL and is merged over the defaults below
 * (which fit KServe serverless on Knative's queue-proxy metrics, as the local stack exports them).
 *
 * Placeholders are `{{name}}`. Strings (namespace, service) are escaped for a double-quoted PromQL
 * string, so write them inside quotes: `namespace_name="{{namespace}}"`. Numbers (windowSeconds,
 * quantile, thresholdMs) are written as they are. Every tenant template must select by
 * `{{namespace}}`: that is how a tenant's query is kept to its own namespace.
 *
 * Cluster templates (`cluster…`, no namespace) see every namespace. They serve the platform pages,
 * and the pages that show many tenants at once: one query for all (the same text for every viewer,
 * so its answer is shared), whose series the adapter then keeps to the viewer's tenants. Their
 * series must therefore carry the labels named on each template (the serving ones:
 * `namespace_name` and `configuration_name` = "<InferenceService>-predictor", plus
 * `revision_name` where noted; the GPU ones: `namespace`); a series without them is ignored.
 *
 * The GPU templates fit NVIDIA's dcgm-exporter with Kubernetes pod attribution: one series per
 * GPU with the labels `namespace`, `pod`, `gpu`, `UUID`, `Hostname` and `modelName`. Overrides
 * must keep those labels (where Prometheus renamed them, e.g. to `exported_namespace`, select by
 * the new name and `label_replace` them back).
 *
 * Latency thresholds select a histogram bucket by its `le` label. Prometheus 3 (and any scrape in
 * the OpenMetrics format) stores `le="200"` as `le="200.0"`, so the defaults match both spellings.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const SERVICE_SELECTOR = 'namespace_name="{{namespace}}", configuration_name="{{service}}-predictor"';
/** A tenant's GPUs: those dcgm-exporter attributes to a pod in the tenant's namespace. */
const TENANT_GPUS = 'namespace="{{namespace}}", pod!=""';
/** Every GPU attributed to a pod, in any namespace. */
const ALLOCATED_GPUS = 'pod!=""';
/** The bucket of requests answered within {{thresholdMs}}, however Prometheus spelled its bound. */
const WITHIN_THRESHOLD = 'le=~"{{thresholdMs}}|{{thresholdMs}}[.]0"';
/** Per InferenceService of any namespace (cluster templates). */
const BY_SERVICE = 'namespace_name, configuration_name';
const BY_REVISION = 'namespace_name, configuration_name, revision_name';

/** The `revision…` templates' series must carry the revision in the label `revision_name`. */
const TEMPLATES = {
  /** Requests per second of each revision of an InferenceService. */
  revisionRequestRate: {
    variables: ['namespace', 'service', 'windowSeconds'],
    promql: `sum by (revision_name) (rate(revision_request_count{${SERVICE_SELECTOR}}[{{windowSeconds}}s]))`,
  },
  /** Failed (5xx) requests per second of each revision. */
  revisionErrorRate: {
    variables: ['namespace', 'service', 'windowSeconds'],
    promql: `sum by (revision_name) (rate(revision_request_count{${SERVICE_SELECTOR}, response_code_class="5xx"}[{{windowSeconds}}s]))`,
  },
  /** A latency quantile (0–1) of each revision, in milliseconds. */
  revisionLatencyQuantile: {
    variables: ['namespace', 'service', 'windowSeconds', 'quantile'],
    promql: `histogram_quantile({{quantile}}, sum by (revision_name, le) (rate(revision_request_latencies_bucket{${SERVICE_SELECTOR}}[{{windowSeconds}}s])))`,
  },
  /** Requests of an InferenceService (all revisions) in the window; also its request rate, divided by the window. One series. */
  serviceRequests: {
    variables: ['namespace', 'service', 'windowSeconds'],
    promql: `sum(increase(revision_request_count{${SERVICE_SELECTOR}}[{{windowSeconds}}s]))`,
  },
  /** Failed (5xx) requests of an InferenceService in the window. One series. */
  serviceErrors: {
    variables: ['namespace', 'service', 'windowSeconds'],
    promql: `sum(increase(revision_request_count{${SERVICE_SELECTOR}, response_code_class="5xx"}[{{windowSeconds}}s]))`,
  },
  /** Requests of an InferenceService answered within {{thresholdMs}} in the window. One series. */
  serviceRequestsWithin: {
    variables: ['namespace', 'service', 'windowSeconds', 'thresholdMs'],
    promql: `sum(increase(revision_request_latencies_bucket{${SERVICE_SELECTOR}, ${WITHIN_THRESHOLD}}[{{windowSeconds}}s]))`,
  },
  /** A latency quantile (0–1) of an InferenceService (all revisions), in milliseconds. One series. */
  serviceLatencyQuantile: {
    variables: ['namespace', 'service', 'windowSeconds', 'quantile'],
    promql: `histogram_quantile({{quantile}}, sum by (le) (rate(revision_request_latencies_bucket{${SERVICE_SELECTOR}}[{{windowSeconds}}s])))`,
  },
  /** Each of a tenant's GPUs: mean utilisation (%) over the window. */
  gpuUtilisation: {
    variables: ['namespace', 'windowSeconds'],
    promql: `avg_over_time(DCGM_FI_DEV_GPU_UTIL{${TENANT_GPUS}}[{{windowSeconds}}s])`,
  },
  /** Each of a tenant's GPUs: highest utilisation (%) over the window (below 5 % means idle). */
  gpuPeakUtilisation: {
    variables: ['namespace', 'windowSeconds'],
    promql: `max_over_time(DCGM_FI_DEV_GPU_UTIL{${TENANT_GPUS}}[{{windowSeconds}}s])`,
  },
  /** Each of a tenant's GPUs: framebuffer memory used (MiB), latest. */
  gpuMemoryUsed: {
    variables: ['namespace', 'windowSeconds'],
    promql: `last_over_time(DCGM_FI_DEV_FB_USED{${TENANT_GPUS}}[{{windowSeconds}}s])`,
  },
  /** Each of a tenant's GPUs: framebuffer memory free (MiB), latest. */
  gpuMemoryFree: {
    variables: ['namespace', 'windowSeconds'],
    promql: `last_over_time(DCGM_FI_DEV_FB_FREE{${TENANT_GPUS}}[{{windowSeconds}}s])`,
  },
  /** A tenant's mean GPU utilisation (%) per pod, for charts (range queries). */
  gpuUtilisationByPod: {
    variables: ['namespace'],
    promql: `avg by (pod) (DCGM_FI_DEV_GPU_UTIL{${TENANT_GPUS}})`,
  },
  /** Every allocated GPU of the cluster: mean utilisation (%) over the window. */
  clusterGpuUtilisation: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `avg_over_time(DCGM_FI_DEV_GPU_UTIL{${ALLOCATED_GPUS}}[{{windowSeconds}}s])`,
  },
  /** Every allocated GPU of the cluster: highest utilisation (%) over the window. */
  clusterGpuPeakUtilisation: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `max_over_time(DCGM_FI_DEV_GPU_UTIL{${ALLOCATED_GPUS}}[{{windowSeconds}}s])`,
  },
  /** Every allocated GPU of the cluster: framebuffer memory used (MiB), latest. */
  clusterGpuMemoryUsed: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `last_over_time(DCGM_FI_DEV_FB_USED{${ALLOCATED_GPUS}}[{{windowSeconds}}s])`,
  },
  /** Every allocated GPU of the cluster: framebuffer memory free (MiB), latest. */
  clusterGpuMemoryFree: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `last_over_time(DCGM_FI_DEV_FB_FREE{${ALLOCATED_GPUS}}[{{windowSeconds}}s])`,
  },
  /** Requests per second of every revision of every InferenceService; labels: namespace_name, configuration_name, revision_name. */
  clusterRevisionRequestRate: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `sum by (${BY_REVISION}) (rate(revision_request_count[{{windowSeconds}}s]))`,
  },
  /** Failed (5xx) requests per second of every revision; labels: namespace_name, configuration_name, revision_name. */
  clusterRevisionErrorRate: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `sum by (${BY_REVISION}) (rate(revision_request_count{response_code_class="5xx"}[{{windowSeconds}}s]))`,
  },
  /** A latency quantile (ms) of every InferenceService over all its revisions; labels: namespace_name, configuration_name. */
  clusterServiceLatencyQuantile: {
    variables: ['windowSeconds', 'quantile'],
    scope: 'cluster',
    promql: `histogram_quantile({{quantile}}, sum by (${BY_SERVICE}, le) (rate(revision_request_latencies_bucket[{{windowSeconds}}s])))`,
  },
  /** Requests of every InferenceService in the window; labels: namespace_name, configuration_name. */
  clusterServiceRequests: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `sum by (${BY_SERVICE}) (increase(revision_request_count[{{windowSeconds}}s]))`,
  },
  /** Failed (5xx) requests of every InferenceService in the window; labels: namespace_name, configuration_name. */
  clusterServiceErrors: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `sum by (${BY_SERVICE}) (increase(revision_request_count{response_code_class="5xx"}[{{windowSeconds}}s]))`,
  },
  /** Requests of every InferenceService answered within {{thresholdMs}} in the window; labels: namespace_name, configuration_name. */
  clusterServiceRequestsWithin: {
    variables: ['windowSeconds', 'thresholdMs'],
    scope: 'cluster',
    promql: `sum by (${BY_SERVICE}) (increase(revision_request_latencies_bucket{${WITHIN_THRESHOLD}}[{{windowSeconds}}s]))`,
  },
  /** Mean utilisation (%) over the window of the GPUs allocated in each namespace; label: namespace. */
  clusterNamespaceGpuUtilisation: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `avg by (namespace) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{${ALLOCATED_GPUS}}[{{windowSeconds}}s]))`,
  },
  /** GPUs allocated in each namespace (reporting within the window); label: namespace. */
  clusterNamespaceGpuCount: {
    variables: ['windowSeconds'],
    scope: 'cluster',
    promql: `count by (namespace) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{${ALLOCATED_GPUS}}[{{windowSeconds}}s]))`,
  },
  /**
   * Each input feature's drift score (0–1) of one InferenceService, for charts (range queries);
   * label: feature. The default reads `model_input_drift_score{namespace, inference_service,
   * feature}`, the gauge a drift exporter (e.g. Evidently's column drift pushed to Prometheus) gives.
   */
  inputDriftScores: {
    variables: ['namespace', 'service'],
    promql: `max by (feature) (model_input_drift_score{namespace="{{namespace}}", inference_service="{{service}}"})`,
  },
  /** The latest drift score (0–1) of every input feature of every InferenceService; labels: namespace, inference_service, feature. */
  clusterInputDriftScores: {
    variables: [],
    scope: 'cluster',
    promql: `max by (namespace, inference_service, feature) (model_input_drift_score)`,
  },
} as const satisfies Record<string, { variables: readonly string[]; promql: string; scope?: 'cluster' }>;

export type QueryTemplateName = keyof typeof TEMPLATES;
export type QueryTemplates = Record<QueryTemplateName, string>;

const TEMPLATE_NAMES = Object.keys(TEMPLATES) as QueryTemplateName[];

export const DEFAULT_QUERY_TEMPLATES: QueryTemplates = Object.fromEntries(
  TEMPLATE_NAMES.map((name) => [name, TEMPLATES[name].promql]),
) as QueryTemplates;

const PLACEHOLDER = /\{\{\s*([A-Za-z]\w*)\s*\}\}/g;

function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** Why a template cannot be used, or undefined when it can. */
function templateProblem(name: QueryTemplateName, template: string): string | undefined {
  const allowed: readonly string[] = TEMPLATES[name].variables;
  const unknown = placeholders(template).filter((p) => !allowed.includes(p));
  if (unknown.length)
    return `${name} uses {{${unknown[0]}}}, which is not one of ${allowed.map((v) => `{{${v}}}`).join(', ')}`;
  const clusterScoped = 'scope' in TEMPLATES[name] && TEMPLATES[name].scope === 'cluster';
  if (!clusterScoped && !placeholders(template).includes('namespace'))
    return `${name} must select by {{namespace}} so that a tenant sees only its own namespace`;
  return undefined;
}

const overridesSchema = z.strictObject(
  Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, z.string().trim().min(1).optional()])) as Record<
    QueryTemplateName,
    z.ZodOptional<z.ZodString>
  >,
);

/** The defaults with `overrides` (parsed JSON) merged over them; `source` names the file in messages. */
export function mergeQueryTemplates(overrides: unknown, source: string): QueryTemplates {
  const parsed = overridesSchema.safeParse(overrides);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const known = TEMPLATE_NAMES.join(', ');
    throw new Error(
      `The Prometheus query templates in ${source} are not usable: ${issue?.path.join('.') || 'the file'}: ${issue?.message} (templates: ${known})`,
    );
  }
  const templates = { ...DEFAULT_QUERY_TEMPLATES };
  for (const name of TEMPLATE_NAMES) {
    const template = parsed.data[name];
    if (template === undefined) continue;
    const problem = templateProblem(name, template);
    if (problem) throw new Error(`The Prometheus query templates in ${source} are not usable: ${problem}`);
    templates[name] = template;
  }
  return templates;
}

const loaded = new Map<string, QueryTemplates>();

/** The templates in force: the defaults, with the file named by PROMETHEUS_QUERY_TEMPLATES over them. Read once. */
export function queryTemplates(file: string | undefined = process.env.PROMETHEUS_QUERY_TEMPLATES): QueryTemplates {
  if (!file) return DEFAULT_QUERY_TEMPLATES;
  const cached = loaded.get(file);
  if (cached) return cached;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `The Prometheus query templates file ${file} (PROMETHEUS_QUERY_TEMPLATES) cannot be read: ${(error as Error).message}`,
    );
  }
  const templates = mergeQueryTemplates(json, `${file} (PROMETHEUS_QUERY_TEMPLATES)`);
  loaded.set(file, templates);
  return templates;
}

/** Escapes a value for a double-quoted PromQL string (a label matcher's value). */
export function escapeLabelValue(value: string): string {
  return value.replace(
    /[\\"\n\r\t]/g,
    (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!,
  );
}

/** Fills a template's placeholders: strings escaped for a quoted label value, numbers as they are. */
export function renderQuery(template: string, variables: Record<string, string | number>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`The query template needs {{${name}}}, which was not given`);
    if (typeof value === 'string') return escapeLabelValue(value);
    if (!Number.isFinite(value)) throw new Error(`{{${name}}} must be a finite number, not ${value}`);
    return String(value);
  });
}

/** A template's window: whole seconds, at least one. */
export function checkWindowSeconds(windowSeconds: number): number {
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1)
    throw new Error(`A metrics window is a whole number of seconds, not ${windowSeconds}`);
  return windowSeconds;
}
