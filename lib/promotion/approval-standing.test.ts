import { describe, expect, it } from 'vitest';
import { approvalStanding, type ApprovalFacts } from './approval-standing';

const filed = new Date('2026-12-01T10:00:00Z');
const facts = (changes: Partial<ApprovalFacts>): ApprovalFacts => ({
  approverName: 'bob',
  approverId: 'b',
  requesterId: 'a',
  tenant: 'fraud',
  requestFiledAt: filed,
  approverSince: new Date('2026-11-01T08:30:00Z'),
  policyChangesSinceFiling: [],
  ...changes,
});

describe('approval standing', () => {
  it('counts an approver of long standing who is not the requester and left the policy alone', () => {
    expect(approvalStanding(facts({}))).toEqual({
      counts: true,
      reason:
        'Counts: bob has been approver in fraud since 2026-11-01 08:30 UTC, before the request was filed, is not the requester and has not changed the policy since.',
    });
  });

  it('does not count the requester, a non-approver, a late approver or one who changed the policy', () => {
    expect(approvalStanding(facts({ approverId: 'a' }))).toMatchObject({
      counts: false,
      reason: 'Does not count: bob filed the request.',
    });
    expect(approvalStanding(facts({ approverSince: null }))).toMatchObject({
      counts: false,
      reason: 'Does not count: bob does not hold the approver role in fraud.',
    });
    expect(approvalStanding(facts({ approverSince: new Date('2026-12-01T10:05:00Z') }))).toEqual({
      counts: false,
      reason:
        'Does not count: bob became approver in fraud on 2026-12-01 10:05 UTC, after the request was filed (2026-12-01 10:00 UTC).',
    });
    expect(
      approvalStanding(
        facts({ policyChangesSinceFiling: [new Date('2026-12-02T09:00:00Z'), new Date('2026-12-01T11:00:00Z')] }),
      ),
    ).toEqual({
      counts: false,
      reason:
        'Does not count: bob changed the promotion policy of fraud on 2026-12-01 11:00 UTC, after the request was filed.',
    });
  });

  it('counts someone who became approver at the very moment of filing', () => {
    expect(approvalStanding(facts({ approverSince: filed })).counts).toBe(true);
  });
});
