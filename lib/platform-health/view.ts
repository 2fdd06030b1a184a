/**
 * What one viewer sees of the platform's findings: only what the authorization module lets them
 * read (a tenant's findings with `health.tenant.read` on it, the platform's own with
 * `health.read`), narrowed by the page's filters (tenant, check). Pure.
 */
import { can, type Principal, type TenantStatus } from '@/lib/auth/authorize';
import { UserFacingError } from '@/lib/errors';
import { pageOf } from '@/lib/read-model/paging';
import { CHECK_IDS, findingKey, type CheckId, type Finding, type Severity } from './finding';
import type { UnreadInput } from './gather';

/** Whether `principal` may read `finding`, given the tenants' statuses (an unknown tenant is nobody's to read). */
export function mayReadFinding(
  principal: Principal,
  finding: Pick<Finding, 'tenant'>,
  statuses: ReadonlyMap<string, TenantStatus>,
): boolean {
  if (finding.tenant === null) return can(principal, 'health.read', { kind: 'platform' });
  const status = statuses.get(finding.tenant);
  return (
    status !== undefined && can(principal, 'health.tenant.read', { kind: 'tenant', tenant: finding.tenant, status })
  );
}

/** `?check=`: a check's id, or null for every check; anything else is refused in words. */
export function checkFilterParam(value: string | string[] | null | undefined): CheckId | null {
  const first = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!first) return null;
  if ((CHECK_IDS as readonly string[]).includes(first)) return first as CheckId;
  throw new UserFacingError(`There is no check “${first.slice(0, 60)}”.`, 'check');
}

/** At 500 endpoints a platform can have thousands of findings: the page shows them worst first, in pages. */
export const HEALTH_PAGE_SIZE = 50;

export interface FindingFilter {
  /** Only this tenant's findings (the platform's own are left out); null for all. */
  tenant: string | null;
  check: CheckId | null;
  /** 1-based; out of range reads as the nearest page. */
  page?: number;
}

export interface ShownFinding extends Finding {
  /** findingKey: the finding's anchor on the page (`#<key>`). */
  key: string;
}

export interface FindingSelection {
  /** One page (HEALTH_PAGE_SIZE) of the findings under the filter, worst first. */
  findings: ShownFinding[];
  /** Over every page: the findings under the filter. */
  total: number;
  page: number;
  pageCount: number;
  /** Of the readable findings within the tenant filter, how many each check has (for the check filter). */
  perCheck: Record<CheckId, number>;
  perSeverity: Record<Severity, number>;
  /** The unread inputs concerning what is shown (every tenant's, or the filtered tenant's). */
  unread: UnreadInput[];
}

/** The findings (kept worst first) and unread inputs `principal` sees under `filter`. */
export function selectFindings(
  principal: Principal,
  all: { findings: readonly Finding[]; unread: readonly UnreadInput[] },
  statuses: ReadonlyMap<string, TenantStatus>,
  filter: FindingFilter,
): FindingSelection {
  const inScope = (f: Pick<Finding, 'tenant'>) =>
    mayReadFinding(principal, f, statuses) && (filter.tenant === null || f.tenant === filter.tenant);
  const scoped = all.findings.filter(inScope);
  const perCheck = Object.fromEntries(CHECK_IDS.map((id) => [id, 0])) as Record<CheckId, number>;
  for (const f of scoped) perCheck[f.checkId] += 1;
  const matching = scoped.filter((f) => filter.check === null || f.checkId === filter.check);
  const perSeverity = severityCounts(matching);
  const { items, page, pageCount } = pageOf(matching, HEALTH_PAGE_SIZE, filter.page);
  const findings = items.map((f) => ({ ...f, key: findingKey(f) }));
  const unread = all.unread.filter(
    (u) =>
      (filter.check === null || u.checks.includes(filter.check)) &&
      (u.tenant === null
        ? filter.tenant !== null || can(principal, 'health.read', { kind: 'platform' })
        : inScope({ tenant: u.tenant })),
  );
  return { findings, total: matching.length, page, pageCount, perCheck, perSeverity, unread };
}

