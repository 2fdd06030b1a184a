import { OpsDashboard } from '@/components/ops/ops-dashboard';
import { ThresholdsForm } from '@/components/ops/thresholds-form';
import { PageHeader } from '@/components/ui/page-header';
import { opsStateFilterParam } from '@/lib/ops/board';
import { opsView } from '@/lib/ops/service';
import { FilterRefused, openFilteredDashboard } from '../tenant-filtered';

export const metadata = { title: 'Operations' };

const DESCRIPTION =
  'Every tenant you may see, one row per area — pipelines, training, registry, serving, canary, infrastructure, platform health — judged against the platform’s thresholds, with a link to where to act. Live: refreshed every 10 seconds.';

export default async function OpsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // The first paint does not wait for the slow first reads (MLflow registries, platform health); the live route fills them in.
  const opened = await openFilteredDashboard(searchParams, (user, tenant, page, query) =>
    opsView(user, tenant, page, opsStateFilterParam(query('state')), { waitForFirstReads: false }),
  );
  return (
    <>
      <PageHeader title="Operations" description={DESCRIPTION} />
      {'refused' in opened ? (
        <FilterRefused path="/ops" message={opened.refused} field={opened.field} />
      ) : (
        <OpsDashboard
          initial={opened.view}
          editor={opened.view.canEditThresholds ? <ThresholdsForm thresholds={opened.view.thresholds} /> : null}
        />
      )}
    </>
  );
}
