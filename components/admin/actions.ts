'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { provisionerFor } from '@/lib/tenancy/actor';
import { tenantNameSchema } from '@/lib/tenancy/names';
import { quotaFormSchema } from '@/lib/tenancy/quota';
import { archiveTenant, createTenant, provisionTenant } from '@/lib/tenancy/service';

const platform = { kind: 'platform' } as const;

/** A step's message as a sentence: one full stop at the end. */
function sentence(text: string | null): string {
  return `${(text ?? 'an unknown step').replace(/[.\s]+$/, '')}.`;
}

export const createTenantAction = defineAction({
  name: 'tenant.create',
  input: z
    .object({
      name: tenantNameSchema,
      displayName: z.string().trim().min(1, 'Enter a display name').max(100, 'At most 100 characters'),
      description: z.string().trim().max(500, 'At most 500 characters').default(''),
    })
    .extend(quotaFormSchema.shape),
  permission: () => ({ action: 'tenant.create', resource: platform }),
  async run(user, { gpus, cpu, memory, ...input }) {
    const { actor, kube } = provisionerFor(user);
    const tenant = await createTenant(actor, { ...input, quota: { gpus, cpu, memory } }, { kube });
    revalidatePath('/admin/tenants');
    return tenant.status === 'active'
      ? {
          ok: true,
          message: `Created tenant ${tenant.name}. Its namespace, quota, role bindings, MLflow workspace and storage prefix are in place.`,
        }
      : {
          ok: false,
          error: `Tenant ${tenant.name} was created, but provisioning stopped at ${sentence(tenant.provisioningError)} Use Retry to finish it.`,
        };
  },
});

export const retryProvisioningAction = defineAction({
  name: 'tenant.provision',
  input: z.object({ name: tenantNameSchema }),
  permission: () => ({ action: 'tenant.create', resource: platform }),
  async run(user, input) {
    const { actor, kube } = provisionerFor(user);
    const result = await provisionTenant(actor, input.name, { kube });
    revalidatePath('/admin/tenants');
    if (result.status === 'archived') return { ok: true, message: `Archived ${input.name}. Its data is kept.` };
    return result.status === 'active'
      ? { ok: true, message: `${input.name} is fully provisioned.` }
      : { ok: false, error: `Still incomplete: ${sentence(result.provisioningError)}` };
  },
});

export const archiveTenantAction = defineAction({
  name: 'tenant.archive',
  input: z.object({ name: tenantNameSchema }),
  permission: () => ({ action: 'tenant.archive', resource: platform }),
  async run(user, input) {
    const { actor, kube } = provisionerFor(user);
    const result = await archiveTenant(actor, input.name, { kube });
    revalidatePath('/admin/tenants');
    return result.status === 'archived'
      ? { ok: true, message: `Archived ${input.name}. Its data is kept.` }
      : { ok: false, error: `${sentence(result.provisioningError)} Use Retry to finish archiving.` };
  },
});
