import type { ReactNode } from 'react';
import { ModelTabs } from '@/components/model-story/model-tabs';
import { modelHref, modelNameFromParam } from '@/lib/models/links';

/** A model's pages as tabs: Overview, Timeline, Compare. Each page authorizes itself. */
export default async function ModelLayout({
  params,
  children,
}: {
  params: Promise<{ tenant: string; name: string }>;
  children: ReactNode;
}) {
  const { tenant, name } = await params;
  return (
    <>
      <ModelTabs base={modelHref(tenant, modelNameFromParam(name))} />
      {children}
    </>
  );
}
