/**
 * The operations dashboard's platform health row: a tenant's findings (the platform health checks'
 * shared answer, never computed per view) counted by severity, the worst one as the signal. Alert
 * on any critical finding, warning on warnings only. Pure.
 */
import { oldestOutdated } from '../freshness';
import { CHECKS, worstFirst, type Finding } from '../platform-health/finding';
import type { PlatformHealth } from '../platform-health/gather';
import { findingsAt, severityCounts, severityCountsInWords, unreadAt } from '../platform-health/view';
import type { Panel } from '../read-model/panel';
import { opsLink, opsRow, thresholdText, unknownRow, type OpsJudgment } from './evaluate';
import type { OpsThresholds } from './thresholds';
import type { OpsRow } from './view';

/** A tenant's findings judged: `findings` are the tenant's own (findingsAt its tenant place). */
export function judgeHealth(findings: readonly Finding[], thresholds: OpsThresholds): OpsJudgment {
  const threshold = thresholdText('health', thresholds);
  const worst = findings.toSorted(worstFirst)[0];
  if (!worst) return { state: 'ok', signal: 'no findings', threshold, detail: null, target: { kind: 'health' } };
  const counts = severityCounts(findings);
  const more = findings.length > 1 ? ` (${findings.length - 1} more)` : '';
  return {
    state: counts.critical > 0 ? 'alert' : counts.warning > 0 ? 'warning' : 'ok',
    signal: `${severityCountsInWords(counts)} · worst: ${worst.title}`,
    threshold,
    detail: `${CHECKS[worst.checkId].label}: ${worst.remedy}${more}`,
    target: { kind: 'health' },
  };
}

/**
 * The tenant's platform health row from the shared answer (as `answerPanel` gives it): unknown
 * when the checks could not be read at all; judged on what could be read otherwise, naming what
 * could not; marked as out of date with the answer or the Kubernetes objects it was computed from.
 */
export function healthRow(tenant: string, health: Panel<PlatformHealth>, thresholds: OpsThresholds): OpsRow {
  if (!health.ok) return unknownRow(tenant, 'health', health.message, thresholds);
  const place = { kind: 'tenant' as const, tenant };
  const unread = unreadAt(health.data.unread, place);
  const problem =
    unread.length > 0
      ? `Not checked: ${unread.map((u) => `${u.checks.map((id) => CHECKS[id].label).join(', ')} (${u.message})`).join('; ')}`
      : null;
  return opsRow(tenant, 'health', judgeHealth(findingsAt(health.data.findings, place), thresholds), {
    problem,
    outdated: oldestOutdated(health.freshness, health.data.outdated),
  });
}

/**
 * The rows as one viewer sees them: the health rows (judged once for everyone) lead to the platform
 * health page for those who may open it, and to the checks panel of the tenant's page for the
 * tenant's own people, who may not.
 */
export function healthLinksFor(rows: readonly OpsRow[], mayOpenPlatformHealth: boolean): OpsRow[] {
  if (mayOpenPlatformHealth) return [...rows];
  return rows.map((row) =>
    row.area === 'health' && row.link ? { ...row, link: opsLink(row.tenant, { kind: 'checks' }) } : row,
  );
}
