/**
 * Both dashboards with the Kubernetes API server unreachable (nothing listens where it should be)
 * and everything else up: rows that need Kubernetes say so and why; training and registry are
 * judged; the SLO list falls back to the endpoints Prometheus knows.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededTenants, DAVE, SEEDED_TENANTS } from '../../test/dashboards';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { closedPort, loadStackEnv, requireHealthy, requireMlflow, requireSetting } from '../../test/stack';
import { getDb } from '../db/client';
import { stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { opsView } from '../ops/service';
import { sloDetail, sloList } from '../slo/service';

let database: TestDatabase;
let port: number;

beforeAll(async () => {
  loadStackEnv();
  await requireMlflow();
  await requireHealthy('Prometheus', `${requireSetting('PROMETHEUS_URL', 'Prometheus')}/-/ready`);
  port = await closedPort();
  const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), 'dashboards-no-kube-')), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'test' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  process.env.KUBERNETES_PORTAL_KUBECONFIG = kubeconfig;
  process.env.KUBERNETES_TIMEOUT_MS = '1000';
  database = await useTestDatabase();
  await createSeededTenants();
});

afterAll(async () => {
  await stopSharedWatchCaches();
  await getDb().$disconnect();
  await database.drop();
});

const missing = () => `Kubernetes cannot be reached at 127.0.0.1:${port}`;

describe('with the Kubernetes API server unreachable', () => {
  it('the operations dashboard judges training and registry, and says the other rows need Kubernetes', async () => {
    const started = Date.now();
    const view = await opsView(DAVE, null);
    expect(Date.now() - started, 'a missing API server costs a bounded wait').toBeLessThan(10_000);
    expect(view.sources).toMatchObject({ kubernetes: expect.stringContaining(missing()), mlflow: null, database: null });
    expect(view.rows).toHaveLength(SEEDED_TENANTS.length * 6);
    for (const row of view.rows) {
      if (row.area === 'training' || row.area === 'registry') expect(row.state, `${row.tenant} ${row.area}: ${row.problem}`).not.toBe('unknown');
      else expect(row, `${row.tenant} ${row.area}`).toMatchObject({ state: 'unknown', problem: expect.stringContaining(missing()) });
    }
  });

  it('the SLO list names the endpoints Prometheus knows, with their numbers, and says the list may be incomplete', async () => {
    const view = await sloList(DAVE, null);
    expect(view.problems.kubernetes).toContain(missing());
    expect(view.problems.prometheus).toBeNull();
    const endpoints = new Set(view.slos.map((s) => `${s.tenant}/${s.endpoint}`));
    expect(endpoints).toEqual(new Set(['forecast/demand-forecast', 'fraud/fraud-detector', 'pricing/price-elasticity']));
    for (const slo of view.slos) expect(slo.budgetRemaining, `${slo.endpoint} ${slo.kind}`).not.toBeNull();
  });

  it('an SLO page of an endpoint Prometheus knows still opens', async () => {
    const view = await sloDetail(DAVE, 'pricing', 'price-elasticity', '6h');
    expect(view.availability.budgetRemaining).not.toBeNull();
    expect(view.history?.length).toBeGreaterThan(0);
  });
});
