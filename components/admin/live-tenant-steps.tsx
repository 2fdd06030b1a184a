'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { TenantProgress } from '@/lib/tenancy/progress';
import { TenantSteps } from './provisioning-steps';

const POLL_MS = 1000;

/**
 * A tenant's steps; while a run is under way (someone else's create, a retry in another tab) they
 * follow it live, and the page refreshes once it ends.
 */
export function LiveTenantSteps({ tenant, initial }: { tenant: string; initial: TenantProgress }) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: ['tenant-steps', tenant],
    queryFn: async ({ signal }) => {
      const response = await fetch(`/admin/tenants/${encodeURIComponent(tenant)}/progress`, {
        signal,
        cache: 'no-store',
      });
      if (!response.ok) throw new Error(`progress could not be read (${response.status})`);
      return (await response.json()) as TenantProgress;
    },
    initialData: initial,
    enabled: initial.running,
    refetchInterval: (query) => (query.state.data?.running ? POLL_MS : false),
  });
  const finished = initial.running && !data.running;
  useEffect(() => {
    if (finished) router.refresh();
  }, [finished, router]);
  // The page's own data is the truth once no run is under way (the query's cache may be older).
  return <TenantSteps tenant={tenant} progress={initial.running ? data : initial} />;
}
