/**
 * What waits on a person, for the top of /inbox: the promotion requests they may approve (the
 * same list as /approvals, which the inbox links to) and the canaries whose automatic judgment
 * has paused on endpoints they operate. Reads only; the inbox's own items come from service.ts.
 */
import { can, type TenantStatus } from '../auth/authorize';
import type { SessionUser } from '../auth/users';
import { getDb } from '../db/client';
import { listApprovable } from '../promotion/requests';
import { storedJudgmentSchema } from '../rollout/events';

/** How many waiting approvals the inbox lists before pointing to /approvals. */
export const APPROVALS_SHOWN = 5;

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
}

type VisibleTenant = { name: string; status: TenantStatus };

export async function waitingOnYou(user: SessionUser, tenants: readonly VisibleTenant[]): Promise<WaitingOnYou> {
  const operated = tenants.filter((t) =>
    can(user, 'deployment.operate', { kind: 'tenant', tenant: t.name, status: t.status }),
  );
  const approves = tenants.some((t) =>
    can(user, 'promotion.approve', { kind: 'promotion', tenant: t.name, status: t.status, requesterId: '' }),
  );
  const [approvable, paused] = await Promise.all([
    approves ? listApprovable(user) : Promise.resolve([]),
    operated.length > 0 ? pausedCanaries(operated.map((t) => t.name)) : Promise.resolve([]),
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
  };
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
