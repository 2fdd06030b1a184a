import { sloList } from '@/lib/slo/service';
import { filteredLiveRoute } from '../../tenant-filtered';

export const dynamic = 'force-dynamic';

/** The SLO list's live data, polled every 15 s (scoped by the service to the tenants the user may `slo.read`). */
export const GET = filteredLiveRoute(sloList);
