import Link from 'next/link';
import { tenantFilterParam } from '@/components/ops/format';
import { SloList } from '@/components/slo/slo-list';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { requireUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/errors';
import { sloList } from '@/lib/slo/service';

export const metadata = { title: 'SLOs' };

const DESCRIPTION =
  'The availability and latency objectives of every model endpoint you may see, worst error budget first, with the burn-rate alerts that would fire. Open an endpoint for its burn rates and history. Live: refreshed every 15 seconds.';

export default async function SloListPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const filter = tenantFilterParam((await searchParams).tenant);
  let view;
  try {
    view = await sloList(user, filter);
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    return (
      <>
        <PageHeader title="SLOs" description={DESCRIPTION} />
        <EmptyState
          title="This tenant cannot be shown"
          action={
            <Link href="/slo" className={buttonClass.primary}>
              Show every tenant
            </Link>
          }
        >
          {error.message} Check the address, or pick a tenant from the filter.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader title="SLOs" description={DESCRIPTION} />
      <SloList initial={view} />
    </>
  );
}
