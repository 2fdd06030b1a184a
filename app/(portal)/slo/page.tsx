import { SloList } from '@/components/slo/slo-list';
import { PageHeader } from '@/components/ui/page-header';
import { sloList } from '@/lib/slo/service';
import { FilterRefused, openFilteredDashboard } from '../tenant-filtered';

export const metadata = { title: 'SLOs' };

const DESCRIPTION =
  'The availability and latency objectives of every model endpoint you may see, worst error budget first, with the burn-rate alerts that would fire. Open an endpoint for its burn rates and history. Live: refreshed every 15 seconds.';

export default async function SloListPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const opened = await openFilteredDashboard(searchParams, sloList);
  return (
    <>
      <PageHeader title="SLOs" description={DESCRIPTION} />
      {'refused' in opened ? <FilterRefused path="/slo" message={opened.refused} /> : <SloList initial={opened.view} />}
    </>
  );
}
