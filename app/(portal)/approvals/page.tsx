import Link from 'next/link';
import { PromotionStatusBadge } from '@/components/promotions/status-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { requireUser } from '@/lib/auth/session';
import { isStale, listApprovable, requestGates, requestPolicy } from '@/lib/promotion/requests';

export const metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  const user = await requireUser();
  const requests = await listApprovable(user);
  const now = new Date();
  return (
    <>
      <PageHeader title="Approvals" description="Promotion requests waiting for your decision, oldest first. You never see your own requests here." />
      {requests.length === 0 ? (
        <EmptyState title="Nothing waits for you">When someone in a tenant you approve for requests a promotion, it appears here.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Requests waiting for your approval</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-3 py-2">Tenant</th>
                <th scope="col" className="px-3 py-2">Model version</th>
                <th scope="col" className="px-3 py-2">Requested by</th>
                <th scope="col" className="px-3 py-2">Gates</th>
                <th scope="col" className="px-3 py-2">Status</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => {
                const gates = requestGates(r);
                return (
                  <tr key={r.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                    <td className="px-3 py-2">{r.tenant.name}</td>
                    <td className="px-3 py-2">
                      <Link className={buttonClass.link} href={`/t/${r.tenant.name}/promotions/${r.id}`}>
                        {r.modelName} v{r.version}
                      </Link>
                    </td>
                    <td className="px-3 py-2">{r.requesterName}</td>
                    <td className="px-3 py-2">
                      {gates.filter((g) => g.passed).length} of {gates.length} pass
                    </td>
                    <td className="px-3 py-2">
                      <PromotionStatusBadge status={r.status} stale={isStale(r, requestPolicy(r), now)} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
