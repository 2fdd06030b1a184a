import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { syncUserFromClaims } from '../auth/users';
import { listAuditEvents } from '../audit/log';
import { getDb } from '../db/client';
import { UserFacingError } from '../errors';
import { userActor } from '../integrations/kubernetes';
import type { ProvisioningContext, ProvisioningStep } from './provisioning';
import { RUN_LEASE_MS } from './progress';
import {
  addMembership,
  archiveTenant,
  changeMembershipRole,
  createTenant,
  listMembers,
  listTenants,
  listTenantsWithProgress,
  provisionTenant,
  removeMembership,
  tenantProgress,
} from './service';

let database: TestDatabase;
const frank = { name: 'frank' };
const mapping = { groupsClaim: 'groups', mapping: { tenantGroupPattern: 'mlp:{tenant}:{role}', platformGroups: {} } };
const none = { steps: [] };

/** A step that records what it was asked to do, and fails while `fail()` says so. */
function fakeStep(key: string, log: string[], fail: () => string | null = () => null): ProvisioningStep {
  return {
    key,
    title: `Step ${key}`,
    async provision(tenant) {
      log.push(`provision ${key}`);
      const problem = fail();
      if (problem) throw new Error(problem);
      return `${key} ready for ${tenant.name}`;
    },
    async archive() {
      log.push(`archive ${key}`);
      const problem = fail();
      if (problem) throw new Error(problem);
      return `${key} archived`;
    },
  };
}

beforeAll(async () => {
  database = await useTestDatabase();
  await createTenant(frank, { name: 'fraud', displayName: 'Fraud', description: '' }, none);
  await syncUserFromClaims(
    { sub: 'carol', preferred_username: 'carol', email: 'carol@example.test', groups: [] },
    mapping,
  );
  await syncUserFromClaims({ sub: 'alice', preferred_username: 'alice', groups: ['mlp:fraud:member'] }, mapping);
});
afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

