/**
 * What the platform health checks say about the InferenceService a promotion deploys onto: its own
 * findings (findingsAt), its namespace's admission guard (a deploy into an unguarded namespace is
 * ungoverned), and what could not be judged there. The target-health gate (gates.ts) decides on
 * this summary, which is plain data so the request form can show the gate as the server judges it.
 * Pure.
 */
import { CHECKS, findingKey, type CheckId, type Finding, type Severity } from '@/lib/platform-health/finding';
import type { UnreadInput } from '@/lib/platform-health/gather';
import { findingsAt } from '@/lib/platform-health/view';

/** The checks whose findings are about an endpoint or its namespace (the others are about workflows or the platform). */
const ENDPOINT_CHECKS: readonly CheckId[] = [
  'storage-uri-shape',
  'artifact-missing',
  'signature-missing-under-enforcement',
  'rollback-target-cold',
  'admission-guard-missing',
];
/** Of those, what still matters before the first deployment: the namespace's guard. */
const NAMESPACE_CHECKS: readonly CheckId[] = ['admission-guard-missing'];

export interface TargetFinding {
  checkId: CheckId;
  /** The check's label, e.g. "Storage URI shape". */
  check: string;
  severity: Severity;
  title: string;
  /** The finding on the platform health page. */
  href: string;
}

export interface TargetUnjudged {
  /** What could not be read or told, e.g. "Kubernetes". */
  source: string;
  message: string;
  checks: CheckId[];
  /** Whether a check left unjudged could have found something critical: then the target is not judged healthy. */
  blocking: boolean;
}

export interface TargetHealth {
  tenant: string;
  endpoint: string;
  /** False before the first deployment onto it. */
  exists: boolean;
  /** When the checks read their inputs. */
  at: string;
  /** Worst first. */
  findings: TargetFinding[];
  unjudged: TargetUnjudged[];
}

export interface HealthAnswer {
  at: string;
  findings: readonly Finding[];
  unread: readonly UnreadInput[];
}

export const healthHref = (tenant: string, key: string) =>
  `/platform/health?tenant=${encodeURIComponent(tenant)}#${key}`;

/** A check that could find something critical at the target blocks when it could not judge it. */
const couldBeCritical = (checks: readonly CheckId[]) => checks.some((id) => CHECKS[id].severity === 'critical');

export function targetHealthOf(
  health: HealthAnswer,
  target: { tenant: string; endpoint: string; exists: boolean },
): TargetHealth {
  const { tenant, endpoint, exists } = target;
  const concerned = exists ? ENDPOINT_CHECKS : NAMESPACE_CHECKS;
  const namespace = health.findings.filter(
    (f) =>
      f.tenant === tenant &&
      f.checkId === 'admission-guard-missing' &&
      f.subject.kind === 'namespace' &&
      f.subject.name === tenant,
  );
  const own = exists ? findingsAt(health.findings, { kind: 'endpoint', tenant, endpoint }) : [];
  const found = [...namespace.map((f) => ({ ...f, key: findingKey(f) })), ...own];

  const findings: TargetFinding[] = [];
  const unjudged: TargetUnjudged[] = [];
  for (const f of found) {
    // An info finding here says a check could not tell (e.g. whether the guard is in force): not judged.
    if (f.severity === 'info')
      unjudged.push({
        source: CHECKS[f.checkId].label,
        message: f.title,
        checks: [f.checkId],
        blocking: couldBeCritical([f.checkId]),
      });
    else
      findings.push({
        checkId: f.checkId,
        check: CHECKS[f.checkId].label,
        severity: f.severity,
        title: f.title,
        href: healthHref(tenant, f.key),
      });
  }
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
  for (const u of health.unread) {
    if (u.tenant !== null && u.tenant !== tenant) continue;
    const checks = u.checks.filter((id) => concerned.includes(id));
    if (checks.length === 0) continue;
    unjudged.push({ source: u.source, message: u.message, checks, blocking: couldBeCritical(checks) });
  }
  return { tenant, endpoint, exists, at: health.at, findings, unjudged };
}
