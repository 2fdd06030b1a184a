/** For the dashboards' integration tests: viewers and the seeded tenants in a test database. */
import type { SessionUser } from '../lib/auth/users';
import { getDb } from '../lib/db/client';

export const SEEDED_TENANTS = ['forecast', 'fraud', 'pricing'] as const;

export const DAVE: SessionUser = { id: 'dave-id', username: 'dave', name: 'Dave', email: null, platformRoles: ['manager'], memberships: [] };

/** The seeded tenants' portal records (the platform's own objects are the stack's). */
export async function createSeededTenants(): Promise<void> {
  await getDb().tenant.createMany({ data: SEEDED_TENANTS.map((name) => ({ name, displayName: name, status: 'active' as const })) });
}

/** Waits (up to 30 s) for the watch caches the dashboards read, so a slow first LIST on a busy machine is not taken for an outage. */
export async function warmDashboardCaches(): Promise<void> {
  const { watchedInferenceServices, watchedPods, watchedWorkflows } = await import('../lib/integrations/kubernetes');
  await Promise.all([watchedWorkflows().read(undefined, 30_000), watchedInferenceServices().read(undefined, 30_000), watchedPods().read(undefined, 30_000)]);
}
