import { z } from 'zod';

/**
 * Where the platform's systems are. Read separately from the portal's core configuration so that
 * one missing setting degrades only the panels that need that system.
 */
const positiveMs = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schemas = {
  kubernetes: z.object({
    /** The portal's own kubeconfig; unset means in-cluster configuration (service account). */
    KUBERNETES_PORTAL_KUBECONFIG: z.string().optional(),
    KUBERNETES_TIMEOUT_MS: positiveMs(5000),
    /** Send the admission guard's marker (`mlp.example.com/via: portal`) when acting as a user; needs RBAC (deploy/admission/rbac.yaml). */
    KUBERNETES_PORTAL_MARKER: z.enum(['true', 'false']).default('true'),
  }),
  mlflow: z.object({
    MLFLOW_TRACKING_URI: z.url({ message: 'MLFLOW_TRACKING_URI must be the MLflow server URL' }),
    /** The header that selects the MLflow workspace (MLflow 3.10+ with workspaces enabled). */
    MLFLOW_WORKSPACE_HEADER: z.string().default('X-MLFLOW-WORKSPACE'),
    MLFLOW_TIMEOUT_MS: positiveMs(5000),
  }),
  s3: z.object({
    S3_ENDPOINT: z.url({ message: 'S3_ENDPOINT must be the object storage URL' }),
    S3_REGION: z.string().default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1),
    S3_SECRET_ACCESS_KEY: z.string().min(1),
    S3_BUCKET: z.string().min(3),
    S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
    /** Each tenant's artifacts live under `<prefix template>` with {tenant} replaced. */
    S3_TENANT_PREFIX: z.string().default('workspaces/{tenant}/'),
    S3_TIMEOUT_MS: positiveMs(5000),
    S3_PRESIGN_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  }),
  prometheus: z.object({
    PROMETHEUS_URL: z.url({ message: 'PROMETHEUS_URL must be the Prometheus server URL' }),
    PROMETHEUS_TIMEOUT_MS: positiveMs(5000),
  }),
};

export type IntegrationName = keyof typeof schemas;
export type IntegrationConfig<N extends IntegrationName> = z.output<(typeof schemas)[N]>;

const cache = new Map<IntegrationName, unknown>();

export function integrationConfig<N extends IntegrationName>(
  name: N,
  env: NodeJS.ProcessEnv = process.env,
): IntegrationConfig<N> {
  if (env === process.env && cache.has(name)) return cache.get(name) as IntegrationConfig<N>;
  const parsed = schemas[name].safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`The ${name} connection is not configured: ${problems}. See the configuration table in README.md.`);
  }
  if (env === process.env) cache.set(name, parsed.data);
  return parsed.data as IntegrationConfig<N>;
}
