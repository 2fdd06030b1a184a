import { TenantGpuDashboard } from '@/components/gpu/tenant-gpu-dashboard';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/authorize';
import { tenantGpuView } from '@/lib/quota/service';
import { openTenantPage, type TenantPageProps } from '../tenant-page';

export const metadata = { title: 'GPUs' };

export default async function TenantGpuPage({ params }: TenantPageProps) {
  const { tenant, user } = await openTenantPage(params, 'gpu.read');
  const mayEditQuota = can(user, 'quota.edit', { kind: 'platform' }) && tenant.status !== 'archived';
  const view = await tenantGpuView(tenant.name, { quotaEdit: mayEditQuota, history: true });

  return (
    <>
      <PageHeader
        title="GPUs"
        description={`${tenant.displayName}: GPU quota used against its limit, GPU pods and the nodes they run on, what waits for GPUs and why, utilisation from DCGM, and OOM kills. Live: refreshed every few seconds.`}
      />
      <TenantGpuDashboard tenant={tenant.name} initial={view} mayEditQuota={mayEditQuota} />
    </>
  );
}
