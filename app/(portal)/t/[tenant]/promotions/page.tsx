import Link from 'next/link';
import { PromotionStatusBadge } from '@/components/promotions/status-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { can } from '@/lib/auth/authorize';
import { requireTenant } from '@/lib/auth/session';
import { isStale, listPromotionRequests, requestPolicy } from '@/lib/promotion/requests';

export const metadata = { title: 'Promotions' };

const FILTERS = { open: 'Open', pending: 'Waiting for approval', all: 'All' } as const;
type Filter = keyof typeof FILTERS;

export default async function PromotionsPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ status?: string }> }) {
  const { tenant: name } = await params;
  const { user, tenant } = await requireTenant(name, 'promotion.read');
  const requested = (await searchParams).status;
  const filter: Filter = requested && requested in FILTERS ? (requested as Filter) : 'open';
  const requests = await listPromotionRequests(tenant.name, { status: filter });
  const canRequest = can(user, 'promotion.request', { kind: 'tenant', tenant: tenant.name, status: tenant.status });
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Promotions"
        description="Requests to put a model version into production, with their gates, approvals and deployment."
        actions={
          canRequest ? (
            <Link href={`/t/${tenant.name}/promotions/new`} className={buttonClass.primary}>
              Request a promotion
            </Link>
          ) : null
        }
      />
      <nav aria-label="Filter requests" className="mb-4 flex gap-2 text-sm">
        {(Object.keys(FILTERS) as Filter[]).map((key) => (
          <Link key={key} href={`?status=${key}`} aria-current={key === filter ? 'page' : undefined} className={key === filter ? buttonClass.primary : buttonClass.secondary}>
            {FILTERS[key]}
          </Link>
        ))}
      </nav>
      {requests.length === 0 ? (
        <EmptyState title="No promotion requests here">
          {canRequest ? 'Open a model version and request its promotion; the gates tell you what is still missing.' : 'Members of this tenant request promotions from the Models page.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Promotion requests of {tenant.name}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-3 py-2">Model version</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2">Approvals</th>
                <th scope="col" className="px-3 py-2">Requested</th>
                <th scope="col" className="px-3 py-2">Endpoint</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <td className="px-3 py-2">
                    <Link className={buttonClass.link} href={`/t/${tenant.name}/promotions/${r.id}`}>
                      {r.modelName} v{r.version}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <PromotionStatusBadge status={r.status} stale={isStale(r, requestPolicy(r), now)} />
                  </td>
                  <td className="px-3 py-2">
                    {r.approvals.filter((a) => a.decision === 'approve').length} of {r.requiredApprovals}
                  </td>
                  <td className="px-3 py-2">
                    {r.requesterName}, <time dateTime={r.createdAt.toISOString()}>{r.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>
                  </td>
                  <td className="px-3 py-2">{r.endpoint}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
