/**
 * Demo data for the portal's own database: the demo tenants, and the demo users registered
 * with the roles their IdP groups give them (as if each had signed in once), so admins can add
 * them to tenants straight away. Idempotent.
 */
import { syncUserFromClaims } from '../../lib/auth/users';
import { loadConfig } from '../../lib/config';
import { createTenant, findTenant } from '../../lib/tenancy/service';
import { DEMO_USERS } from '../oidc/users';

export const DEMO_TENANTS = [
  { name: 'fraud', displayName: 'Fraud detection', description: 'Card-transaction fraud models, scored in real time.' },
  { name: 'pricing', displayName: 'Dynamic pricing', description: 'Price-elasticity and demand models.' },
  { name: 'forecast', displayName: 'Demand forecast', description: 'Weekly demand forecasts per store and product.' },
];

const SEEDER = { name: 'demo-seeder' };

export async function seedDemo(): Promise<void> {
  for (const tenant of DEMO_TENANTS) {
    if (!(await findTenant(tenant.name))) await createTenant(SEEDER, tenant);
  }
  const { oidc, groupMapping } = loadConfig({
    ...process.env,
    OIDC_ISSUER: process.env.OIDC_ISSUER ?? 'http://127.0.0.1',
    OIDC_CLIENT_ID: 'seed',
    OIDC_CLIENT_SECRET: 'seed',
  });
  for (const user of DEMO_USERS) {
    await syncUserFromClaims(
      { sub: user.username, preferred_username: user.username, name: user.name, email: user.email, [oidc.groupsClaim]: user.groups },
      { groupsClaim: oidc.groupsClaim, mapping: groupMapping },
      'user.import',
    );
  }
}
