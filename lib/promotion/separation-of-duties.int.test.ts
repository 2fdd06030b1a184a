/**
 * Separation of duties against the portal's real PostgreSQL: nobody changes their own
 * membership, an approval counts only from someone who was approver before the request was filed
 * and has not changed the policy since, and a change that weakens a gate waits for a second admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { can } from '../auth/authorize';
import { loadSessionUser } from '../auth/users';
import { getDb } from '../db/client';
import { addMembership, changeMembershipRole, removeMembership } from '../tenancy/service';
import { DEFAULT_POLICY } from './policy';
import { acceptPolicyProposal, getPolicy, listPolicyProposals, rejectPolicyProposal, savePolicy } from './policy-store';
import { decidePromotion } from './requests';

let database: TestDatabase;
let tenantId = '';
const people: Record<string, { id: string; name: string }> = {};

async function person(name: string, platformRoles: ('platform_admin' | 'oncall' | 'manager')[] = []) {
  const row = await getDb().user.create({ data: { subject: `sub-${name}`, username: name, platformRoles } });
  people[name] = { id: row.id, name };
  return people[name]!;
}

/** A pending request as createPromotionRequest files it (its gates come from MLflow; not needed here). */
async function fileRequest(requester: { id: string; name: string }, version: string, requiredApprovals = 1) {
  return getDb().promotionRequest.create({
    data: {
      tenantId,
      modelName: 'fraud-model',
      version,
      runId: 'a'.repeat(32),
      storageUri: 's3://mlflow/1/abc/artifacts/model',
      endpoint: 'fraud-detector',
      requesterId: requester.id,
      requesterName: requester.name,
      notes: 'n',
      modelCardUrl: 'https://wiki.example.com/card',
      gates: [],
      policy: DEFAULT_POLICY as object,
      requiredApprovals,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
}

beforeAll(async () => {
  database = await useTestDatabase();
  tenantId = (await getDb().tenant.create({ data: { name: 'fraud', displayName: 'Fraud', status: 'active' } })).id;
  await person('frank', ['platform_admin']);
  await person('gina', ['platform_admin']);
  for (const name of ['alice', 'bob', 'tom', 'nina', 'paula']) await person(name);
  await addMembership(people.frank!, 'fraud', 'alice', 'member');
  await addMembership(people.frank!, 'fraud', 'bob', 'approver');
  await addMembership(people.frank!, 'fraud', 'tom', 'admin');
  await addMembership(people.frank!, 'fraud', 'paula', 'approver');
});

afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

describe('nobody changes their own membership', () => {
  it('refuses a platform admin granting himself the approver role, and changes nothing', async () => {
    await expect(addMembership(people.frank!, 'fraud', 'frank', 'approver')).rejects.toThrow(
      'You cannot change your own membership: another admin of the tenant or a platform admin must do it.',
    );
    expect(await getDb().membership.count({ where: { userId: people.frank!.id } })).toBe(0);
  });

  it('refuses a tenant admin raising, lowering or removing their own role', async () => {
    await expect(changeMembershipRole(people.tom!, 'fraud', 'tom', 'approver')).rejects.toThrow(
      'You cannot change your own membership',
    );
    await expect(removeMembership(people.tom!, 'fraud', 'tom')).rejects.toThrow(
      'You cannot change your own membership',
    );
    expect((await getDb().membership.findFirstOrThrow({ where: { userId: people.tom!.id } })).role).toBe('admin');
  });

  it('gives platform admins no approver rights by being platform admins', async () => {
    const frank = (await loadSessionUser(people.frank!.id))!;
    expect(frank.platformRoles).toEqual(['platform-admin']);
    expect(
      can(frank, 'promotion.approve', {
        kind: 'promotion',
        tenant: 'fraud',
        status: 'active',
        requesterId: people.alice!.id,
      }),
    ).toBe(false);
  });
});

describe('which approvals count', () => {
  it('counts an approval from someone who was approver before the request was filed', async () => {
    const request = await fileRequest(people.alice!, '11');
    const outcome = await decidePromotion(people.bob!, 'fraud', request.id, { decision: 'approve', comment: '' });
    expect(outcome).toMatchObject({ finallyApproved: true, status: 'deploying', counts: true });
    expect(outcome.standing).toMatch(/^Counts: bob has been approver in fraud since .* before the request was filed/);
    const row = await getDb().promotionRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row.status).toBe('deploying');
  });

  it('records but does not count an approval from someone made approver after the request was filed', async () => {
    const request = await fileRequest(people.alice!, '12');
    await addMembership(people.frank!, 'fraud', 'nina', 'approver');
    const outcome = await decidePromotion(people.nina!, 'fraud', request.id, {
      decision: 'approve',
      comment: 'looks good',
    });
    expect(outcome).toMatchObject({ finallyApproved: false, status: 'pending', counts: false });
    expect(outcome.standing).toMatch(
      /^Does not count: nina became approver in fraud on .*, after the request was filed/,
    );
    const approval = await getDb().approval.findFirstOrThrow({ where: { requestId: request.id } });
    expect(approval).toMatchObject({ counts: false, standing: outcome.standing });
    expect((await getDb().promotionRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('pending');
    const audit = await getDb().auditEvent.findFirstOrThrow({
      where: { action: 'promotion.approve', targetId: request.id },
    });
    expect(audit.after).toMatchObject({ counts: false, approvals: 0, status: 'pending' });
  });

  it('keeps the approver time across a raise to admin and restarts it after a drop below approver', async () => {
    const before = (await getDb().membership.findFirstOrThrow({ where: { userId: people.nina!.id } })).approverSince!;
    await changeMembershipRole(people.tom!, 'fraud', 'nina', 'admin');
    expect((await getDb().membership.findFirstOrThrow({ where: { userId: people.nina!.id } })).approverSince).toEqual(
      before,
    );
    await changeMembershipRole(people.tom!, 'fraud', 'nina', 'member');
    expect(
      (await getDb().membership.findFirstOrThrow({ where: { userId: people.nina!.id } })).approverSince,
    ).toBeNull();
    await changeMembershipRole(people.tom!, 'fraud', 'nina', 'approver');
    expect(
      (await getDb().membership.findFirstOrThrow({ where: { userId: people.nina!.id } })).approverSince!.getTime(),
    ).toBeGreaterThan(before.getTime());
  });

  it('does not count an approval from an approver who changed the policy after the request was filed', async () => {
    const request = await fileRequest(people.alice!, '13');
    await addMembership(people.frank!, 'fraud', 'paula', 'admin').catch(() =>
      changeMembershipRole(people.frank!, 'fraud', 'paula', 'admin'),
    );
    const { version, policy } = await getPolicy('fraud');
    // A strengthening change applies at once — and still disqualifies her approval of a request filed before it.
    expect(
      (await savePolicy(people.paula!, 'fraud', { ...policy, bakeMinutes: policy.bakeMinutes + 5 }, version)).kind,
    ).toBe('applied');
    const outcome = await decidePromotion(people.paula!, 'fraud', request.id, { decision: 'approve', comment: '' });
    expect(outcome).toMatchObject({ counts: false, status: 'pending' });
    expect(outcome.standing).toMatch(
      /^Does not count: paula changed the promotion policy of fraud on .*, after the request was filed\.$/,
    );
  });

  it('still refuses the requester outright', async () => {
    const request = await fileRequest(people.bob!, '14');
    await expect(
      decidePromotion(people.bob!, 'fraud', request.id, { decision: 'approve', comment: '' }),
    ).rejects.toThrow('You cannot approve or reject your own request.');
    expect(await getDb().approval.count({ where: { requestId: request.id } })).toBe(0);
  });
});

describe('weakening the policy takes two admins', () => {
  it('applies a strengthening change at once', async () => {
    const { version, policy } = await getPolicy('fraud');
    const outcome = await savePolicy(people.tom!, 'fraud', { ...policy, requiredApprovals: 2 }, version);
    expect(outcome).toMatchObject({
      kind: 'applied',
      stored: { version: version + 1, policy: { requiredApprovals: 2 } },
    });
  });

  it('turns a weakening change into a proposal that leaves the policy as it was', async () => {
    const { version, policy } = await getPolicy('fraud');
    const weaker = {
      ...policy,
      requiredApprovals: 1,
      regressionTolerance: 0.1,
      thresholds: policy.thresholds.slice(1),
      requireModelCard: false,
    };
    const outcome = await savePolicy(people.tom!, 'fraud', weaker, version);
    expect(outcome.kind).toBe('proposed');
    if (outcome.kind !== 'proposed') return;
    expect(outcome.weakenings).toEqual([
      'fewer approvals (2 → 1)',
      'threshold removed (holdout_auc >= 0.85)',
      'larger regression tolerance (−0.02 → −0.1)',
      'model card no longer required',
    ]);
    expect(await getPolicy('fraud')).toMatchObject({ version, policy: { requiredApprovals: 2 } });
    expect(await listPolicyProposals('fraud')).toMatchObject([
      { id: outcome.proposalId, proposerName: 'tom', baseVersion: version },
    ]);
    expect(await getDb().auditEvent.count({ where: { action: 'policy.propose', targetId: outcome.proposalId } })).toBe(
      1,
    );
  });

  it('refuses the proposer accepting their own proposal; a platform admin accepts it', async () => {
    const [proposal] = await listPolicyProposals('fraud');
    await expect(acceptPolicyProposal(people.tom!, 'fraud', proposal!.id)).rejects.toThrow(
      'You proposed this change, so you cannot accept it',
    );
    const { version } = await getPolicy('fraud');
    const stored = await acceptPolicyProposal(people.gina!, 'fraud', proposal!.id);
    expect(stored).toMatchObject({
      version: version + 1,
      policy: { requiredApprovals: 1, regressionTolerance: 0.1, requireModelCard: false },
    });
    expect(await getDb().policyChange.findUniqueOrThrow({ where: { id: proposal!.id } })).toMatchObject({
      status: 'accepted',
      decidedByName: 'gina',
      appliedVersion: version + 1,
    });
    await expect(acceptPolicyProposal(people.gina!, 'fraud', proposal!.id)).rejects.toThrow(
      'This proposal is already accepted; nothing was changed.',
    );
  });

  it('supersedes a proposal when the policy moves on before it is accepted', async () => {
    const first = await getPolicy('fraud');
    const proposed = await savePolicy(people.tom!, 'fraud', { ...first.policy, bakeMinutes: 1 }, first.version);
    expect(proposed.kind).toBe('proposed');
    await savePolicy(people.frank!, 'fraud', { ...first.policy, requiredApprovals: 3 }, first.version);
    if (proposed.kind !== 'proposed') return;
    await expect(acceptPolicyProposal(people.gina!, 'fraud', proposed.proposalId)).rejects.toThrow(
      'This proposal is already superseded',
    );
    expect((await getPolicy('fraud')).policy.bakeMinutes).toBe(first.policy.bakeMinutes);
  });

  it('lets the proposer withdraw and another admin reject', async () => {
    const { version, policy } = await getPolicy('fraud');
    const a = await savePolicy(people.tom!, 'fraud', { ...policy, requireNotes: false }, version);
    const b = await savePolicy(people.frank!, 'fraud', { ...policy, maxP99Ms: policy.maxP99Ms * 2 }, version);
    if (a.kind !== 'proposed' || b.kind !== 'proposed') throw new Error('both should be proposals');
    await rejectPolicyProposal(people.tom!, 'fraud', a.proposalId, '');
    await rejectPolicyProposal(people.tom!, 'fraud', b.proposalId, 'p99 matters');
    expect(await listPolicyProposals('fraud')).toEqual([]);
    expect(
      (
        await getDb().auditEvent.findMany({
          where: { tenant: 'fraud', action: { in: ['policy.withdraw', 'policy.reject'] } },
          orderBy: { id: 'asc' },
        })
      ).map((e) => e.action),
    ).toEqual(['policy.withdraw', 'policy.reject']);
    expect(await getPolicy('fraud')).toMatchObject({ version, policy });
  });
});
