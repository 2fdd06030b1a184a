'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';

/** An endpoint that does not exist (and never had a rollout): say so, and lead back to the list. */
export default function DeploymentNotFound() {
  const { tenant, name } = useParams<{ tenant: string; name: string }>();
  return (
    <>
      <PageHeader title="Endpoint not found" />
      <EmptyState
        title={`There is no endpoint named “${name}” in ${tenant}`}
        action={
          <Link className={buttonClass.primary} href={`/t/${tenant}/deployments`}>
            See the endpoints of {tenant}
          </Link>
        }
      >
        Kubernetes has no InferenceService by that name in the tenant’s namespace, and the portal has no rollout history
        for it. Check the address, or pick an endpoint from the list.
      </EmptyState>
    </>
  );
}
