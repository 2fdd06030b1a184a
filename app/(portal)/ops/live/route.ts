import { opsStateFilterParam } from '@/lib/ops/board';
import { opsView } from '@/lib/ops/service';
import { filteredLiveRoute } from '../../tenant-filtered';

export const dynamic = 'force-dynamic';

/**
 * The operations dashboard's live data, polled every 10 s (scoped by the service to the tenants the
 * user may `ops.read`; the same page and state filter as the page). It waits for the slow first
 * reads the page's first paint did not wait for.
 */
export const GET = filteredLiveRoute((user, tenant, page, query) =>
  opsView(user, tenant, page, opsStateFilterParam(query('state'))),
);
