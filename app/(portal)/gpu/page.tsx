import { ClusterGpuDashboard } from '@/components/gpu/cluster-gpu-dashboard';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/authorize';
import { requirePermission } from '@/lib/auth/session';
import { clusterGpuView } from '@/lib/quota/service';
import { listTenants } from '@/lib/tenancy/service';

export const metadata = { title: 'Cluster GPUs' };

export default async function ClusterGpuPage() {
  const user = await requirePermission('cluster.gpu.read', { kind: 'platform' });
  const tenants = await listTenants({ includeArchived: true });
  const view = await clusterGpuView(
    tenants.map((t) => ({ name: t.name, displayName: t.displayName, archived: t.status === 'archived' })),
  );
  return (
    <>
      <PageHeader
        title="Cluster GPUs"
        description="Every tenant's GPU quota and use, the cluster's capacity per GPU product, how far the quotas together over-commit it, and GPUs allocated but idle. Live: refreshed every few seconds."
      />
      <ClusterGpuDashboard initial={view} mayEditQuotas={can(user, 'quota.edit', { kind: 'platform' })} />
    </>
  );
}
