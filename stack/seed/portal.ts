/**
 * Demo data for the portal's own database: the demo tenants, and the demo users registered
 * with the roles their IdP groups give them (as if each had signed in once), so admins can add
 * them to tenants straight away. Idempotent.
 */
import { syncUserFromClaims } from '../../lib/auth/users';
import { getDb, type Tx } from '../../lib/db/client';
import { PORTAL_ACTOR, inferenceServices } from '../../lib/integrations/kubernetes';
import { DEFAULT_POLICY } from '../../lib/promotion/policy';
import { getPolicy, savePolicy } from '../../lib/promotion/policy-store';
import { startRollout } from '../../lib/rollout/records';
import { loadConfig } from '../../lib/config';
import { createTenant, findTenant } from '../../lib/tenancy/service';
import { DEMO_USERS } from '../oidc/users';
import { ENDPOINTS } from './inference-services';
import type { SeededModels, SeededTenant } from './mlflow';

export const DEMO_TENANTS = [
  { name: 'fraud', displayName: 'Fraud detection', description: 'Card-transaction fraud models, scored in real time.' },
  { name: 'pricing', displayName: 'Dynamic pricing', description: 'Price-elasticity and demand models.' },
  { name: 'forecast', displayName: 'Demand forecast', description: 'Weekly demand forecasts per store and product.' },
];

const SEEDER = { name: 'demo-seeder' };

export async function seedDemo(): Promise<void> {
  for (const tenant of DEMO_TENANTS) {
    if (!(await findTenant(tenant.name))) await createTenant(SEEDER, tenant);
    const policy = ENDPOINTS[tenant.name]?.policy;
    if (policy && (await getPolicy(tenant.name)).version === 0) await savePolicy(SEEDER, tenant.name, policy, 0);
  }
  const { oidc, groupMapping } = loadConfig({
    ...process.env,
    OIDC_ISSUER: process.env.OIDC_ISSUER ?? 'http://127.0.0.1',
    OIDC_CLIENT_ID: 'seed',
    OIDC_CLIENT_SECRET: 'seed',
  });
  for (const user of DEMO_USERS) {
    await syncUserFromClaims(
      {
        sub: user.username,
        preferred_username: user.username,
        name: user.name,
        email: user.email,
        [oidc.groupsClaim]: user.groups,
      },
      { groupsClaim: oidc.groupsClaim, mapping: groupMapping },
      'user.import',
    );
  }
}

/**
 * The seeded canaries as rollouts the portal follows — as if it had started them — so the worker
 * judges them and on-call can roll them back. Only where the cluster really serves the seeded
 * canary and the portal has no history for the endpoint yet.
 */
export async function seedRollouts(models: SeededModels): Promise<void> {
  for (const seeded of models.tenants) {
    const endpoint = ENDPOINTS[seeded.tenant];
    if (!endpoint || endpoint.canaryPercent === undefined) continue;
    const tenant = await findTenant(seeded.tenant);
    if (!tenant || (await getDb().rollout.count({ where: { tenantId: tenant.id, endpoint: endpoint.name } })) > 0)
      continue;
    const isvc = await inferenceServices(seeded.tenant, PORTAL_ACTOR).get(endpoint.name);
    const predictor = isvc?.spec.predictor;
    if (
      predictor?.model?.storageUri !== seeded.challenger.storageUri ||
      predictor.canaryTrafficPercent !== endpoint.canaryPercent
    )
      continue;
    await getDb().$transaction((tx) =>
      followSeededCanary(tx, { id: tenant.id, name: seeded.tenant }, seeded, {
        endpoint: endpoint.name,
        percent: endpoint.canaryPercent!,
        actor: SEEDER.name,
      }),
    );
  }
}

/** Records the seeded challenger's canary over the champion as a rollout the portal follows (also used by the benchmark and tests that arrange a canary). */
export function followSeededCanary(
  tx: Tx,
  tenant: { id: string; name: string },
  seeded: SeededTenant,
  canary: { endpoint: string; percent: number; actor: string },
) {
  return startRollout(tx, {
    tenantId: tenant.id,
    tenant: tenant.name,
    endpoint: canary.endpoint,
    promotionRequestId: null,
    modelName: seeded.model,
    version: seeded.challenger.version,
    storageUri: seeded.challenger.storageUri,
    previousStorageUri: seeded.champion.storageUri,
    previousVersion: seeded.champion.version,
    steps: DEFAULT_POLICY.canarySteps,
    currentPercent: canary.percent,
    actor: canary.actor,
  });
}
