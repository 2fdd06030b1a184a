import Link from 'next/link';
import { tenantFilterParam } from '@/components/ops/format';
import { OpsDashboard } from '@/components/ops/ops-dashboard';
import { ThresholdsForm } from '@/components/ops/thresholds-form';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { requireUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/errors';
import { opsView } from '@/lib/ops/service';
import { updateOpsThresholdsAction } from './actions';

export const metadata = { title: 'Operations' };

const DESCRIPTION =
  'Every tenant you may see, one row per area — pipelines, training, registry, serving, canary, infrastructure — judged against the platform’s thresholds, with a link to where to act. Live: refreshed every 10 seconds.';

export default async function OpsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const filter = tenantFilterParam((await searchParams).tenant);
  let view;
  try {
    view = await opsView(user, filter);
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    return (
      <>
        <PageHeader title="Operations" description={DESCRIPTION} />
        <EmptyState
          title="This tenant cannot be shown"
          action={
            <Link href="/ops" className={buttonClass.primary}>
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
      <PageHeader title="Operations" description={DESCRIPTION} />
      <OpsDashboard initial={view} editor={view.canEditThresholds ? <ThresholdsForm thresholds={view.thresholds} action={updateOpsThresholdsAction} /> : null} />
    </>
  );
}
