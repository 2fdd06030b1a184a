import { describe, expect, it } from 'vitest';
import type { Principal, TenantRole } from '../auth/authorize';
import { recipientsOf, type RecipientContext } from './recipients';

const member = (id: string, role: TenantRole, tenant = 'fraud'): Principal => ({
  id,
  platformRoles: [],
  memberships: [{ tenant, role }],
});
const PEOPLE: Principal[] = [
  member('alice', 'member'),
  member('bob', 'approver'),
  member('carol', 'approver'),
  member('dora', 'admin'),
  member('vic', 'viewer'),
  member('pat', 'admin', 'pricing'),
  { id: 'olga', platformRoles: ['oncall'], memberships: [] },
];
const context = (kind: RecipientContext['kind'], overrides: Partial<RecipientContext> = {}): RecipientContext => ({
  kind,
  tenant: 'fraud',
  tenantStatus: 'active',
  requesterId: 'alice',
  actorId: 'alice',
  ...overrides,
});
const none = new Map<string, 'all' | 'none'>();
const sorted = (ids: string[]) => [...ids].sort();

describe('recipientsOf: who an event concerns by default', () => {
  it('a request goes to those who may approve it, never its requester', () => {
    expect(sorted(recipientsOf(context('promotion.requested'), PEOPLE, none))).toEqual(['bob', 'carol', 'dora']);
    // Bob filed it: he may not approve it, so it is not his to act on.
    expect(
      sorted(recipientsOf(context('promotion.requested', { requesterId: 'bob', actorId: 'bob' }), PEOPLE, none)),
    ).toEqual(['carol', 'dora']);
  });

  it('a decision goes to the requester, not to whoever decided', () => {
    expect(recipientsOf(context('promotion.approved', { actorId: 'bob' }), PEOPLE, none)).toEqual(['alice']);
    expect(recipientsOf(context('promotion.rejected', { actorId: 'bob' }), PEOPLE, none)).toEqual(['alice']);
  });

  it('a rollback or a pause goes to the requester and the tenant members who operate deployments', () => {
    const automatic = context('rollout.rolled_back.automatic', { actorId: null });
    expect(sorted(recipientsOf(automatic, PEOPLE, none))).toEqual(['alice', 'dora']);
    // Dora rolled back herself: she is not told what she did.
    expect(recipientsOf(context('rollout.rolled_back.manual', { actorId: 'dora' }), PEOPLE, none)).toEqual(['alice']);
    expect(sorted(recipientsOf(context('judgment.paused', { actorId: null }), PEOPLE, none))).toEqual([
      'alice',
      'dora',
    ]);
  });

  it('quota goes to the tenant admins; SLO burn to its operators; a test to nobody', () => {
    const system = { requesterId: null, actorId: null };
    expect(recipientsOf(context('quota.gpu_high', system), PEOPLE, none)).toEqual(['dora']);
    expect(recipientsOf(context('slo.fast_burn', system), PEOPLE, none)).toEqual(['dora']);
    expect(recipientsOf(context('test', system), PEOPLE, new Map([['dora', 'all']]))).toEqual([]);
  });

  it('a model’s input drift goes to the tenant’s model owners (approvers and admins), not other tenants', () => {
    const system = { requesterId: null, actorId: null };
    expect(sorted(recipientsOf(context('model.drift', system), PEOPLE, none))).toEqual(['bob', 'carol', 'dora']);
  });
});

describe('recipientsOf: subscriptions', () => {
  it('`all` adds someone the event does not concern, if they may read it; `none` takes anyone out', () => {
    const choices = new Map<string, 'all' | 'none'>([
      ['vic', 'all'],
      ['olga', 'all'],
      ['pat', 'all'],
      ['dora', 'none'],
    ]);
    const ids = sorted(recipientsOf(context('rollout.rolled_back.automatic', { actorId: null }), PEOPLE, choices));
    // Vic (viewer) and Olga (on-call, no membership) may read deployments; Pat is of another tenant.
    expect(ids).toEqual(['alice', 'olga', 'vic']);
  });

  it('never reaches anyone through an archived tenant but a platform admin who asked', () => {
    const archived = context('promotion.requested', { tenantStatus: 'archived' });
    expect(recipientsOf(archived, PEOPLE, none)).toEqual([]);
  });

  it('never reaches a token', () => {
    const token: Principal = {
      id: 'svc',
      platformRoles: [],
      memberships: [],
      token: { id: 't', kind: 'service', tenant: 'fraud', scopes: ['promotion.read'] },
    };
    expect(
      recipientsOf(context('promotion.approved', { requesterId: 'svc' }), [token], new Map([['svc', 'all']])),
    ).toEqual([]);
  });
});
