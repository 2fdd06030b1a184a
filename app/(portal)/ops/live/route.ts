import { opsView } from '@/lib/ops/service';
import { filteredLiveRoute } from '../../tenant-filtered';

export const dynamic = 'force-dynamic';

/** The operations dashboard's live data, polled every 10 s (scoped by the service to the tenants the user may `ops.read`). */
export const GET = filteredLiveRoute(opsView);