describe('tenants', () => {
  it('creates an active tenant, audited', async () => {
    const tenants = await listTenants();
    expect(tenants.find((t) => t.name === 'fraud')).toMatchObject({ status: 'active', memberCount: 1 });
    const { events } = await listAuditEvents({ tenant: 'fraud', action: 'tenant.', limit: 10 });
    expect(events.map((e) => e.action).sort()).toEqual(['tenant.create', 'tenant.provision']);
  });

  it('refuses a duplicate name and changes nothing', async () => {
    const before = await listAuditEvents({ limit: 100 });
    await expect(createTenant(frank, { name: 'fraud', displayName: 'Again', description: '' }, none)).rejects.toThrow(
      'A tenant named "fraud" already exists',
    );
    expect((await listTenants()).filter((t) => t.name === 'fraud')).toHaveLength(1);
    expect((await listAuditEvents({ limit: 100 })).events).toHaveLength(before.events.length);
  });

  it('runs every step in order as the given Kubernetes identity with the asked quota, recording each one', async () => {
    const contexts: ProvisioningContext[] = [];
    const steps = ['namespace', 'quota', 'bindings'].map((key): ProvisioningStep => ({
      key,
      title: key,
      provision: async (_tenant, context) => void contexts.push(context),
      archive: async () => {},
    }));
    const kube = userActor('frank', ['mlp:platform-admins']);
    const quota = { gpus: 2, cpu: '16', memory: null };
    const tenant = await createTenant(
      frank,
      { name: 'vision', displayName: 'Vision', description: '', quota },
      { steps, kube },
    );
    expect(tenant.status).toBe('active');
    expect(contexts).toEqual([
      { kube, quota },
      { kube, quota },
      { kube, quota },
    ]);
    const listed = (await listTenantsWithProgress(steps)).find((t) => t.name === 'vision')!;
    expect(listed.quotaRequest).toEqual(quota);
    expect(listed.progress).toMatchObject({ operation: 'provision', running: false, interrupted: false });
    expect(listed.progress.steps.map((s) => [s.key, s.state])).toEqual([
      ['namespace', 'done'],
      ['quota', 'done'],
      ['bindings', 'done'],
    ]);
    const { events } = await listAuditEvents({ tenant: 'vision', action: 'tenant.create', limit: 1 });
    expect(events[0]!.after).toMatchObject({ quota });
  });

  it('refuses bad input found by a step’s preflight before anything is written', async () => {
    const before = await listAuditEvents({ limit: 100 });
    const provisioned: string[] = [];
    const step: ProvisioningStep = {
      ...fakeStep('namespace', provisioned),
      preflight: async () => {
        throw new UserFacingError(
          'A Kubernetes namespace named "taken" already exists and was not created by the portal',
          'name',
        );
      },
    };
    await expect(
      createTenant(frank, { name: 'taken', displayName: 'Taken', description: '' }, { steps: [step] }),
    ).rejects.toThrow(/was not created by the portal/);
    expect(provisioned).toEqual([]);
    expect((await listTenants({ includeArchived: true })).find((t) => t.name === 'taken')).toBeUndefined();
    expect((await listAuditEvents({ limit: 100 })).events).toHaveLength(before.events.length);
  });

  it('marks a tenant incomplete at the failing step, shows each step’s state, and Retry runs only the remaining steps', async () => {
    const calls: string[] = [];
    let failQuota: string | null = 'the API server refused';
    const steps = [
      fakeStep('namespace', calls),
      fakeStep('quota', calls, () => failQuota),
      fakeStep('bindings', calls),
    ];
    const tenant = await createTenant(frank, { name: 'pricing', displayName: 'Pricing', description: '' }, { steps });
    expect(tenant).toMatchObject({ status: 'incomplete', provisioningError: 'Step quota: the API server refused' });
    expect(calls).toEqual(['provision namespace', 'provision quota']);
    const progress = (await tenantProgress('pricing', steps))!;
    expect(progress.steps.map((s) => [s.key, s.state, s.error])).toEqual([
      ['namespace', 'done', null],
      ['quota', 'failed', 'the API server refused'],
      ['bindings', 'pending', null],
    ]);
    expect(progress.steps[0]!.detail).toBe('namespace ready for pricing');

    failQuota = null;
    calls.length = 0;
    expect(await provisionTenant(frank, 'pricing', { steps })).toMatchObject({
      status: 'active',
      provisioningError: null,
    });
    expect(calls).toEqual(['provision quota', 'provision bindings']);
    expect((await tenantProgress('pricing', steps))!.steps.every((s) => s.state === 'done')).toBe(true);
    const { events } = await listAuditEvents({ tenant: 'pricing', action: 'tenant.provision', limit: 10 });
    expect(events.map((e) => e.outcome)).toEqual(['success', 'failed']);
    expect(events[1]!.reason).toBe('Step quota: the API server refused');
  });

  it('lets one run at a time act on a tenant, and takes over a run interrupted by a restart', async () => {
    const calls: string[] = [];
    const steps = [fakeStep('namespace', calls), fakeStep('quota', calls, () => 'down')];
    await createTenant(frank, { name: 'forecast', displayName: 'Forecast', description: '' }, { steps });
    const tenant = (await getDb().tenant.findUnique({ where: { name: 'forecast' } }))!;

    // Another admin's retry is under way (the lease is fresh): a second one is refused.
    await getDb().tenant.update({ where: { id: tenant.id }, data: { runStartedAt: new Date() } });
    await expect(provisionTenant(frank, 'forecast', { steps })).rejects.toThrow(
      'is being provisioned or archived right now',
    );
    await expect(archiveTenant(frank, 'forecast', { steps })).rejects.toThrow(
      'is being provisioned or archived right now',
    );

    // That run died mid-step (a restart): the step shows as interrupted, and Retry takes over.
    const stale = new Date(Date.now() - RUN_LEASE_MS - 1000);
    await getDb().tenant.update({ where: { id: tenant.id }, data: { runStartedAt: stale, status: 'provisioning' } });
    await getDb().tenantProvisioningStep.update({
      where: { tenantId_step: { tenantId: tenant.id, step: 'quota' } },
      data: { state: 'running', error: null },
    });
    const progress = (await tenantProgress('forecast', steps))!;
    expect(progress).toMatchObject({ running: false, interrupted: true });
    expect(progress.steps[1]).toMatchObject({ state: 'failed', error: expect.stringMatching(/Interrupted/) });

    steps[1] = fakeStep('quota', calls);
    expect((await provisionTenant(frank, 'forecast', { steps })).status).toBe('active');
  });

  it('archives on every system in reverse order, keeping the record', async () => {
    const order: string[] = [];
    const steps = [fakeStep('namespace', order), fakeStep('quota', order)];
    await createTenant(frank, { name: 'old', displayName: 'Old', description: '' }, { steps });
    order.length = 0;
    expect((await archiveTenant(frank, 'old', { steps })).status).toBe('archived');
    expect(order).toEqual(['archive quota', 'archive namespace']);
    const archived = (await listTenantsWithProgress(steps)).find((t) => t.name === 'old')!;
    expect(archived.status).toBe('archived');
    expect(archived.progress.operation).toBe('archive');
    expect(archived.progress.steps.map((s) => [s.key, s.state, s.detail])).toEqual([
      ['quota', 'done', 'quota archived'],
      ['namespace', 'done', 'namespace archived'],
    ]);
    expect((await listTenants()).find((t) => t.name === 'old')).toBeUndefined();
    await expect(archiveTenant(frank, 'old', { steps })).rejects.toThrow('already archived');
    await expect(addMembership(frank, 'old', 'carol', 'member')).rejects.toThrow('archived');
  });

  it('stops archiving at a failing step, names it, and Retry finishes the archiving (not provisioning)', async () => {
    const calls: string[] = [];
    let failing = true;
    const steps = [
      fakeStep('namespace', calls),
      fakeStep('quota', calls, () => (failing && calls.at(-1)?.startsWith('archive') ? 'quota is locked' : null)),
      fakeStep('bindings', calls),
    ];
    await createTenant(frank, { name: 'legacy', displayName: 'Legacy', description: '' }, { steps });
    calls.length = 0;
    const stopped = await archiveTenant(frank, 'legacy', { steps });
    expect(stopped).toMatchObject({
      status: 'incomplete',
      provisioningError: 'Archiving stopped at Step quota: quota is locked',
    });
    expect(calls).toEqual(['archive bindings', 'archive quota']);

    failing = false;
    calls.length = 0;
    expect((await provisionTenant(frank, 'legacy', { steps })).status).toBe('archived');
    expect(calls).toEqual(['archive quota', 'archive namespace']);
    const { events } = await listAuditEvents({ tenant: 'legacy', action: 'tenant.archive', limit: 10 });
    expect(events.map((e) => e.outcome)).toEqual(['success', 'failed']);
  });
});