/** A page that shows the findings about what it shows (its "checks" panel). */
export type FindingPlace =
  | { kind: 'tenant'; tenant: string }
  | { kind: 'endpoint'; tenant: string; endpoint: string }
  | { kind: 'model-version'; tenant: string; model: string; version: string };

/**
 * The findings (worst first, as given) about `place`: a tenant's are all of its own; an endpoint's
 * are those whose subject it is or that concern it (the model version it serves, unsigned); a model
 * version's, likewise, include the endpoint revisions serving it. Who may read them is the caller's
 * (the place's page has authorized its viewer for the tenant).
 */
export function findingsAt(findings: readonly Finding[], place: FindingPlace): ShownFinding[] {
  const about = (f: Finding): boolean => {
    if (f.tenant !== place.tenant) return false;
    switch (place.kind) {
      case 'tenant':
        return true;
      case 'endpoint':
        return (
          (f.subject.kind === 'inference-service' && f.subject.name === place.endpoint) ||
          (f.concerns?.endpoints?.includes(place.endpoint) ?? false)
        );
      case 'model-version':
        return (
          (f.subject.kind === 'model-version' &&
            f.subject.name === place.model &&
            f.subject.version === place.version) ||
          (f.concerns?.modelVersions?.some((v) => v.name === place.model && v.version === place.version) ?? false)
        );
    }
  };
  return findings.filter(about).map((f) => ({ ...f, key: findingKey(f) }));
}

/**
 * Checks whose findings never concern a place of this kind: the platform's own (component
 * versions) on any tenant's page, the tenant-wide ones (workflows, the namespace's guard) on an
 * endpoint's or a model version's, an endpoint's rollback target on a model version's. A check not
 * listed here may concern every place, so an input it could not read is said everywhere.
 */
const CHECKS_NEVER_AT: Record<FindingPlace['kind'], readonly CheckId[]> = {
  tenant: ['version-matrix'],
  endpoint: ['pipeline-without-run', 'admission-guard-missing', 'version-matrix'],
  'model-version': ['pipeline-without-run', 'admission-guard-missing', 'version-matrix', 'rollback-target-cold'],
};

/**
 * The inputs that could not be read and leave `place` unjudged: those of its tenant or of every
 * tenant, narrowed to the checks whose findings could concern it; an input feeding none of them is left out.
 */
export function unreadAt(unread: readonly UnreadInput[], place: FindingPlace): UnreadInput[] {
  return unread.flatMap((u) => {
    if (u.tenant !== null && u.tenant !== place.tenant) return [];
    const checks = u.checks.filter((id) => !CHECKS_NEVER_AT[place.kind].includes(id));
    return checks.length > 0 ? [{ ...u, checks }] : [];
  });
}

/** Where the platform health page shows `tenant`'s findings (a finding's own place: `#<key>` after it). */
export function platformHealthHref(tenant: string): string {
  return `/platform/health?tenant=${encodeURIComponent(tenant)}`;
}

/** How many of `findings` have each severity. */
export function severityCounts(findings: readonly Pick<Finding, 'severity'>[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** "1 critical · 2 warnings": the severities present, worst first; "no findings" when none. */
export function severityCountsInWords(counts: Record<Severity, number>): string {
  const words = [
    counts.critical > 0 ? `${counts.critical} critical` : null,
    counts.warning > 0 ? `${counts.warning} warning${counts.warning === 1 ? '' : 's'}` : null,
    counts.info > 0 ? `${counts.info} info` : null,
  ].filter((w) => w !== null);
  return words.length > 0 ? words.join(' · ') : 'no findings';
}

/** The checks panel's anchor on a tenant's page (`/t/<tenant>#checks`). */
export const CHECKS_ANCHOR = 'checks';
