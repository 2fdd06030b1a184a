/**
 * Model input drift against the local platform (`npm run stack -- up`, seeded): the simulator's
 * drift exporter scores pricing/price-elasticity's inputs as drifting (stack/simulator/drift.ts),
 * Prometheus scrapes the scores, and the portal shows it everywhere it should — an `input-drift`
 * finding, an alert on pricing's serving row of the operations board, and one `model.drift`
 * notification to pricing's model owners per drift episode. The drift is then stopped through the
 * simulator's control API and everything clears, then started again (a second episode, a second
 * notification). The simulator's seeded drift is put back in afterAll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAVE, setUpDashboardTest, tearDownDashboardTest, type DashboardTest } from '../../test/dashboards';
import { createMembers } from '../../test/db';
import { eventually, requireSetting } from '../../test/stack';
import { getDb } from '../db/client';
import { defaultPrometheusConnection, prometheusApi } from '../integrations/prometheus';
import { clusterDriftScores } from '../integrations/prometheus/drift-metrics';
import { driftKey } from '../notifications/conditions';
import { watchConditions } from '../notifications/watch';
import { opsView } from '../ops/service';
import type { Finding } from './finding';
import { gatherPlatformHealth } from './gather';

const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
const KEY = driftKey(TENANT, ENDPOINT);

interface SimulatorDrift {
  namespace: string;
  service: string;
  drifting: string[];
  scores: Record<string, number>;
}

let test: DashboardTest | undefined;
let simulator: string;
/** The simulator's drift of the endpoint when the test began, put back afterwards. */
let seeded: SimulatorDrift | undefined;
let owner: { id: string; name: string };

async function simulatorDrift(): Promise<SimulatorDrift[]> {
  const response = await fetch(`${simulator}/drift`).catch((error: unknown) => {
    throw new Error(`the simulator (${simulator}) cannot be reached: ${String(error)}`);
  });
  if (!response.ok)
    throw new Error(
      `the simulator has no /drift control (HTTP ${response.status}): restart it from this checkout (stack/components/simulator.ts)`,
    );
  return ((await response.json()) as { endpoints: SimulatorDrift[] }).endpoints;
}

async function setDrift(features: string[] | null): Promise<void> {
  const response = features
    ? await fetch(`${simulator}/drift`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ namespace: TENANT, service: ENDPOINT, features }),
      })
    : await fetch(`${simulator}/drift?${new URLSearchParams({ namespace: TENANT, service: ENDPOINT })}`, {
        method: 'DELETE',
      });
  if (!response.ok) throw new Error(`the simulator refused the drift change: HTTP ${response.status}`);
}

/** Prometheus' latest scores of the endpoint, asked directly (not through the answers shared across viewers). */
async function scrapedScores(): Promise<Record<string, number>> {
  const { scores } = await clusterDriftScores(prometheusApi(defaultPrometheusConnection()));
  return Object.fromEntries(
    scores.filter((s) => s.tenant === TENANT && s.endpoint === ENDPOINT).map((s) => [s.feature, s.score]),
  );
}

const driftFindings = (findings: readonly Finding[]) => findings.filter((f) => f.checkId === 'input-drift');

async function servingRow() {
  const row = (await opsView(DAVE, TENANT)).rows.find((r) => r.tenant === TENANT && r.area === 'serving');
  if (!row) throw new Error('the operations board has no serving row for pricing');
  return row;
}

/** Runs the worker's watcher until `key` is opened (or cleared), as its tick would. */
function watchUntil(what: 'opened' | 'cleared', timeoutMs = 90_000) {
  return eventually(
    `the condition ${KEY} to be ${what}`,
    timeoutMs,
    async () => {
      const outcome = await watchConditions({ tenants: [TENANT] });
      return { done: outcome[what].includes(KEY), value: outcome };
    },
    1_000,
  );
}

const driftEvents = () =>
  getDb().notificationEvent.findMany({
    where: { kind: 'model.drift', tenant: { name: TENANT } },
    include: { inboxItems: { select: { userId: true } } },
    orderBy: { createdAt: 'asc' },
  });

