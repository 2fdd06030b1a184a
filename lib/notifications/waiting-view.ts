/**
 * What waits on a person, for the top of /inbox: the promotion requests they may approve (the
 * same list as /approvals, which the inbox links to), the canaries whose automatic judgment has
 * paused on endpoints they operate, and the unread news of the requests they filed. Reads only;
 * the inbox's items come from service.ts.
 */
import { z } from 'zod';
import { can, type TenantStatus } from '../auth/authorize';
import type { SessionUser } from '../auth/users';
import { getDb } from '../db/client';
import { listApprovable } from '../promotion/requests';
import { storedJudgmentSchema } from '../rollout/events';
import { listInbox, type InboxEntry } from './service';

/** How many waiting approvals the inbox lists before pointing to /approvals. */
export const APPROVALS_SHOWN = 5;
/** How many unread items are searched for news of the person's own requests. */
const NEWS_SEARCHED = 100;

export interface ApprovalWaiting {
  requestId: string;
  tenant: string;
  model: string;
  version: string;
  requesterName: string;
  requestedAt: Date;
}

export interface PausedCanary {
  rolloutId: string;
  tenant: string;
  endpoint: string;
  model: string;
  version: string;
  percent: number;
  /** Why judgment paused, as the worker wrote it (e.g. Prometheus cannot be read). */
  reason: string;
  /** When the pausing check ran; null when the stored judgment does not say. */
  since: string | null;
}

export interface WaitingOnYou {
  approvals: {
    /** Whether the person approves promotions in any tenant they see: else the section is left out. */
    applies: boolean;
    total: number;
    /** The oldest first, at most APPROVALS_SHOWN. */
    shown: ApprovalWaiting[];
  };
  paused: {
    /** Whether the person operates deployments in any tenant they see: else the section is left out. */
    applies: boolean;
    canaries: PausedCanary[];
  };
  /** Unread inbox items about promotion requests the person filed (decisions, gates, canary steps, rollbacks), newest first. */
  yourRequests: InboxEntry[];
}

type VisibleTenant = { name: string; status: TenantStatus };

export async function waitingOnYou(user: SessionUser, tenants: readonly VisibleTenant[]): Promise<WaitingOnYou> {
  const operated = tenants.filter((t) =>
    can(user, 'deployment.operate', { kind: 'tenant', tenant: t.name, status: t.status }),
  );
  const approves = tenants.some((t) =>
    can(user, 'promotion.approve', { kind: 'promotion', tenant: t.name, status: t.status, requesterId: '' }),
  );
  const [approvable, paused, yourRequests] = await Promise.all([
    approves ? listApprovable(user) : Promise.resolve([]),
    operated.length > 0 ? pausedCanaries(operated.map((t) => t.name)) : Promise.resolve([]),
    newsOfOwnRequests(user),
  ]);
  return {
    approvals: {
      applies: approves,
      total: approvable.length,
      shown: approvable.slice(0, APPROVALS_SHOWN).map((r) => ({
        requestId: r.id,
        tenant: r.tenant.name,
        model: r.modelName,
        version: r.version,
        requesterName: r.requesterName,
        requestedAt: r.createdAt,
      })),
    },
    paused: { applies: operated.length > 0, canaries: paused },
    yourRequests,
  };
}

/** Unread items whose event names a promotion request (`data.requestId`) that this person filed. */
async function newsOfOwnRequests(user: SessionUser): Promise<InboxEntry[]> {
  const { items } = await listInbox(user, { unreadOnly: true, limit: NEWS_SEARCHED });
  // A request's own filing goes to its approvers, not news for the requester.
  const requestIdOf = (item: InboxEntry) => {
    const id = z.uuid().safeParse(item.data.requestId);
    return id.success && item.kind !== 'promotion.requested' ? id.data : null;
  };
  const ids = [...new Set(items.map(requestIdOf).filter((id): id is string => id !== null))];
  if (ids.length === 0) return [];
  const own = new Set(
    (
      await getDb().promotionRequest.findMany({
        where: { id: { in: ids }, requesterId: user.id },
        select: { id: true },
      })
    ).map((r) => r.id),
  );
  return items.filter((item) => own.has(requestIdOf(item) ?? ''));
}

/** Live rollouts of these tenants whose latest automatic judgment is a pause (metrics unreadable). */
async function pausedCanaries(tenants: string[]): Promise<PausedCanary[]> {
  const rows = await getDb().rollout.findMany({
    where: {
      state: 'progressing',
      tenant: { name: { in: tenants }, status: 'active' },
      lastJudgment: { path: ['action'], equals: 'pause' },
    },
    select: {
      id: true,
      endpoint: true,
      modelName: true,
      version: true,
      currentPercent: true,
      lastJudgment: true,
      tenant: { select: { name: true } },
    },
    orderBy: { lastCheckedAt: 'desc' },
    take: 100,
  });
  return rows.map((row) => {
    const judgment = storedJudgmentSchema.safeParse(row.lastJudgment);
    return {
      rolloutId: row.id,
      tenant: row.tenant.name,
      endpoint: row.endpoint,
      model: row.modelName,
      version: row.version,
      percent: row.currentPercent,
      reason: judgment.success ? judgment.data.reason : 'metrics could not be read',
      since: judgment.success ? judgment.data.at : null,
    };
  });
}
