'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';

/** An endpoint the tenant does not have: say so, and lead back to the list of SLOs. */
export default function SloEndpointNotFound() {
  const { tenant, endpoint } = useParams<{ tenant: string; endpoint: string }>();
  return (
    <>
      <PageHeader title="Endpoint not found" />
      <EmptyState
        title={`There is no endpoint named “${endpoint}” in ${tenant}`}
        action={
          <Link className={buttonClass.primary} href={`/slo?tenant=${encodeURIComponent(tenant)}`}>
            See the SLOs of {tenant}
          </Link>
        }
      >
        SLOs belong to the model endpoints (KServe InferenceServices) in the tenant’s namespace, and it has none by that
        name. Check the address, or pick an endpoint from the list.
      </EmptyState>
    </>
  );
}
