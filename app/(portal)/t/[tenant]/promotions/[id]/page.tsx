import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DecisionForm } from '@/components/promotions/decision-form';
import { FiledBy } from '@/components/promotions/filed-by';
import { GateList } from '@/components/promotions/gate-list';
import { RetryDeployButton } from '@/components/promotions/retry-deploy-button';
import { PromotionStatusBadge } from '@/components/promotions/status-badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { can } from '@/lib/auth/authorize';
import {
  countingApprovals,
  getPromotionRequest,
  isStale,
  requestDeployGates,
  requestGates,
  requestPolicy,
} from '@/lib/promotion/requests';
import { openTenantPage, type TenantPageProps } from '../../tenant-page';
import { Time } from '@/components/ui/time';

export const metadata = { title: 'Promotion request' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STEP_LABELS: Record<string, string> = {
  alias: 'MLflow alias and tags set',
  canary: 'InferenceService updated',
  rollout: 'Canary rollout started',
};

export default async function PromotionRequestPage({ params }: TenantPageProps<{ id: string }>) {
  const { user, tenant, id, may } = await openTenantPage(params, 'promotion.read');
  const request = UUID.test(id) ? await getPromotionRequest(tenant.name, id) : null;
  if (!request) notFound();

  const policy = requestPolicy(request);
  const approvals = countingApprovals(request.approvals).length;
  const mayApprove = can(user, 'promotion.approve', {
    kind: 'promotion',
    tenant: tenant.name,
    status: tenant.status,
    requesterId: request.requesterId,
  });
  const decided = request.approvals.some((a) => a.approverId === user.id);
  const mayOperate = may('deployment.operate');
  const open = request.status === 'pending' && request.expiresAt > new Date();
  const deployGates = requestDeployGates(request);

  return (
    <>
      <PageHeader
        title={`${request.modelName} v${request.version}`}
        description={
          <>
            <FiledBy request={request} sentence /> on <Time at={request.createdAt} /> for the endpoint{' '}
            <strong>{request.endpoint}</strong>.
          </>
        }
        actions={
          <div className="flex flex-wrap gap-2">
            <Link href={`/t/${tenant.name}/promotions/${request.id}/evidence`} className={buttonClass.secondary}>
              Evidence pack
            </Link>
            <a
              href={`/t/${tenant.name}/promotions/${request.id}/evidence.json`}
              className={buttonClass.secondary}
              download
            >
              Evidence (JSON)
            </a>
            <Link href={`/t/${tenant.name}/promotions`} className={buttonClass.secondary}>
              All requests
            </Link>
          </div>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <div className="space-y-6">
          <Card title="Gates at request time">
            <GateList gates={requestGates(request)} />
          </Card>
          {deployGates.length > 0 ? (
            <Card title="Checked again before deploying">
              <GateList gates={deployGates} label="Gates checked before deploying" testIdPrefix="deploy-gate" />
            </Card>
          ) : null}
          <Card title="Evidence">
            <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
              <dt className="font-medium">Model card</dt>
              <dd>
                <a className={buttonClass.link} href={request.modelCardUrl} rel="noreferrer noopener" target="_blank">
                  {request.modelCardUrl}
                </a>
              </dd>
              <dt className="font-medium">Notes</dt>
              <dd className="whitespace-pre-wrap">{request.notes}</dd>
              <dt className="font-medium">Source run</dt>
              <dd>
                <Link className={buttonClass.link} href={`/t/${tenant.name}/runs/${request.runId}`}>
                  {request.runId}
                </Link>
              </dd>
              <dt className="font-medium">Serves from</dt>
              <dd className="break-all font-mono text-xs">{request.storageUri}</dd>
            </dl>
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Status">
            <div className="space-y-2 text-sm">
              <PromotionStatusBadge status={request.status} stale={isStale(request, policy)} />
              <p>
                Judged against version {request.policyVersion} of the tenant&apos;s promotion policy
                {request.policyVersion === 0 ? ' (the defaults)' : ''}.
              </p>
              <p>
                {approvals} of {request.requiredApprovals} counting approval{request.requiredApprovals === 1 ? '' : 's'}
                {request.status === 'pending' ? (
                  <>
                    {' '}
                    · expires <Time at={request.expiresAt} />
                  </>
                ) : null}
              </p>
              {request.approvals.length > 0 ? (
                <ul className="space-y-1" aria-label="Decisions">
                  {request.approvals.map((a) => (
                    <li key={a.id} data-testid="decision" data-counts={a.decision === 'approve' ? a.counts : undefined}>
                      <strong>{a.approverName}</strong> {a.decision === 'approve' ? 'approved' : 'rejected'} on{' '}
                      <Time at={a.createdAt} />
                      {a.comment ? <>: “{a.comment}”</> : null}
                      {a.decision === 'approve' && a.standing ? (
                        <p
                          className={
                            a.counts
                              ? 'text-slate-700 dark:text-slate-300'
                              : 'font-medium text-red-800 dark:text-red-200'
                          }
                        >
                          {a.standing}
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </Card>
          {open ? (
            <Card title="Your decision">
              {request.requesterId === user.id ? (
                <p className="text-sm">
                  You cannot approve your own request: another approver of {tenant.displayName} must decide.
                </p>
              ) : decided ? (
                <p className="text-sm">You have decided on this request.</p>
              ) : mayApprove ? (
                <DecisionForm tenant={tenant.name} requestId={request.id} />
              ) : (
                <p className="text-sm">Only approvers of {tenant.displayName} can decide.</p>
              )}
            </Card>
          ) : null}
          {['deploying', 'deployed', 'failed'].includes(request.status) ? (
            <Card title="Deployment">
              <ol className="space-y-1 text-sm" aria-label="Deployment steps">
                {Object.entries(STEP_LABELS).map(([step, label]) => {
                  const order = Object.keys(STEP_LABELS);
                  const reached =
                    request.deployStep !== null && order.indexOf(step) <= order.indexOf(request.deployStep);
                  return (
                    <li key={step}>
                      {reached ? 'Done' : 'Not yet'}: {label}
                    </li>
                  );
                })}
              </ol>
              {request.deployError ? (
                <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
                  {request.deployError}
                </p>
              ) : null}
              {request.status !== 'deployed' && mayOperate ? (
                <div className="mt-3">
                  <RetryDeployButton tenant={tenant.name} requestId={request.id} />
                </div>
              ) : null}
              {request.rollout ? (
                <p className="mt-3 text-sm">
                  <Link className={buttonClass.link} href={`/t/${tenant.name}/deployments/${request.endpoint}`}>
                    Follow the canary on {request.endpoint}
                  </Link>
                </p>
              ) : null}
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
