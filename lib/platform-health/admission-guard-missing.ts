/**
 * admission-guard-missing: a tenant namespace where the governance admission guard is not in force
 * (policy or binding missing or weakened, namespace not labelled as a tenant's), so kubectl can change
 * what its endpoints serve without a promotion. Whether it is in force is decided once, by
 * lib/admission/guard.ts `describeGuard`; this check turns its verdict into a finding: not in force →
 * critical, naming every failed condition; cannot be told → info, naming why. Pure.
 */
import type { GuardStatus } from '@/lib/admission/guard';
import type { Finding } from './finding';

export interface TenantGuard {
  tenant: string;
  /** describeGuard over the tenant namespace's facts. */
  status: GuardStatus;
}

export function checkAdmissionGuardMissing(guards: readonly TenantGuard[]): Finding[] {
  return guards.flatMap(({ tenant, status }): Finding[] => {
    if (status.state === 'in-force') return [];
    const subject = { kind: 'namespace', name: tenant } as const;
    const tenantHref = `/t/${tenant}`;
    if (status.state === 'unknown') {
      return [
        {
          checkId: 'admission-guard-missing',
          severity: 'info',
          tenant,
          subject,
          title: `Whether the admission guard is in force in namespace ${tenant} cannot be told`,
          evidence: [
            { label: 'Namespace', value: tenant, href: tenantHref },
            { label: 'Reason', value: status.headline },
          ],
          remedy:
            'Check that the portal can read the cluster’s admission policies, their bindings and the namespace; the check reports again when it can.',
        },
      ];
    }
    const failed = status.checks.filter((c) => !c.ok);
    return [
      {
        checkId: 'admission-guard-missing',
        severity: 'critical',
        tenant,
        subject,
        title: `The admission guard is not in force in namespace ${tenant}: ${failed[0]?.text ?? status.headline}`,
        evidence: [
          { label: 'Namespace', value: tenant, href: tenantHref },
          ...failed.map((c) => ({ label: 'Not in force', value: c.text })),
        ],
        remedy:
          'Apply deploy/admission/ (the policies and their bindings) and make sure the namespace carries the tenant label; until then nothing stops a model change made outside the portal.',
      },
    ];
  });
}