describe('memberships', () => {
  it('adds, changes and removes portal memberships, each audited with before and after', async () => {
    await addMembership(frank, 'fraud', 'carol@EXAMPLE.test', 'viewer');
    await changeMembershipRole(frank, 'fraud', 'carol', 'approver');
    expect((await listMembers('fraud')).find((m) => m.username === 'carol')).toMatchObject({
      role: 'approver',
      source: 'portal',
    });
    await removeMembership(frank, 'fraud', 'carol');
    expect((await listMembers('fraud')).map((m) => m.username)).toEqual(['alice']);

    const { events } = await listAuditEvents({ tenant: 'fraud', action: 'membership.', limit: 10 });
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      ['membership.remove', { user: 'carol', role: 'approver' }, null],
      ['membership.change-role', { role: 'viewer' }, { role: 'approver' }],
      ['membership.add', null, { user: 'carol', role: 'viewer' }],
    ]);
  });

  it('refuses unknown users, duplicates and IdP-managed memberships with clear messages', async () => {
    await expect(addMembership(frank, 'fraud', 'nobody', 'member')).rejects.toThrow('No user "nobody" is known');
    await expect(addMembership(frank, 'fraud', 'alice', 'admin')).rejects.toThrow('alice is already member of fraud');
    await expect(changeMembershipRole(frank, 'fraud', 'alice', 'admin')).rejects.toThrow(
      /comes from an identity-provider group/,
    );
    await expect(removeMembership(frank, 'fraud', 'alice')).rejects.toThrow(/comes from an identity-provider group/);
    await expect(addMembership(frank, 'nowhere', 'carol', 'member')).rejects.toThrow(
      'There is no tenant named "nowhere"',
    );
    expect((await listMembers('fraud')).map((m) => [m.username, m.role])).toEqual([['alice', 'member']]);
  });
});
