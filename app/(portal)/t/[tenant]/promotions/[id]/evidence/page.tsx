import { notFound } from 'next/navigation';
import { AuditRefCell } from '@/components/model-story/audit-ref';
import { PrintButton } from '@/components/model-story/print-button';
import { GateList } from '@/components/promotions/gate-list';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { Time } from '@/components/ui/time';
import { evidencePack } from '@/lib/model-story/evidence-service';
import { openTenantPage, type TenantPageProps } from '../../../tenant-page';

export const metadata = { title: 'Evidence pack' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const cell = 'border-b border-slate-200 px-2 py-1 align-top dark:border-slate-700';

/** A promotion request's evidence pack, printable: the same content as its JSON download. */
export default async function EvidencePage({ params }: TenantPageProps<{ id: string }>) {
  const { user, tenant, id } = await openTenantPage(params, 'promotion.read');
  const pack = UUID.test(id) ? await evidencePack(user, tenant.name, id) : null;
  if (!pack) notFound();
  const { request } = pack;
  const base = `/t/${tenant.name}/promotions/${request.id}`;

  return (
    <article className="space-y-6 print:space-y-4 print:text-black" data-testid="evidence-pack">
      <PageHeader
        title={`Evidence pack: ${request.model} v${request.version}`}
        description={
          <>
            Promotion request {request.id} in {tenant.displayName}, generated <Time at={pack.generatedAt} /> for{' '}
            {pack.generatedBy}.
          </>
        }
        actions={
          <div className="flex gap-2 print:hidden">
            <PrintButton />
            <a href={`${base}/evidence.json`} className={buttonClass.secondary} download>
              Download JSON
            </a>
            <a href={base} className={buttonClass.secondary}>
              Back to the request
            </a>
          </div>
        }
      />
      <Card title="Request">
        <dl className="grid gap-1 text-sm sm:grid-cols-[12rem_1fr]">
          <dt className="font-medium">Model, version</dt>
          <dd>
            {request.model} v{request.version}
          </dd>
          <dt className="font-medium">Requested by</dt>
          <dd>
            {request.requester}
            {request.filedViaPipeline ? ` (pipeline ${request.filedViaPipeline})` : ''} on{' '}
            <Time at={request.createdAt} />
          </dd>
          <dt className="font-medium">Status</dt>
          <dd data-testid="evidence-status">{request.status}</dd>
          <dt className="font-medium">Endpoint</dt>
          <dd>{request.endpoint}</dd>
          <dt className="font-medium">Source run</dt>
          <dd className="font-mono text-xs">{request.runId}</dd>
          <dt className="font-medium">Serves from</dt>
          <dd className="break-all font-mono text-xs">{request.storageUri}</dd>
          <dt className="font-medium">Model card</dt>
          <dd className="break-all">{request.modelCardUrl}</dd>
          <dt className="font-medium">Notes</dt>
          <dd className="whitespace-pre-wrap">{request.notes}</dd>
          <dt className="font-medium">Audit rows</dt>
          <dd className="space-y-1">
            {request.audit.length === 0 ? 'none' : request.audit.map((a) => <AuditRefCell key={a.id} audit={a} />)}
          </dd>
        </dl>
      </Card>
      <Card title={`Policy (version ${pack.policy.version}${pack.policy.version === 0 ? ', the defaults' : ''})`}>
        <pre className="overflow-x-auto whitespace-pre-wrap text-xs">
          {JSON.stringify(pack.policy.settings, null, 2)}
        </pre>
      </Card>
      <Card title="Gates at request time">
        <GateList gates={pack.gates} testIdPrefix="evidence-gate" />
      </Card>
      {pack.deployGates.length > 0 ? (
        <Card title="Checked again before deploying">
          <GateList
            gates={pack.deployGates}
            label="Gates checked before deploying"
            testIdPrefix="evidence-deploy-gate"
          />
        </Card>
      ) : null}
      <Card title="Approvals">
        {pack.approvals.length === 0 ? (
          <p className="text-sm">Nobody has decided yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead>
              <tr>
                <th className={cell}>Who</th>
                <th className={cell}>When</th>
                <th className={cell}>Decision</th>
                <th className={cell}>Counts, and why</th>
                <th className={cell}>Audit row</th>
              </tr>
            </thead>
            <tbody>
              {pack.approvals.map((a) => (
                <tr key={`${a.approver}-${a.at}`} data-testid="evidence-approval">
                  <td className={cell}>{a.approver}</td>
                  <td className={cell}>
                    <Time at={a.at} />
                  </td>
                  <td className={cell}>
                    {a.decision}
                    {a.comment ? `: “${a.comment}”` : ''}
                  </td>
                  <td className={cell}>
                    {a.decision === 'approve' ? (a.counts ? 'Counts. ' : 'Does not count. ') : ''}
                    {a.standing}
                  </td>
                  <td className={cell}>
                    <AuditRefCell audit={a.audit} missing="no audit row found" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Deployment and canary history">
        {!pack.rollout ? (
          <p className="text-sm">The version has not been deployed from this request.</p>
        ) : (
          <>
            <p className="mb-2 text-sm">
              {pack.rollout.endpoint}: v{pack.rollout.version}
              {pack.rollout.previousVersion ? ` over v${pack.rollout.previousVersion}` : ''}, steps{' '}
              {pack.rollout.steps.join(' → ')} %, {pack.rollout.state}.
            </p>
            <table className="w-full text-left text-sm">
              <thead>
                <tr>
                  <th className={cell}>When</th>
                  <th className={cell}>What</th>
                  <th className={cell}>Who</th>
                  <th className={cell}>Why, and the values</th>
                  <th className={cell}>Audit row</th>
                </tr>
              </thead>
              <tbody>
                {pack.rollout.events.map((e) => (
                  <tr key={e.id} data-testid="evidence-rollout-event" data-kind={e.kind}>
                    <td className={cell}>
                      <Time at={e.at} />
                    </td>
                    <td className={cell}>
                      {e.kind}: {e.decision}
                    </td>
                    <td className={cell}>{e.actor === 'worker' ? 'automatic judgment' : e.actor}</td>
                    <td className={cell}>
                      <p>{e.reason}</p>
                      <pre className="whitespace-pre-wrap break-all text-xs">{JSON.stringify(e.values)}</pre>
                    </td>
                    <td className={cell}>
                      <AuditRefCell
                        audit={e.audit}
                        missing={
                          ['check', 'pause', 'intent'].includes(e.kind)
                            ? 'changes nothing: not audited'
                            : 'no audit row found'
                        }
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Card>
      <Card title="Rollbacks">
        {pack.rollbacks.length === 0 ? (
          <p className="text-sm">None.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {pack.rollbacks.map((r) => (
              <li key={r.eventId}>
                <Time at={r.at} />: {r.automatic ? 'automatic rollback' : `rolled back by ${r.actor}`} — {r.reason}{' '}
                <AuditRefCell audit={r.audit} missing="no audit row found" />
              </li>
            ))}
          </ul>
        )}
      </Card>
      {pack.breakGlass.length > 0 ? (
        <Card title="Break-glass changes on the endpoint">
          <ul className="space-y-1 text-sm">
            {pack.breakGlass.map((c) => (
              <li key={c.at}>
                <Time at={c.at} />: {c.actor} — {c.reason} <AuditRefCell audit={c.audit} missing="no audit row found" />
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title="Audit rows">
        <table className="w-full text-left text-xs" aria-label="Audit rows">
          <thead>
            <tr>
              <th className={cell}>Id</th>
              <th className={cell}>When</th>
              <th className={cell}>Action, outcome</th>
              <th className={cell}>Actor</th>
              <th className={cell}>Previous hash → hash</th>
            </tr>
          </thead>
          <tbody>
            {pack.auditEvents.map((row) => (
              <tr key={row.id} data-testid="evidence-audit-row">
                <td className={cell}>{row.id}</td>
                <td className={cell}>{row.occurredAt}</td>
                <td className={cell}>
                  {row.action}, {row.outcome}
                </td>
                <td className={cell}>{row.actor}</td>
                <td className={`${cell} break-all font-mono`}>
                  {row.prevHash} → {row.hash}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ol className="mt-3 list-decimal space-y-1 pl-5 text-sm">
          {pack.verification.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ol>
      </Card>
    </article>
  );
}
