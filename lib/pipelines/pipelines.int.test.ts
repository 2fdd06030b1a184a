/**
 * The pipelines page's read model against the running, seeded local platform (`npm run stack --
 * up`, then `seed`): the Argo Workflows the seeder made for fraud, pricing and forecast, read from
 * the portal's watch cache, with the seeded tenants in a test database. Only reads; at the end the
 * watch cache is pointed at an API server that is down.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { closedPort, kubeconfigAt, loadStackEnv, requireSetting } from '../../test/stack';
import { workflowPlan } from '../../stack/seed/kubernetes';
import { ForbiddenError } from '../auth/authorize';
import type { SessionUser } from '../auth/users';
import { getDb } from '../db/client';
import { watchedWorkflows } from '../integrations/kubernetes';
import { sharedWatchCache, stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { WORKFLOWS_WATCHED } from '../integrations/kubernetes/workflows';
import { tenantPipelines, type PipelinesView } from './service';

loadStackEnv();

const SEEDED = ['fraud', 'pricing', 'forecast'];
const user = (username: string, fields: Partial<SessionUser>): SessionUser => ({
  id: `${username}-id`,
  username,
  name: username,
  email: null,
  platformRoles: [],
  memberships: [],
  ...fields,
});
const ALICE = user('alice', { memberships: [{ tenant: 'fraud', role: 'member' }] });
const CAROL = user('carol', { memberships: [{ tenant: 'pricing', role: 'member' }] });
const DAVE = user('dave', { platformRoles: ['manager'] });
const FRANK = user('frank', { platformRoles: ['platform-admin'] });

let database: TestDatabase;

beforeAll(async () => {
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'kubernetes');
  database = await useTestDatabase();
  await getDb().tenant.createMany({
    data: SEEDED.map((name) => ({ name, displayName: name, status: 'active' as const })),
  });
  // Filled first, so a slow first LIST on a busy machine is not taken for an outage.
  await watchedWorkflows().read(undefined, 30_000);
});

afterAll(async () => {
  await stopSharedWatchCaches();
  await getDb().$disconnect();
  await database?.drop();
});

function data(view: PipelinesView) {
  if (!view.pipelines.ok) throw new Error(`the pipeline runs could not be read: ${view.pipelines.message}`);
  return view.pipelines.data;
}

describe("a tenant's pipeline runs", () => {
  it("lists every seeded run of the member's tenant, newest first, with its template, phase, times and failure message, and no other tenant's", async () => {
    const planned = workflowPlan().filter((r) => r.tenant === 'fraud');
    const view = await tenantPipelines(ALICE, 'fraud', null);
    expect(view).toMatchObject({ tenant: 'fraud', phase: null, pipelines: { ok: true } });
    expect(view.pipelines.ok && view.pipelines.freshness.error).toBeUndefined();
    const { list, summary } = data(view);
    expect(list.runs.length).toBe(list.matching);
    expect(list.total).toBe(list.matching);

    const byName = new Map(list.runs.map((r) => [r.name, r]));
    for (const run of planned) {
      const listed = byName.get(run.name);
      expect(listed, `${run.name} (npm run stack -- seed)`).toBeDefined();
      expect(listed).toMatchObject({
        template: run.pipeline.name,
        phase: run.phase,
        message: run.phase === 'Failed' || run.phase === 'Error' ? run.message : null,
      });
      if (run.phase === 'Running') expect(listed!.finishedAt, run.name).toBeNull();
      else expect(listed!.durationMs, run.name).toBe(run.durationMinutes! * 60_000);
    }
    const others = new Set(
      workflowPlan()
        .filter((r) => r.tenant !== 'fraud')
        .map((r) => r.name),
    );
    expect(list.runs.filter((r) => others.has(r.name))).toEqual([]);

    const starts = list.runs.map((r) => Date.parse(r.startedAt!));
    expect(starts).toEqual(starts.toSorted((a, b) => b - a));

    // The summary is the operations dashboard's, over the same runs.
    expect(summary.running).toBe(list.runs.filter((r) => r.phase === 'Running').length);
    expect(summary.running).toBeGreaterThanOrEqual(planned.filter((r) => r.phase === 'Running').length);
    expect(summary.finished).toBe(summary.succeeded + summary.failed);
    const failedNames = new Set(
      list.runs.filter((r) => r.phase === 'Failed' || r.phase === 'Error').map((r) => r.name),
    );
    for (const failure of summary.recentFailures) expect(failedNames).toContain(failure.name);
  });

  it('lists only the failed runs (Error included) under Failed, counting them', async () => {
    const planned = workflowPlan().filter((r) => r.tenant === 'fraud' && (r.phase === 'Failed' || r.phase === 'Error'));
    expect(planned.map((r) => r.phase)).toEqual(expect.arrayContaining(['Failed', 'Error']));
    const { list } = data(await tenantPipelines(ALICE, 'fraud', 'Failed'));
    expect(list.runs.every((r) => r.phase === 'Failed' || r.phase === 'Error')).toBe(true);
    expect(list.runs.map((r) => r.name)).toEqual(expect.arrayContaining(planned.map((r) => r.name)));
    expect(list.matching).toBe(list.counts.Failed);
    expect(list.total).toBeGreaterThan(list.matching);
  });

  it('refuses someone who may not see the tenant, and a tenant that does not exist, the same way', async () => {
    await expect(tenantPipelines(CAROL, 'fraud', null)).rejects.toThrow(ForbiddenError);
    await expect(tenantPipelines(ALICE, 'pricing', 'Failed')).rejects.toThrow(ForbiddenError);
    await expect(tenantPipelines(FRANK, 'no-such-tenant', null)).rejects.toThrow(ForbiddenError);
    // Those who may see the tenant's operations may: its members, and managers across tenants.
    expect(data(await tenantPipelines(CAROL, 'pricing', null)).list.runs.map((r) => r.name)).toEqual(
      expect.arrayContaining(
        workflowPlan()
          .filter((r) => r.tenant === 'pricing')
          .map((r) => r.name),
      ),
    );
    expect(data(await tenantPipelines(DAVE, 'forecast', 'Running')).list.runs.length).toBeGreaterThan(0);
  });

  it('says why when the API server cannot be reached, instead of failing', async () => {
    await stopSharedWatchCaches();
    const port = await closedPort();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigAt(port));
    sharedWatchCache(WORKFLOWS_WATCHED, { kubeConfig, timeoutMs: 1000 });
    const view = await tenantPipelines(ALICE, 'fraud', null);
    expect(view.pipelines).toEqual({
      ok: false,
      message: expect.stringContaining(`Kubernetes cannot be reached at 127.0.0.1:${port}`) as string,
    });
  });
});
