import { OpsDashboard } from '@/components/ops/ops-dashboard';
import { ThresholdsForm } from '@/components/ops/thresholds-form';
import { PageHeader } from '@/components/ui/page-header';
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
  const opened = await openFilteredDashboard(searchParams, opsView);
  return (
    <>
      <PageHeader title="Operations" description={DESCRIPTION} />
      {'refused' in opened ? (
        <FilterRefused path="/ops" message={opened.refused} />
      ) : (
        <OpsDashboard
          initial={opened.view}
          editor={opened.view.canEditThresholds ? <ThresholdsForm thresholds={opened.view.thresholds} /> : null}
        />
      )}
    </>
  );
}
