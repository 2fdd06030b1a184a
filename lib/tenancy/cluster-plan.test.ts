import { describe, expect, it } from 'vitest';
import {
  activeNamespaceLabels,
  archivedNamespaceLabels,
  bindingWithGroup,
  bindingWithoutGroup,
  namespaceProblem,
  roleRefProblem,
  TENANT_ROLE_BINDINGS,
  tenantGroup,
  type BindingFacts,
} from './cluster-plan';

const portalLabels = { 'mlp.example.com/tenant': 'vision', 'mlp.example.com/managed-by': 'ml-platform-portal' };

describe('whose namespace it is', () => {
  it('uses a namespace the portal made for this tenant', () => {
    expect(namespaceProblem({ name: 'vision', labels: portalLabels, phase: 'Active' }, 'vision')).toBeNull();
    expect(
      namespaceProblem({ name: 'vision', labels: { ...portalLabels, 'mlp.example.com/archived': 'true' } }, 'vision'),
    ).toBeNull();
  });

  it.each([
    ['no labels', {}],
    ['only the tenant label', { 'mlp.example.com/tenant': 'vision' }],
    ['only the managed-by label (a platform namespace)', { 'mlp.example.com/managed-by': 'ml-platform-portal' }],
    ['another tool', { ...portalLabels, 'mlp.example.com/managed-by': 'helm' }],
  ])('never takes over one it did not make: %s', (_case, labels) => {
    expect(namespaceProblem({ name: 'vision', labels }, 'vision')).toMatch(
      /already exists and was not created by the portal for this tenant\. Choose another name/,
    );
  });

  it('names the tenant a namespace belongs to, and refuses one being deleted', () => {
    expect(
      namespaceProblem({ name: 'vision', labels: { ...portalLabels, 'mlp.example.com/tenant': 'fraud' } }, 'vision'),
    ).toMatch(/belongs to tenant "fraud"/);
    expect(namespaceProblem({ name: 'vision', labels: portalLabels, phase: 'Terminating' }, 'vision')).toMatch(
      /is being deleted/,
    );
    expect(
      namespaceProblem({ name: 'vision', labels: portalLabels, deletionTimestamp: '2026-01-01T00:00:00Z' }, 'vision'),
    ).toMatch(/is being deleted/);
  });

  it('labels changes only when needed (idempotent)', () => {
    expect(activeNamespaceLabels(portalLabels, 'vision')).toBeNull();
    expect(
      activeNamespaceLabels({ ...portalLabels, 'mlp.example.com/archived': 'true', team: 'cv' }, 'vision'),
    ).toEqual({ ...portalLabels, team: 'cv' });
    const archived = archivedNamespaceLabels(portalLabels)!;
    expect(archived).toEqual({ ...portalLabels, 'mlp.example.com/archived': 'true' });
    expect(archivedNamespaceLabels(archived)).toBeNull();
  });
});

describe('role bindings', () => {
  const binding = (
    subjects: BindingFacts['subjects'],
    annotations: Record<string, string> = {},
    labels: Record<string, string> = { 'mlp.example.com/managed-by': 'ml-platform-portal' },
  ): BindingFacts => ({
    metadata: { name: 'mlp-member', labels, annotations },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects,
  });
  const group = (name: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
  const member = TENANT_ROLE_BINDINGS.find((b) => b.role === 'member')!;

  it('binds each tenant role’s IdP group to the seeder’s ClusterRoles', () => {
    expect(TENANT_ROLE_BINDINGS.map((b) => [b.name, b.clusterRole])).toEqual([
      ['mlp-viewer', 'view'],
      ['mlp-member', 'edit'],
      ['mlp-approver', 'edit'],
      ['mlp-admin', 'admin'],
    ]);
    expect(tenantGroup('mlp:{tenant}:{role}', 'vision', 'approver')).toBe('mlp:vision:approver');
    expect(tenantGroup('/ml/{tenant}/{role}', 'vision', 'admin')).toBe('/ml/vision/admin');
  });

  it('adds the group once, keeping other subjects, and then has nothing to do', () => {
    const other = { kind: 'ServiceAccount', name: 'ci', namespace: 'vision' };
    const added = bindingWithGroup(binding([other]), 'mlp:vision:member')!;
    expect(added.subjects).toEqual([other, group('mlp:vision:member')]);
    expect(bindingWithGroup(added, 'mlp:vision:member')).toBeNull();
    expect(
      bindingWithGroup(binding([group('mlp:vision:member')], {}, {}), 'mlp:vision:member')?.metadata.labels,
    ).toEqual({ 'mlp.example.com/managed-by': 'ml-platform-portal' });
  });

  it('archiving takes the group out and keeps the binding; provisioning puts it back', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const archived = bindingWithoutGroup(binding([group('mlp:vision:member')]), 'mlp:vision:member', now)!;
    expect(archived.subjects).toEqual([]);
    expect(archived.metadata.annotations['mlp.example.com/archived-at']).toBe('2026-11-23T10:00:00.000Z');
    expect(bindingWithoutGroup(archived, 'mlp:vision:member', new Date())).toBeNull();
    const restored = bindingWithGroup(archived, 'mlp:vision:member')!;
    expect(restored.subjects).toEqual([group('mlp:vision:member')]);
    expect(restored.metadata.annotations).toEqual({});
  });

  it('refuses a binding of the same name to another role (roleRef cannot change)', () => {
    expect(roleRefProblem(binding([]), member, 'vision')).toBeNull();
    const wrong = {
      ...binding([]),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    };
    expect(roleRefProblem(wrong, member, 'vision')).toMatch(
      /RoleBinding vision\/mlp-member already exists and binds ClusterRole cluster-admin, not ClusterRole edit/,
    );
  });
});
