/**
 * The platform health page's read model: the findings computed once for everyone (gather.ts),
 * narrowed to what the viewer may read and the page's filters. Nothing here reads an upstream.
 */
import { authorize } from '../auth/authorize';
import type { SessionUser } from '../auth/users';
import { oldestOutdated, type Freshness } from '../freshness';
import { dashboardTenants } from '../read-model/tenant-scope';
import { listTenantsOncePerRender } from '../tenancy/service';
import type { CheckId } from './finding';
import { HEALTH_REFRESH_MS, platformHealth } from './gather';
import { selectFindings, type FindingSelection } from './view';

export interface PlatformHealthView extends FindingSelection {
  /** When the checks last ran. */
  at: string;
  /** How often they run (for everyone at once). */
  refreshMs: number;
  /** Set while the findings may be out of date (a refresh or a watch failed): as of when, and why. */
  outdated: Freshness | null;
  /** The tenants the viewer may filter by. */
  tenants: { name: string; displayName: string }[];
  tenant: string | null;
  check: CheckId | null;
}

/** For platform admins, on-call and managers (`health.read`); a tenant filter naming a tenant they may not see is refused. */
export async function platformHealthView(
  user: SessionUser,
  filter: { tenant: string | null; check: CheckId | null; page?: number },
): Promise<PlatformHealthView> {
  authorize(user, 'health.read', { kind: 'platform' });
  const [scope, tenants, answer] = await Promise.all([
    dashboardTenants(user, 'health.tenant.read', filter.tenant),
    listTenantsOncePerRender(),
    platformHealth(),
  ]);
  const health = answer.value;
  const statuses = new Map(tenants.map((t) => [t.name, t.status]));
  return {
    ...selectFindings(user, health, statuses, filter),
    at: health.at,
    refreshMs: HEALTH_REFRESH_MS,
    outdated: oldestOutdated(answer.freshness, health.outdated),
    tenants: scope.visible,
    tenant: filter.tenant,
    check: filter.check,
  };
}
