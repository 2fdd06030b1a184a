'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { createApiToken, createTokenSchema, revokeApiToken, revokeTokenSchema } from '@/lib/api-tokens/service';
import { getDb } from '@/lib/db/client';
import { findTenant } from '@/lib/tenancy/service';
import { formatTime } from '@/lib/format';

// The server actions behind the token pages (/settings/tokens, /t/[tenant]/tokens). `defineAction` checks the session,
// rate limit, fields and schema, and a first permission (seeing the tenant, or managing its
// tokens); the token service then applies the finer rules of canManageToken (scopes the creator
// holds, owner-or-admin revocation) and audits every change and refusal.

/** Both token pages list what changed (a tenant admin may revoke a member's personal token). */
function revalidateTokenPages(): void {
  revalidatePath('/settings/tokens');
  revalidatePath('/t/[tenant]/tokens', 'page');
}

export const createTokenAction = defineAction({
  name: 'token.create',
  input: createTokenSchema,
  permission: async (input) => {
    const tenant = await findTenant(input.tenant);
    return {
      action: input.kind === 'service' ? 'token.manage' : 'tenant.view',
      resource: { kind: 'tenant', tenant: input.tenant, status: tenant?.status },
    };
  },
  async run(user, input) {
    const created = await createApiToken(user, input);
    revalidateTokenPages();
    return {
      ok: true as const,
      message: `Copy the token now: it is shown only this once. It expires on ${formatTime(created.expiresAt)}.`,
      secret: created.secret,
      prefix: created.prefix,
    };
  },
});

export const revokeTokenAction = defineAction({
  name: 'token.revoke',
  input: revokeTokenSchema,
  // Any signed-in person may ask: the service refuses (and audits) anyone but the owner or the
  // tenant's admin. A token that does not exist is judged in a tenant nobody can see.
  permission: async (input) => {
    const token = await getDb().apiToken.findUnique({
      where: { id: input.tokenId },
      select: { tenant: { select: { name: true, status: true } } },
    });
    return {
      action: 'tenant.view',
      resource: token
        ? { kind: 'tenant', tenant: token.tenant.name, status: token.tenant.status }
        : { kind: 'tenant', tenant: '-', status: 'archived' },
    };
  },
  async run(user, input) {
    await revokeApiToken(user, input);
    revalidateTokenPages();
    return { ok: true, message: 'Revoked: the token stops working at once.' };
  },
});
