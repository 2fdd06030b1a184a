import Link from 'next/link';
import { FiledBy } from '@/components/promotions/filed-by';
import { PromotionStatusBadge } from '@/components/promotions/status-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { requireUser } from '@/lib/auth/session';
import { isStale, listApprovable, requestGates, requestPolicy } from '@/lib/promotion/requests';

export const metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  const user = await requireUser();
  const requests = await listApprovable(user);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Promotion requests waiting for your decision, oldest first. You never see your own requests here."
      />
      {requests.length === 0 ? (
        <EmptyState title="Nothing waits for you">
          When someone in a tenant you approve for requests a promotion, it appears here.
        </EmptyState>
      ) : (
        <DataTable
          caption="Requests waiting for your approval"
          columns={['Tenant', 'Model version', 'Requested by', 'Gates', 'Status']}
        >
          {requests.map((r) => {
            const gates = requestGates(r);
            return (
              <tr key={r.id} className={rowClass}>
                <td className={cellClass}>{r.tenant.name}</td>
                <td className={cellClass}>
                  <Link className={buttonClass.link} href={`/t/${r.tenant.name}/promotions/${r.id}`}>
                    {r.modelName} v{r.version}
                  </Link>
                </td>
                <td className={cellClass}>
                  <FiledBy request={r} />
                </td>
                <td className={cellClass}>
                  {gates.filter((g) => g.passed).length} of {gates.length} pass
                </td>
                <td className={cellClass}>
                  <PromotionStatusBadge status={r.status} stale={isStale(r, requestPolicy(r), now)} />
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </>
  );
}
