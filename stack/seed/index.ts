/**
 * `npm run stack -- seed`: fills the local platform with a believable demo — Kubernetes tenants
 * with quotas, role bindings, pipeline runs and GPU pods; MLflow experiments of real
 * scikit-learn trainings with registered models; InferenceServices (stable, mid-canary, failing
 * canary); one case of each platform health failure the seed can make (health-cases.ts); 30 days
 * of Prometheus history. Idempotent: what exists is kept; a finished seed is remembered, so
 * running it again costs a few checks.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simulator } from '../components/simulator';
import type { StackContext } from '../lib/context';
import { progress } from '../lib/progress';
import { backfillPrometheus } from '../simulator/backfill';
import type { GpuPod, RevisionTraffic } from '../simulator/view';
import { seedHealthCases } from './health-cases';
import { seedInferenceServices, type EndpointModel } from './inference-services';
import { seedKubernetes } from './kubernetes';
import { readSeededModels, resetAliases, seedMlflow, type SeededModels } from './mlflow';

// 2: platform health's failure cases (health-cases.ts, pricing's cold rollback target).
const SEED_VERSION = '2';

function endpointModels(models: SeededModels): EndpointModel[] {
  return models.tenants.map((t) => ({
    tenant: t.tenant,
    model: t.model,
    champion: t.champion,
    challenger: t.challenger,
  }));
}

function markerFile(ctx: StackContext): string {
  return path.join(ctx.stateDir, 'seed', `done-v${SEED_VERSION}`);
}

async function simulatorState(ctx: StackContext): Promise<{ traffic: RevisionTraffic[]; gpuPods: GpuPod[] }> {
  const response = await fetch(`${simulator.url(ctx)}/state`);
  if (!response.ok) throw new Error(`the simulator did not report its state (${response.status})`);
  return (await response.json()) as { traffic: RevisionTraffic[]; gpuPods: GpuPod[] };
}

export async function seedStack(ctx: StackContext, { force = false } = {}): Promise<void> {
  if (!force && existsSync(markerFile(ctx))) {
    progress('seed', 'already seeded (remove it with `npm run stack -- reset`)');
    return;
  }
  const started = Date.now();
  progress('seed', 'Kubernetes: tenants, quotas, role bindings, pipeline runs, GPU pods');
  await seedKubernetes(ctx);
  progress('seed', 'MLflow: experiments of real scikit-learn trainings, registered models (a few minutes)');
  const models = await seedMlflow(ctx);
  progress('seed', 'KServe: InferenceServices');
  await seedInferenceServices(ctx, endpointModels(models), simulator.url(ctx));
  progress('seed', 'Platform health: one case of each failure the seed can make');
  await seedHealthCases(ctx, models);
  progress('seed', 'Prometheus: 30 days of history');
  const state = await simulatorState(ctx);
  // History is of the stable revisions, each then serving all of its endpoint's traffic.
  const stable = state.traffic.filter((t) => t.role === 'stable').map((t) => ({ ...t, percent: 100 }));
  await backfillPrometheus(ctx, stable, state.gpuPods);
  await mkdir(path.dirname(markerFile(ctx)), { recursive: true });
  await writeFile(markerFile(ctx), new Date().toISOString());
  progress('seed', `done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Puts the demo's endpoints, faults, registry aliases and platform health failures back to their
 * seeded state (what promotions, rollbacks, restarts of the simulator and tests changed). The browser tests start this way.
 */
export async function resetDemoState(ctx: StackContext): Promise<SeededModels> {
  const models = await readSeededModels(ctx);
  if (!models) throw new Error('MLflow has not been seeded: run `npm run stack -- seed` first');
  await resetAliases(ctx, models);
  await seedInferenceServices(ctx, endpointModels(models), simulator.url(ctx));
  await seedHealthCases(ctx, models);
  return models;
}
