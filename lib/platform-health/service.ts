/**
 * The platform health page's read model, and the "checks" panels of the tenant, endpoint and model
 * version pages: the findings computed once for everyone (gather.ts), narrowed to what the viewer
 * may read and to the page's filters or place. Nothing here reads an upstream.
 */
import { authorize, can, ForbiddenError } from '../auth/authorize';
import type { SessionUser } from '../auth/users';
import { oldestOutdated, type Freshness } from '../freshness';
import { dashboardTenants } from '../read-model/tenant-scope';
import { listTenantsOncePerRender } from '../tenancy/service';
import type { CheckId } from './finding';
import { HEALTH_REFRESH_MS, platformHealth } from './gather';
import {
  findingsAt,
  platformHealthHref,
  selectFindings,
  unreadAt,
  type FindingPlace,
  type FindingSelection,
  type ShownFinding,
} from './view';
import type { UnreadInput } from './gather';
import { tenantChoices, type TenantChoices } from '../tenancy/choices';

export interface PlatformHealthView extends FindingSelection {
  /** When the checks last ran. */
  at: string;
  /** How often they run (for everyone at once). */
  refreshMs: number;
  /** Set while the findings may be out of date (a refresh or a watch failed): as of when, and why. */
  outdated: Freshness | null;
  /** The tenants the viewer may filter by. */
  tenants: TenantChoices;
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
    tenants: tenantChoices(scope.visible),
    tenant: filter.tenant,
    check: filter.check,
  };
}

/** One page's "checks" panel: the findings about its place, worst first, and what could not be checked there. */
export interface ChecksView {
  place: FindingPlace;
  /** When the checks last ran. */
  at: string;
  refreshMs: number;
  outdated: Freshness | null;
  findings: ShownFinding[];
  unread: UnreadInput[];
  /** The tenant's findings on the platform health page, for viewers who may open it (`#<key>` after it); else null. */
  platformHref: string | null;
}

/**
 * The checks panels of `places`, all in `tenant`, for a viewer with `health.tenant.read` on it
 * (every member of the tenant, and the platform roles); anyone else, an unknown tenant included,
 * is refused before the findings are read. One shared answer for all of them.
 */
export async function checksAtEach(
  user: SessionUser | null,
  tenant: string,
  places: readonly FindingPlace[],
): Promise<ChecksView[]> {
  // Strangers are refused before anything is read; then the tenant's status decides (archived: nobody).
  authorize(user, 'health.tenant.read', { kind: 'tenant', tenant });
  const status = (await listTenantsOncePerRender()).find((t) => t.name === tenant)?.status;
  const resource = { kind: 'tenant' as const, tenant, status };
  if (status === undefined || places.some((p) => p.tenant !== tenant))
    throw new ForbiddenError('health.tenant.read', resource);
  authorize(user, 'health.tenant.read', resource);
  const answer = await platformHealth();
  const health = answer.value;
  const outdated = oldestOutdated(answer.freshness, health.outdated);
  const platformHref = can(user, 'health.read', { kind: 'platform' }) ? platformHealthHref(tenant) : null;
  return places.map((place) => ({
    place,
    at: health.at,
    refreshMs: HEALTH_REFRESH_MS,
    outdated,
    findings: findingsAt(health.findings, place),
    unread: unreadAt(health.unread, place),
    platformHref,
  }));
}

/** The checks panel of one tenant, endpoint or model version page (see `checksAtEach`). */
export async function checksAt(user: SessionUser | null, place: FindingPlace): Promise<ChecksView> {
  const [view] = await checksAtEach(user, place.tenant, [place]);
  return view!;
}
