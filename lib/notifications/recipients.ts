/**
 * Who gets an event in their inbox: the people it concerns by default (kinds.ts DEFAULT_AUDIENCE),
 * changed by each person's subscriptions (`all` adds them, `none` takes them out), and only those
 * who may read the kind in the tenant. Pure: the candidates are read by the outbox.
 */
import { can, roleAtLeast, tenantRoleOf, type Principal, type TenantStatus } from '../auth/authorize';
import type { NotificationKind } from './kind-names';
import { DEFAULT_AUDIENCE, READ_ACTION, type Audience } from './kinds';

/** A person's choice for a kind in a tenant: the default (what concerns them), every event, or none. */
export type SubscriptionMode = 'default' | 'all' | 'none';
export const SUBSCRIPTION_MODES = ['default', 'all', 'none'] as const satisfies readonly SubscriptionMode[];

export interface RecipientContext {
  kind: NotificationKind;
  tenant: string;
  tenantStatus: TenantStatus;
  /** The promotion request's requester, for the kinds about a request or its rollout. */
  requesterId: string | null;
  /** Who caused the event: they are not told about their own action. */
  actorId: string | null;
}

/** Whether `principal` is in one of the kind's default audiences (with the event's requester, when known). */
export function concernedByDefault(
  principal: Principal,
  audiences: readonly Audience[],
  context: Pick<RecipientContext, 'tenant' | 'tenantStatus' | 'requesterId'>,
): boolean {
  const tenant = { kind: 'tenant' as const, tenant: context.tenant, status: context.tenantStatus };
  const role = tenantRoleOf(principal, context.tenant);
  return audiences.some((audience) => {
    switch (audience) {
      case 'requester':
        return context.requesterId !== null && principal.id === context.requesterId;
      case 'approvers':
        return (
          role !== undefined &&
          context.requesterId !== null &&
          can(principal, 'promotion.approve', { ...tenant, kind: 'promotion', requesterId: context.requesterId })
        );
      case 'operators':
        return role !== undefined && can(principal, 'deployment.operate', tenant);
      case 'admins':
        return role !== undefined && roleAtLeast(role, 'admin');
      case 'owners':
        return role !== undefined && roleAtLeast(role, 'approver');
    }
  });
}

/**
 * The ids of the people whose inbox gets the event, among `candidates` (the tenant's members, the
 * requester, and everyone with a subscription row for the tenant and kind).
 */
export function recipientsOf(
  context: RecipientContext,
  candidates: readonly Principal[],
  subscriptions: ReadonlyMap<string, Exclude<SubscriptionMode, 'default'>>,
): string[] {
  // A test event is for the one endpoint it tests, never anyone's inbox.
  if (context.kind === 'test') return [];
  const tenant = { kind: 'tenant' as const, tenant: context.tenant, status: context.tenantStatus };
  const audiences = DEFAULT_AUDIENCE[context.kind];
  const chosen = new Set<string>();
  for (const principal of candidates) {
    if (principal.token || principal.id === context.actorId) continue;
    if (!can(principal, READ_ACTION[context.kind], tenant)) continue;
    const mode = subscriptions.get(principal.id) ?? 'default';
    if (mode === 'none') continue;
    if (mode === 'all' || concernedByDefault(principal, audiences, context)) chosen.add(principal.id);
  }
  return [...chosen];
}
