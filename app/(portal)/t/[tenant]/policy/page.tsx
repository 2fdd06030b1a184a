import { PolicyForm } from '@/components/promotions/policy-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { formatThresholdLines } from '@/lib/promotion/policy';
import { PolicyProposals } from '@/components/promotions/policy-proposals';
import { getPolicy, listPolicyProposals } from '@/lib/promotion/policy-store';
import { openTenantPage, type TenantPageProps } from '../tenant-page';
import { formatTime } from '@/lib/format';

export const metadata = { title: 'Promotion policy' };

export default async function PolicyPage({ params }: TenantPageProps) {
  const { user, tenant, may } = await openTenantPage(params, 'promotion.read');
  const [stored, proposals] = await Promise.all([getPolicy(tenant.name), listPolicyProposals(tenant.name)]);
  const { policy } = stored;
  const mayEdit = may('policy.edit');
  const changed = stored.updatedAt
    ? `Version ${stored.version}, last changed by ${stored.updatedBy} on ${formatTime(stored.updatedAt)}.`
    : 'The platform defaults apply (version 0).';
  return (
    <>
      <PageHeader
        title="Promotion policy"
        description={`What a version of ${tenant.displayName} must show before serving traffic, and how its canary is judged. ${changed}`}
      />
      {proposals.length > 0 ? (
        <Card title="Proposed changes waiting for a second admin">
          <PolicyProposals
            tenant={tenant.name}
            mayDecide={mayEdit}
            proposals={proposals.map((p) => ({
              id: p.id,
              proposerName: p.proposerName,
              ownProposal: p.proposerId === user.id,
              createdAt: p.createdAt.toISOString(),
              baseVersion: p.baseVersion,
              weakenings: p.weakenings,
            }))}
          />
        </Card>
      ) : null}
      {mayEdit ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Changes that only strengthen the gates apply at once. A change that weakens any gate (fewer approvals, a
          threshold removed or lowered, a larger tolerance, evidence no longer required, a shorter bake, a larger first
          canary step, looser canary thresholds) is a proposal until another admin of the tenant or a platform admin
          accepts it.
        </p>
      ) : null}
      <Card>
        {mayEdit ? (
          <PolicyForm
            key={stored.version}
            tenant={tenant.name}
            policy={policy}
            thresholdLines={formatThresholdLines(policy.thresholds)}
            version={stored.version}
          />
        ) : (
          <dl className="grid gap-2 text-sm sm:grid-cols-[16rem_1fr]">
            <dt className="font-medium">Quality thresholds</dt>
            <dd className="whitespace-pre font-mono">{formatThresholdLines(policy.thresholds)}</dd>
            <dt className="font-medium">No regression against the {policy.alias}</dt>
            <dd>
              {policy.primaryMetric} within −{policy.regressionTolerance}
            </dd>
            <dt className="font-medium">Signature / model card / notes</dt>
            <dd>
              {[policy.requireSignature, policy.requireModelCard, policy.requireNotes]
                .map((r) => (r ? 'required' : 'optional'))
                .join(' / ')}
            </dd>
            <dt className="font-medium">Approvals</dt>
            <dd>
              {policy.requiredApprovals}, flagged after {policy.staleAfterHours} h, expire after{' '}
              {policy.expireAfterHours} h
            </dd>
            <dt className="font-medium">Canary</dt>
            <dd>
              steps {policy.canarySteps.join(' → ')} %, {policy.bakeMinutes} min each; error rate &lt;{' '}
              {policy.maxErrorRate * 100} %, p99 &lt; {policy.maxP99Ms} ms, ≥ {policy.minRequests} requests; immediate
              rollback above {policy.immediateRollbackFactor}× the error threshold; {policy.minPassRatio * 100} % of
              checks must pass
            </dd>
            <dt className="font-medium">Input drift</dt>
            <dd>a served model’s feature with a drift score above {policy.maxInputDrift} is reported to its owners</dd>
          </dl>
        )}
      </Card>
    </>
  );
}