beforeAll(async () => {
  test = await setUpDashboardTest();
  simulator = requireSetting('SIMULATOR_URL', 'the KServe simulator');
  seeded = (await simulatorDrift()).find((e) => e.namespace === TENANT && e.service === ENDPOINT);
  if (!seeded?.drifting.length)
    throw new Error(`the simulator does not report ${TENANT}/${ENDPOINT} drifting, as the seed has it`);
  const tenant = await getDb().tenant.findUniqueOrThrow({ where: { name: TENANT } });
  ({ owner } = await createMembers(tenant.id, { owner: 'approver' }));
});

afterAll(async () => {
  if (seeded?.drifting.length) await setDrift(seeded.drifting);
  await tearDownDashboardTest(test);
});

describe('model input drift on the local platform', () => {
  it('sees the seeded drift in Prometheus, as an input-drift finding and on pricing’s serving row', async () => {
    const scores = await eventually(
      `Prometheus to have ${TENANT}/${ENDPOINT}'s drift scores`,
      30_000,
      async () => {
        const scores = await scrapedScores();
        return { done: seeded!.drifting.every((f) => (scores[f] ?? 0) > 0.2), value: scores };
      },
      1_000,
    );
    const over = Object.keys(scores).filter((f) => scores[f]! > 0.2);
    expect(over.sort()).toEqual([...seeded!.drifting].sort());

    const health = await gatherPlatformHealth();
    expect(health.unread.filter((u) => u.checks.includes('input-drift'))).toEqual([]);
    const [finding, ...others] = driftFindings(health.findings);
    expect(others, 'only the seeded endpoint drifts').toEqual([]);
    expect(finding).toMatchObject({
      severity: 'warning',
      tenant: TENANT,
      subject: { kind: 'inference-service', name: ENDPOINT },
    });
    for (const feature of seeded!.drifting)
      expect(finding!.evidence.map((e) => e.label)).toContain(`Feature ${feature}`);
    expect(finding!.evidence).toContainEqual({
      label: 'Threshold',
      value: '0.2 (the default policy)',
      href: `/t/${TENANT}/policy`,
    });

    const row = await eventually(
      'the serving row to name the drift',
      30_000,
      async () => {
        const row = await servingRow();
        return { done: row.detail?.includes(`${ENDPOINT}: input drift`) ?? false, value: row };
      },
      1_000,
    );
    expect(row.state).toBe('alert');
    expect(row.link?.href).toMatch(/^\/t\/pricing\/deployments\//);
  });

  it('notifies pricing’s model owners once while the drift lasts', async () => {
    await watchUntil('opened');
    expect((await watchConditions({ tenants: [TENANT] })).opened).not.toContain(KEY);
    const events = await driftEvents();
    expect(events).toHaveLength(1);
    expect(events[0]!.inboxItems.map((i) => i.userId)).toEqual([owner.id]);
    expect(events[0]!.payload).toMatchObject({
      link: `/t/${TENANT}/deployments/${ENDPOINT}`,
      data: { endpoint: ENDPOINT, threshold: 0.2, policyVersion: 0 },
    });
  });

  it('clears once the simulator stops the drift, and notifies again when it drifts again', async () => {
    await setDrift(null);
    await eventually(
      'the input-drift finding to clear',
      90_000,
      async () => {
        const findings = driftFindings((await gatherPlatformHealth()).findings);
        return { done: findings.length === 0, value: findings.map((f) => f.title) };
      },
      1_000,
    );
    await eventually(
      'the serving row to stop naming the drift',
      60_000,
      async () => {
        const row = await servingRow();
        return { done: !(row.detail ?? '').includes('input drift'), value: row };
      },
      1_000,
    );
    await watchUntil('cleared');
    expect(await driftEvents()).toHaveLength(1);

    await setDrift(seeded!.drifting);
    await watchUntil('opened');
    expect(await driftEvents()).toHaveLength(2);
  }, 240_000);
});
