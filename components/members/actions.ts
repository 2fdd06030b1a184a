'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { TENANT_ROLES } from '@/lib/auth/authorize';
import { tenantNameSchema } from '@/lib/tenancy/names';
import { addMembership, changeMembershipRole, findTenant, removeMembership } from '@/lib/tenancy/service';

const roleSchema = z.enum(TENANT_ROLES, { message: `Choose a role: ${TENANT_ROLES.join(', ')}` });
const userSchema = z.string().trim().min(1, 'Enter a username or email').max(254);

async function manageMembers(input: { tenant: string }) {
  const tenant = await findTenant(input.tenant);
  return {
    action: 'member.manage' as const,
    resource: { kind: 'tenant' as const, tenant: input.tenant, status: tenant?.status },
  };
}

export const addMemberAction = defineAction({
  name: 'membership.add',
  input: z.object({ tenant: tenantNameSchema, user: userSchema, role: roleSchema }),
  permission: manageMembers,
  async run(actor, input) {
    await addMembership({ id: actor.id, name: actor.username }, input.tenant, input.user, input.role);
    revalidatePath(`/t/${input.tenant}/members`);
    return { ok: true, message: `Added ${input.user} as ${input.role}.` };
  },
});

export const changeRoleAction = defineAction({
  name: 'membership.change-role',
  input: z.object({ tenant: tenantNameSchema, user: userSchema, role: roleSchema }),
  permission: manageMembers,
  async run(actor, input) {
    await changeMembershipRole({ id: actor.id, name: actor.username }, input.tenant, input.user, input.role);
    revalidatePath(`/t/${input.tenant}/members`);
    return { ok: true, message: `${input.user} is now ${input.role}.` };
  },
});

export const removeMemberAction = defineAction({
  name: 'membership.remove',
  input: z.object({ tenant: tenantNameSchema, user: userSchema }),
  permission: manageMembers,
  async run(actor, input) {
    await removeMembership({ id: actor.id, name: actor.username }, input.tenant, input.user);
    revalidatePath(`/t/${input.tenant}/members`);
    return { ok: true, message: `Removed ${input.user}.` };
  },
});
