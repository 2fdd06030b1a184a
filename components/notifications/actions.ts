'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import type { Action, Resource } from '@/lib/auth/authorize';
import {
  createWebhook,
  createWebhookSchema,
  deleteWebhook,
  deleteWebhookSchema,
  markRead,
  markReadSchema,
  sendTestEvent,
  sendTestEventSchema,
  setSubscriptions,
  setSubscriptionsSchema,
  updateWebhook,
  updateWebhookSchema,
} from '@/lib/notifications/service';
import { findTenant } from '@/lib/tenancy/service';
import { maskedWebhookUrl } from '@/lib/notifications/webhook-url';

// The server actions of the inbox, the notification settings and a tenant's webhooks.
// `defineAction` checks the session, rate limit, fields and schema (the service's own) and a
// first permission; the service then decides again and audits every change and refusal.

type Permission = { action: Action; resource: Resource };

const personal = (): Permission => ({ action: 'notification.inbox', resource: { kind: 'self' } });

/** A tenant that does not exist has no status, and nobody manages its webhooks. */
async function manageWebhooks(input: { tenant: string }): Promise<Permission> {
  const tenant = await findTenant(input.tenant);
  return {
    action: 'notification.webhook.manage',
    resource: { kind: 'tenant', tenant: input.tenant, status: tenant?.status },
  };
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export const markReadAction = defineAction({
  name: 'notification.inbox.mark-read',
  input: markReadSchema,
  permission: personal,
  async run(user, input) {
    const { marked } = await markRead(user, input);
    revalidatePath('/inbox');
    return { ok: true, message: marked === 0 ? 'Nothing was unread.' : `Marked ${plural(marked, 'item')} read.` };
  },
});

export const saveSubscriptionsAction = defineAction({
  name: 'notification.subscriptions',
  input: setSubscriptionsSchema,
  permission: personal,
  async run(user, input) {
    const { changed } = await setSubscriptions(user, input);
    revalidatePath('/settings/notifications');
    return { ok: true, message: `Saved ${plural(changed, 'change')}.` };
  },
});

export const createWebhookAction = defineAction({
  name: 'notification.webhook.create',
  input: createWebhookSchema,
  permission: manageWebhooks,
  auditInput: (input) => ({ ...input, url: maskedWebhookUrl(input.url) }),
  async run(user, input) {
    const { webhook, secret } = await createWebhook(user, input);
    revalidatePath(`/t/${input.tenant}/webhooks`);
    return {
      ok: true as const,
      message: `Created the webhook "${webhook.name}". Copy its signing secret now: it is shown only this once.`,
      href: `/t/${input.tenant}/webhooks/${webhook.id}`,
      secret,
    };
  },
});

export const updateWebhookAction = defineAction({
  name: 'notification.webhook.update',
  input: updateWebhookSchema,
  permission: manageWebhooks,
  auditInput: (input) => ({ ...input, ...(input.url !== undefined ? { url: maskedWebhookUrl(input.url) } : {}) }),
  async run(user, input) {
    const { webhook, secret } = await updateWebhook(user, input);
    revalidatePath(`/t/${input.tenant}/webhooks`, 'layout');
    if (secret)
      return {
        ok: true as const,
        message: 'A new signing secret: copy it now, it is shown only this once. The old one no longer signs.',
        secret,
      };
    return {
      ok: true as const,
      message:
        input.enabled !== undefined && input.name === undefined
          ? `The webhook is ${webhook.enabled ? 'enabled' : 'disabled'}.`
          : 'Saved.',
    };
  },
});

export const deleteWebhookAction = defineAction({
  name: 'notification.webhook.delete',
  input: deleteWebhookSchema,
  permission: manageWebhooks,
  async run(user, input) {
    await deleteWebhook(user, input);
    revalidatePath(`/t/${input.tenant}/webhooks`, 'layout');
    return { ok: true, message: 'Deleted the webhook and its delivery log.', href: `/t/${input.tenant}/webhooks` };
  },
});

export const sendTestEventAction = defineAction({
  name: 'notification.webhook.test',
  input: sendTestEventSchema,
  permission: manageWebhooks,
  async run(user, input) {
    const { eventId } = await sendTestEvent(user, input);
    return {
      ok: true,
      message: `Test event ${eventId} queued: the delivery log below shows when it arrives.`,
    };
  },
});
