/**
 * For the dashboards' integration tests: viewers, the seeded tenants in a test database, and the
 * local platform with one upstream made unreachable (nothing listens where it should be).
 */
import type { SessionUser } from '../lib/auth/users';
import { getDb } from '../lib/db/client';
import { stopSharedWatchCaches } from '../lib/integrations/kubernetes/watch-cache';
import { useTestDatabase as createSeededDatabase, type TestDatabase } from './db';
import {
  closedPort,
  kubeconfigAt,
  loadStackEnv,
  requireHealthy,
  requireMlflow,
  requireSetting,
  SEEDED_ENDPOINTS,
} from './stack';

export const SEEDED_TENANTS = SEEDED_ENDPOINTS.map((e) => e.tenant);

export const DAVE: SessionUser = {
  id: 'dave-id',
  username: 'dave',
  name: 'Dave',
  email: null,
  platformRoles: ['manager'],
  memberships: [],
};

export type Upstream = 'kubernetes' | 'mlflow' | 'prometheus';

export interface DashboardTest {
  database: TestDatabase;
  /** Where the unreachable upstreams were pointed, if any. */
  port: number | null;
}

/**
 * The local platform's settings with every upstream but the `unreachable` ones checked healthy (a
 * test fails naming the one it cannot reach) and those pointed at one port where nothing listens,
 * a test database holding the seeded tenants, and the watch caches filled (so a slow first LIST on
 * a busy machine is not taken for an outage).
 */
export async function setUpDashboardTest(...unreachable: Upstream[]): Promise<DashboardTest> {
  loadStackEnv();
  const down = (upstream: Upstream) => unreachable.includes(upstream);
  if (!down('kubernetes')) requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  if (!down('mlflow')) await requireMlflow();
  if (!down('prometheus'))
    await requireHealthy('Prometheus', `${requireSetting('PROMETHEUS_URL', 'Prometheus')}/-/ready`);
  const port = unreachable.length ? await closedPort() : null;
  if (down('prometheus')) process.env.PROMETHEUS_URL = `http://127.0.0.1:${port}`;
  if (down('mlflow')) process.env.MLFLOW_TRACKING_URI = `http://127.0.0.1:${port}`;
  if (down('kubernetes')) {
    process.env.KUBERNETES_PORTAL_KUBECONFIG = kubeconfigAt(port!);
    process.env.KUBERNETES_TIMEOUT_MS = '1000';
  }
  const database = await createSeededDatabase();
  await getDb().tenant.createMany({
    data: SEEDED_TENANTS.map((name) => ({ name, displayName: name, status: 'active' as const })),
  });
  if (!down('kubernetes')) {
    const { watchedInferenceServices, watchedPods, watchedWorkflows } = await import('../lib/integrations/kubernetes');
    await Promise.all([
      watchedWorkflows().read(undefined, 30_000),
      watchedInferenceServices().read(undefined, 30_000),
      watchedPods().read(undefined, 30_000),
    ]);
  }
  return { database, port };
}

export async function tearDownDashboardTest(test: DashboardTest | undefined): Promise<void> {
  await stopSharedWatchCaches();
  await getDb().$disconnect();
  await test?.database.drop();
}
