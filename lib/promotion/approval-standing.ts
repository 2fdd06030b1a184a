/**
 * Whether one approval counts towards a promotion request (separation of duties), as a pure
 * function of the facts recorded when it was given. An approval counts only from someone who
 * held the approver role in the tenant before the request was filed, is not the requester, and
 * has not changed the tenant's policy since the request was filed.
 */
import { formatTime } from '../format';

export interface ApprovalFacts {
  approverName: string;
  approverId: string;
  requesterId: string;
  tenant: string;
  requestFiledAt: Date;
  /** Since when the approver has held the approver role (or above) in the tenant; null if not now. */
  approverSince: Date | null;
  /** When the approver proposed, applied, accepted or rejected a change of the tenant's policy, since the request was filed. */
  policyChangesSinceFiling: readonly Date[];
}

export interface ApprovalStanding {
  counts: boolean;
  /** Why, in words, for the request page and the audit log. */
  reason: string;
}

export function approvalStanding(facts: ApprovalFacts): ApprovalStanding {
  if (facts.approverId === facts.requesterId) {
    return { counts: false, reason: `Does not count: ${facts.approverName} filed the request.` };
  }
  if (facts.approverSince === null) {
    return {
      counts: false,
      reason: `Does not count: ${facts.approverName} does not hold the approver role in ${facts.tenant}.`,
    };
  }
  if (facts.approverSince.getTime() > facts.requestFiledAt.getTime()) {
    return {
      counts: false,
      reason: `Does not count: ${facts.approverName} became approver in ${facts.tenant} on ${formatTime(facts.approverSince)}, after the request was filed (${formatTime(facts.requestFiledAt)}).`,
    };
  }
  if (facts.policyChangesSinceFiling.length > 0) {
    const first = facts.policyChangesSinceFiling.reduce((a, b) => (a.getTime() <= b.getTime() ? a : b));
    return {
      counts: false,
      reason: `Does not count: ${facts.approverName} changed the promotion policy of ${facts.tenant} on ${formatTime(first)}, after the request was filed.`,
    };
  }
  return {
    counts: true,
    reason: `Counts: ${facts.approverName} has been approver in ${facts.tenant} since ${formatTime(facts.approverSince)}, before the request was filed, is not the requester and has not changed the policy since.`,
  };
}
