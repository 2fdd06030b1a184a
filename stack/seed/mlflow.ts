/**
 * MLflow's part of the demo: runs stack/mlflow/seed.py in the MLflow virtualenv — per tenant
 * (fraud, pricing, forecast, each its own workspace) experiments of real scikit-learn trainings
 * and a registered model with `champion` / `challenger` aliases, artifacts in MinIO. Idempotent
 * (the script keeps what exists). The summary is returned and written to
 * `<stateDir>/seed/mlflow.json`, for the InferenceServices and for tests.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  WORKSPACE_HEADER,
  WORKSPACE_NAMESPACE_LABEL,
  mlflowUrl,
  s3Env,
  venvPython,
  workspaceProvider,
} from '../components/mlflow';
import type { StackContext } from '../lib/context';
import { progress } from '../lib/progress';

export interface SeededModelVersion {
  version: string;
  /** The 32-hex MLflow run id that produced the version. */
  runId: string;
  runName: string;
  experimentId: string;
  /** The run's artifact root, `s3://mlflow-artifacts/workspaces/<tenant>/<experiment>/<run>/artifacts`. */
  artifactUri: string;
  /** `<artifactUri>/model`: holds `MLmodel`; the InferenceService's storageUri. */
  storageUri: string;
  /** The registry version's source (the same as storageUri). */
  source: string;
  /** Whether the model was logged with a signature (one seeded version is not). */
  signature: boolean;
  aliases: string[];
  metrics: { holdout_auc: number; cv_f1_mean: number; cv_f1_std: number };
}

export interface SeededTenant {
  tenant: string;
  /** The MLflow workspace (send it as X-MLFLOW-WORKSPACE); the tenant's namespace. */
  workspace: string;
  experiments: { name: string; experimentId: string; runs: number }[];
  /** The registered model's name. */
  model: string;
  /** Oldest first. */
  versions: SeededModelVersion[];
  champion: SeededModelVersion;
  challenger: SeededModelVersion;
  /**
   * A second registered model of one version logged without a signature and served (forecast's
   * demand-forecast-lite: signature-missing-under-enforcement fires on it); absent elsewhere.
   */
  unsignedModel?: { model: string; version: SeededModelVersion };
}

export interface SeededModels {
  seedVersion: string;
  trackingUri: string;
  tenants: SeededTenant[];
}

export function seedSummaryFile(ctx: StackContext): string {
  return path.join(ctx.stateDir, 'seed', 'mlflow.json');
}

/** The summary of the last seed, or null when MLflow has not been seeded. */
export async function readSeededModels(ctx: StackContext): Promise<SeededModels | null> {
  try {
    return JSON.parse(await readFile(seedSummaryFile(ctx), 'utf8')) as SeededModels;
  } catch {
    return null;
  }
}

export async function seedMlflow(ctx: StackContext): Promise<SeededModels> {
  const started = Date.now();
  const script = path.join(ctx.root, 'stack', 'mlflow', 'seed.py');
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(venvPython(ctx), [script], {
      cwd: ctx.root,
      env: {
        ...process.env,
        ...s3Env(ctx),
        MLFLOW_TRACKING_URI: mlflowUrl(ctx),
        KUBECONFIG: ctx.kubeconfig,
        SEED_WORKSPACE_PROVIDER: workspaceProvider(),
        SEED_WORKSPACE_LABEL: WORKSPACE_NAMESPACE_LABEL,
        PYTHONUNBUFFERED: '1',
        MLFLOW_DISABLE_TELEMETRY: 'true',
        DO_NOT_TRACK: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let buffer = '';
    const tail: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        if (line.startsWith('[mlflow-seed] ')) progress('seed', `mlflow: ${line.slice('[mlflow-seed] '.length)}`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`the MLflow seed script failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  let models: SeededModels;
  try {
    models = JSON.parse(last) as SeededModels;
  } catch {
    throw new Error(`the MLflow seed script printed no summary; its output ended with:\n${stdout.slice(-2_000)}`);
  }
  await mkdir(path.dirname(seedSummaryFile(ctx)), { recursive: true });
  await writeFile(seedSummaryFile(ctx), `${JSON.stringify(models, null, 2)}\n`);
  progress(
    'seed',
    `mlflow: ${models.tenants.map((t) => `${t.tenant} ${t.model} v1–v${t.versions.length}`).join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  return models;
}

/** Puts the seeded `champion` / `challenger` aliases back where the seed put them (promotions in the demo move them). */
export async function resetAliases(ctx: StackContext, models: SeededModels): Promise<void> {
  for (const tenant of models.tenants) {
    for (const [alias, version] of [
      ['champion', tenant.champion.version],
      ['challenger', tenant.challenger.version],
    ] as const) {
      const response = await fetch(`${mlflowUrl(ctx)}/api/2.0/mlflow/registered-models/alias`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WORKSPACE_HEADER]: tenant.workspace },
        body: JSON.stringify({ name: tenant.model, alias, version }),
      });
      if (!response.ok)
        throw new Error(`MLflow refused to reset ${tenant.tenant}/${tenant.model}@${alias}: ${await response.text()}`);
    }
  }
}
