import Link from 'next/link';
import { FiledBy } from '@/components/promotions/filed-by';
import { PromotionStatusBadge } from '@/components/promotions/status-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { countingApprovals, isStale, listPromotionRequests, requestPolicy } from '@/lib/promotion/requests';
import { PROMOTION_LIST_FILTERS, promotionListSchema } from '@/lib/promotion/schemas';
import { openTenantPage, type TenantPageProps } from '../tenant-page';
import { Time } from '@/components/ui/time';

export const metadata = { title: 'Promotions' };

const FILTERS = { open: 'Open', pending: 'Waiting for approval', all: 'All' } as const satisfies Record<
  (typeof PROMOTION_LIST_FILTERS)[number],
  string
>;
type Filter = keyof typeof FILTERS;

export default async function PromotionsPage({
  params,
  searchParams,
}: TenantPageProps<Record<never, never>, { status?: string }>) {
  const { tenant, may } = await openTenantPage(params, 'promotion.read');
  const filter: Filter = promotionListSchema.shape.status.parse((await searchParams).status);
  const requests = await listPromotionRequests(tenant.name, { status: filter });
  const canRequest = may('promotion.request');
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
          <Link
            key={key}
            href={`?status=${key}`}
            aria-current={key === filter ? 'page' : undefined}
            className={key === filter ? buttonClass.primary : buttonClass.secondary}
          >
            {FILTERS[key]}
          </Link>
        ))}
      </nav>
      {requests.length === 0 ? (
        <EmptyState title="No promotion requests here">
          {canRequest
            ? 'Open a model version and request its promotion; the gates tell you what is still missing.'
            : 'Members of this tenant request promotions from the Models page.'}
        </EmptyState>
      ) : (
        <DataTable
          caption={`Promotion requests of ${tenant.name}`}
          columns={['Model version', 'Status', 'Approvals', 'Requested', 'Endpoint']}
        >
          {requests.map((r) => (
            <tr key={r.id} className={rowClass} data-testid={`promotion-${r.modelName}-v${r.version}`}>
              <td className={cellClass}>
                <Link className={buttonClass.link} href={`/t/${tenant.name}/promotions/${r.id}`}>
                  {r.modelName} v{r.version}
                </Link>
              </td>
              <td className={cellClass}>
                <PromotionStatusBadge status={r.status} stale={isStale(r, requestPolicy(r), now)} />
              </td>
              <td className={cellClass}>
                {countingApprovals(r.approvals).length} of {r.requiredApprovals}
              </td>
              <td className={cellClass}>
                <FiledBy request={r} />, <Time at={r.createdAt} />
              </td>
              <td className={cellClass}>{r.endpoint}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
