/**
 * The stack's MLflow against the running, seeded stack (`npm run stack -- seed` first), read the
 * way the portal reads it: MLflow's REST API, one workspace per tenant selected with the
 * `X-MLFLOW-WORKSPACE` header, artifacts straight from MinIO.
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minio, minioS3Client } from '../components/minio';
import { WORKSPACE_HEADER, mlflow, mlflowUrl, workspaceProvider } from '../components/mlflow';
import { stackContext } from '../lib/context';

const ctx = stackContext();
const MLFLOW = mlflowUrl(ctx);
const TENANTS = [
  { tenant: 'fraud', model: 'fraud-detector', otherModels: [] },
  { tenant: 'pricing', model: 'price-elasticity', otherModels: [] },
  // The served unsigned model of platform health's signature-missing-under-enforcement case.
  { tenant: 'forecast', model: 'demand-forecast', otherModels: ['demand-forecast-lite'] },
];

interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  workspace?: string;
}
interface Run {
  info: { run_id: string; run_name: string; experiment_id: string; artifact_uri: string; status: string };
  data: { metrics?: { key: string; value: number; step: number }[]; tags?: { key: string; value: string }[] };
}
interface ModelVersion {
  name: string;
  version: string;
  source: string;
  run_id: string;
  aliases?: string[];
}

async function api<T>(
  path: string,
  workspace: string | null,
  init: { method?: 'GET' | 'POST'; body?: unknown; query?: Record<string, string> } = {},
): Promise<T> {
  const url = new URL(path, MLFLOW);
  for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (workspace) headers[WORKSPACE_HEADER] = workspace;
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new Error(`mlflow is not reachable at ${MLFLOW} (${String(error)}) — start the stack (npm run stack -- up)`);
  }
  const text = await response.text();
  if (!response.ok)
    throw new Error(
      `mlflow ${init.method ?? 'GET'} ${path} [${workspace ?? 'no workspace'}]: ${response.status} ${text}`,
    );
  return JSON.parse(text) as T;
}

async function searchExperiments(workspace: string): Promise<Experiment[]> {
  const { experiments = [] } = await api<{ experiments?: Experiment[] }>(
    '/api/2.0/mlflow/experiments/search',
    workspace,
    { method: 'POST', body: { max_results: 1000 } },
  );
  return experiments;
}

async function searchRuns(workspace: string, experimentId: string): Promise<Run[]> {
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api<{ runs?: Run[]; next_page_token?: string }>('/api/2.0/mlflow/runs/search', workspace, {
      method: 'POST',
      body: { experiment_ids: [experimentId], max_results: 1000, page_token: pageToken },
    });
    runs.push(...(page.runs ?? []));
    pageToken = page.next_page_token;
  } while (pageToken);
  return runs;
}

async function modelVersions(workspace: string, model: string): Promise<ModelVersion[]> {
  const { model_versions = [] } = await api<{ model_versions?: ModelVersion[] }>(
    '/api/2.0/mlflow/model-versions/search',
    workspace,
    {
      query: { filter: `name = '${model}'`, max_results: '100' },
    },
  );
  return model_versions.sort((a, b) => Number(a.version) - Number(b.version));
}

function s3Location(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}

let s3: S3Client;

beforeAll(async () => {
  if (!(await mlflow.isUp(ctx)))
    throw new Error(`mlflow is not reachable at ${MLFLOW}/health — start the stack (npm run stack -- up)`);
  if (!(await minio.isUp(ctx)))
    throw new Error(
      `minio is not reachable at ${minio.url(ctx)} (MLflow's artifacts) — start the stack (npm run stack -- up)`,
    );
  s3 = minioS3Client(ctx);
});
afterAll(() => s3?.destroy());

describe('mlflow', () => {
  it('answers /health', async () => {
    const response = await fetch(`${MLFLOW}/health`);
    expect(response.status).toBe(200);
  });

  it('has a workspace per tenant', async () => {
    const { workspaces = [] } = await api<{ workspaces?: { name: string }[] }>('/api/3.0/mlflow/workspaces', null);
    const names = workspaces.map((w) => w.name);
    for (const { tenant } of TENANTS) expect(names, `workspace ${tenant}`).toContain(tenant);
    for (const { tenant } of TENANTS) {
      const { workspace } = await api<{ workspace: { name: string } }>(`/api/3.0/mlflow/workspaces/${tenant}`, null);
      expect(workspace.name).toBe(tenant);
    }
  });

  it('serves no tenant data to a request that names no workspace, and refuses an unknown one', async () => {
    const response = await fetch(new URL('/api/2.0/mlflow/experiments/search', MLFLOW), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ max_results: 100 }),
    });
    if (workspaceProvider() === 'kubernetes') {
      // Namespaces as workspaces: there is no default workspace at all.
      expect(response.status).toBe(400);
    } else {
      // MLflow's own workspace store: the request lands in the (empty) `default` workspace.
      expect(response.status).toBe(200);
      const { experiments = [] } = (await response.json()) as { experiments?: Experiment[] };
      expect(experiments.filter((e) => e.workspace !== 'default')).toEqual([]);
    }
    const unknown = await fetch(new URL('/api/2.0/mlflow/experiments/search', MLFLOW), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [WORKSPACE_HEADER]: 'no-such-tenant' },
      body: JSON.stringify({ max_results: 1 }),
    });
    expect(unknown.status).toBe(404);
  });

  it('keeps each tenant in its own workspace', async () => {
    for (const { tenant, model, otherModels } of TENANTS) {
      const { registered_models = [] } = await api<{ registered_models?: { name: string }[] }>(
        '/api/2.0/mlflow/registered-models/search',
        tenant,
        {
          query: { max_results: '100' },
        },
      );
      expect(registered_models.map((m) => m.name).sort()).toEqual([model, ...otherModels].sort());
      for (const experiment of await searchExperiments(tenant)) {
        expect(experiment.name.startsWith(`${tenant}-`), experiment.name).toBe(true);
        expect(experiment.artifact_location).toMatch(new RegExp(`^s3://mlflow-artifacts/workspaces/${tenant}/`));
      }
    }
  });

  describe.each(TENANTS)('tenant $tenant', ({ tenant, model }) => {
    it('has 2–3 experiments of 20–50 finished runs each, with gate metrics', async () => {
      const experiments = await searchExperiments(tenant);
      expect(experiments.length).toBeGreaterThanOrEqual(2);
      expect(experiments.length).toBeLessThanOrEqual(3);
      for (const experiment of experiments) {
        const runs = await searchRuns(tenant, experiment.experiment_id);
        expect(runs.length, experiment.name).toBeGreaterThanOrEqual(20);
        expect(runs.length, experiment.name).toBeLessThanOrEqual(50);
        for (const run of runs) {
          expect(run.info.status).toBe('FINISHED');
          expect(run.info.artifact_uri).toMatch(/^s3:\/\/mlflow-artifacts\//);
          const keys = (run.data.metrics ?? []).map((m) => m.key);
          expect(keys).toEqual(expect.arrayContaining(['cv_f1_mean', 'cv_f1_std', 'holdout_auc']));
        }
      }
    });

    it(`registers ${model} with 3–5 versions from real runs, champion and challenger resolving`, async () => {
      const versions = await modelVersions(tenant, model);
      expect(versions.length).toBeGreaterThanOrEqual(3);
      expect(versions.length).toBeLessThanOrEqual(5);
      for (const version of versions) {
        expect(version.run_id).toMatch(/^[0-9a-f]{32}$/);
        const { run } = await api<{ run: Run }>('/api/2.0/mlflow/runs/get', tenant, {
          query: { run_id: version.run_id },
        });
        expect(version.source).toBe(`${run.info.artifact_uri}/model`);
      }
      const { registered_model } = await api<{ registered_model: { aliases?: { alias: string; version: string }[] } }>(
        '/api/2.0/mlflow/registered-models/get',
        tenant,
        { query: { name: model } },
      );
      expect((registered_model.aliases ?? []).map((a) => a.alias).sort()).toEqual(['challenger', 'champion']);
      const resolved: Record<string, string> = {};
      for (const alias of ['champion', 'challenger']) {
        const { model_version } = await api<{ model_version: ModelVersion }>(
          '/api/2.0/mlflow/registered-models/alias',
          tenant,
          { query: { name: model, alias } },
        );
        expect(versions.map((v) => v.version)).toContain(model_version.version);
        resolved[alias] = model_version.version;
      }
      expect(resolved.champion).not.toBe(resolved.challenger);
    });

    it("stores every version's model in MinIO at <artifact_uri>/model/MLmodel", async () => {
      for (const version of await modelVersions(tenant, model)) {
        const { bucket, key } = s3Location(`${version.source}/MLmodel`);
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        expect(head.ContentLength, `${model} v${version.version} MLmodel`).toBeGreaterThan(0);
      }
    });

    it("keeps the champion run's loss per epoch as a metric history of several steps", async () => {
      const { model_version } = await api<{ model_version: ModelVersion }>(
        '/api/2.0/mlflow/registered-models/alias',
        tenant,
        { query: { name: model, alias: 'champion' } },
      );
      const { metrics = [] } = await api<{ metrics?: { step: number; value: number }[] }>(
        '/api/2.0/mlflow/metrics/get-history',
        tenant,
        {
          query: { run_id: model_version.run_id, metric_key: 'train_loss' },
        },
      );
      const steps = new Set(metrics.map((m) => m.step));
      expect(steps.size).toBeGreaterThanOrEqual(5);
      // Training loss falls from the first step to the last.
      const ordered = [...metrics].sort((a, b) => a.step - b.step);
      expect(ordered.at(-1)!.value).toBeLessThan(ordered[0]!.value);
    });
  });

  it('has exactly the seeded registered versions logged without a signature', async () => {
    const unsigned: string[] = [];
    for (const { tenant, model, otherModels } of TENANTS) {
      const versions = [model, ...otherModels].map((name) => modelVersions(tenant, name));
      for (const version of (await Promise.all(versions)).flat()) {
        const { bucket, key } = s3Location(`${version.source}/MLmodel`);
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const text = (await object.Body?.transformToString()) ?? '';
        expect(text).toMatch(/^flavors:/m);
        if (!/^signature:/m.test(text)) unsigned.push(`${version.name} v${version.version}`);
      }
    }
    // fraud's v2 (never served) and forecast's demand-forecast-lite v1 (served: platform health's case).
    expect(unsigned.sort()).toEqual(['demand-forecast-lite v1', 'fraud-detector v2']);
  });
});
