'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { UserFacingError } from '@/lib/errors';
import { tenantNameSchema } from '@/lib/tenancy/names';
import { archiveTenant, createTenant, findTenant, provisionTenant } from '@/lib/tenancy/service';

const platform = { kind: 'platform' } as const;

export const createTenantAction = defineAction({
  name: 'tenant.create',
  input: z.object({
    name: tenantNameSchema,
    displayName: z.string().trim().min(1, 'Enter a display name').max(100, 'At most 100 characters'),
    description: z.string().trim().max(500, 'At most 500 characters').default(''),
  }),
  permission: () => ({ action: 'tenant.create', resource: platform }),
  async run(actor, input) {
    const tenant = await createTenant({ id: actor.id, name: actor.username }, input);
    revalidatePath('/admin/tenants');
    return tenant.status === 'active'
      ? { ok: true, message: `Created tenant ${tenant.name}.` }
      : { ok: false, error: `Tenant ${tenant.name} was created but provisioning stopped at ${tenant.provisioningError}. Use Retry to finish it.` };
  },
});

export const retryProvisioningAction = defineAction({
  name: 'tenant.provision',
  input: z.object({ name: tenantNameSchema }),
  permission: () => ({ action: 'tenant.create', resource: platform }),
  async run(actor, input) {
    const tenant = await findTenant(input.name);
    if (!tenant) throw new UserFacingError(`There is no tenant named "${input.name}"`);
    if (tenant.status === 'archived') throw new UserFacingError(`Tenant "${input.name}" is archived`);
    const result = await provisionTenant({ id: actor.id, name: actor.username }, tenant);
    revalidatePath('/admin/tenants');
    return result.status === 'active' ? { ok: true, message: `${input.name} is fully provisioned.` } : { ok: false, error: `Still incomplete: ${result.provisioningError}` };
  },
});

export const archiveTenantAction = defineAction({
  name: 'tenant.archive',
  input: z.object({ name: tenantNameSchema }),
  permission: () => ({ action: 'tenant.archive', resource: platform }),
  async run(actor, input) {
    await archiveTenant({ id: actor.id, name: actor.username }, input.name);
    revalidatePath('/admin/tenants');
    return { ok: true, message: `Archived ${input.name}. Its data is kept.` };
  },
});
