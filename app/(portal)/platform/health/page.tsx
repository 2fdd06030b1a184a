import { HEALTH_PATH, HealthReport } from '@/components/platform-health/health-report';
import { PageHeader } from '@/components/ui/page-header';
import { tenantFilterParam } from '@/components/ops/format';
import { requirePermission } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/errors';
import { checkFilterParam } from '@/lib/platform-health/view';
import { platformHealthView } from '@/lib/platform-health/service';
import { FilterRefused } from '../../tenant-filtered';

export const metadata = { title: 'Platform health' };

const DESCRIPTION =
  'What is about to break at the seams between the systems: training runs MLflow never saw, models KServe cannot load, unsigned models under signature enforcement, cold rollback targets, namespaces the admission guard does not cover, and component versions outside the combinations known to work. Worst first.';

export default async function PlatformHealthPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePermission('health.read', { kind: 'platform' });
  const params = await searchParams;
  let opened: { view: Awaited<ReturnType<typeof platformHealthView>> } | { refused: string };
  try {
    opened = {
      view: await platformHealthView(user, {
        tenant: tenantFilterParam(params.tenant),
        check: checkFilterParam(params.check),
        page: Number(Array.isArray(params.page) ? params.page[0] : params.page) || 1,
      }),
    };
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    opened = { refused: error.message };
  }
  return (
    <>
      <PageHeader title="Platform health" description={DESCRIPTION} />
      {'refused' in opened ? (
        <FilterRefused path={HEALTH_PATH} message={opened.refused} />
      ) : (
        <HealthReport view={opened.view} />
      )}
    </>
  );
}
