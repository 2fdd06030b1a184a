'use server';

import { revalidatePath } from 'next/cache';
import { sloDetailPath } from './format';
import { defineAction } from '@/lib/actions/define-action';
import { sloObjectivesFormSchema } from '@/lib/slo/objectives-form';
import { saveEndpointObjectives } from '@/lib/slo/service';
import { findTenant } from '@/lib/tenancy/service';

/** Tenant admins and platform admins set an endpoint's objectives; the store checks ranges and buckets, refuses a stale version and audits. */
export const updateSloObjectivesAction = defineAction({
  name: 'slo.update',
  input: sloObjectivesFormSchema,
  permission: async (input) => {
    const tenant = await findTenant(input.tenant);
    return { action: 'slo.edit', resource: { kind: 'tenant', tenant: input.tenant, status: tenant?.status } };
  },
  async run(user, { tenant, endpoint, version, objectives }) {
    const saved = await saveEndpointObjectives(
      { id: user.id, name: user.username },
      tenant,
      endpoint,
      objectives,
      version,
    );
    revalidatePath(sloDetailPath(tenant, endpoint));
    revalidatePath('/slo');
    return {
      ok: true,
      message: `Objectives of ${endpoint} saved (version ${saved.version}). Budgets and burn rates follow them from now on.`,
    };
  },
});
