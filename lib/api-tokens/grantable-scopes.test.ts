import { describe, expect, it } from 'vitest';
import { TOKEN_SCOPES, type Principal } from '../auth/authorize';
import { grantableScopes } from './service';

const person = (memberships: Principal['memberships'], platformRoles: Principal['platformRoles'] = []): Principal => ({
  id: 'u1',
  platformRoles,
  memberships,
});
const fraud = { name: 'fraud', status: 'active' as const };

describe('grantableScopes (what the token forms offer)', () => {
  it('offers a member the scopes of what a member does, without approving or operating rollouts', () => {
    expect(grantableScopes(person([{ tenant: 'fraud', role: 'member' }]), 'personal', fraud)).toEqual([
      'promotion.request',
      'promotion.read',
      'rollout.read',
      'experiments.read',
      'models.read',
      'quota.read',
    ]);
  });

  it('offers an admin every scope on either kind of token: none of them approves', () => {
    const admin = person([{ tenant: 'fraud', role: 'admin' }]);
    expect(grantableScopes(admin, 'personal', fraud)).toEqual([...TOKEN_SCOPES]);
    expect(grantableScopes(admin, 'service', fraud)).toEqual([...TOKEN_SCOPES]);
  });

  it('offers nothing where no token may be made: a service token to a non-admin, another tenant, an archived one', () => {
    expect(grantableScopes(person([{ tenant: 'fraud', role: 'approver' }]), 'service', fraud)).toEqual([]);
    expect(grantableScopes(person([{ tenant: 'pricing', role: 'admin' }]), 'personal', fraud)).toEqual([]);
    expect(
      grantableScopes(person([{ tenant: 'fraud', role: 'admin' }]), 'personal', { name: 'fraud', status: 'archived' }),
    ).toEqual([]);
  });
});
