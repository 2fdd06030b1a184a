import { describe, expect, it } from 'vitest';
import type { Principal, TenantStatus } from '@/lib/auth/authorize';
import { UserFacingError } from '@/lib/errors';
import type { Finding } from './finding';
import type { UnreadInput } from './gather';
import { checkFilterParam, mayReadFinding, selectFindings } from './view';

const finding = (checkId: Finding['checkId'], tenant: string | null, severity: Finding['severity']): Finding => ({
  checkId,
  severity,
  tenant,
  subject: tenant ? { kind: 'inference-service', name: `${tenant}-scorer` } : { kind: 'platform', name: 'kubernetes' },
  title: `${checkId} in ${tenant ?? 'the platform'}`,
  evidence: [],
  remedy: 'Fix it.',
});

const FINDINGS = [
  finding('version-matrix', null, 'warning'),
  finding('storage-uri-shape', 'fraud', 'critical'),
  finding('artifact-missing', 'pricing', 'critical'),
  finding('admission-guard-missing', 'archived-team', 'critical'),
];
const UNREAD: UnreadInput[] = [
  { tenant: null, source: 'Kubernetes', checks: ['storage-uri-shape', 'rollback-target-cold'], message: 'down' },
  { tenant: 'pricing', source: 'The MLflow runs of pricing', checks: ['pipeline-without-run'], message: 'refused' },
];
const STATUSES = new Map<string, TenantStatus>([
  ['fraud', 'active'],
  ['pricing', 'active'],
  ['archived-team', 'archived'],
]);

const oncall: Principal = { id: 'erin', platformRoles: ['oncall'], memberships: [] };
const member: Principal = { id: 'alice', platformRoles: [], memberships: [{ tenant: 'fraud', role: 'member' }] };
const everything = { tenant: null, check: null };

describe('which findings a viewer may read', () => {
  it('platform roles read every tenant’s and the platform’s own; not an archived tenant’s (it serves nothing)', () => {
    const shown = selectFindings(oncall, { findings: FINDINGS, unread: UNREAD }, STATUSES, everything);
    expect(shown.findings.map((f) => [f.checkId, f.tenant])).toEqual([
      ['version-matrix', null],
      ['storage-uri-shape', 'fraud'],
      ['artifact-missing', 'pricing'],
    ]);
    expect(shown.unread).toEqual(UNREAD);
  });

  it('a tenant member reads only their tenants’ findings, never the platform’s', () => {
    expect(mayReadFinding(member, { tenant: 'fraud' }, STATUSES)).toBe(true);
    expect(mayReadFinding(member, { tenant: 'pricing' }, STATUSES)).toBe(false);
    expect(mayReadFinding(member, { tenant: null }, STATUSES)).toBe(false);
    expect(mayReadFinding(oncall, { tenant: 'no-such-tenant' }, STATUSES)).toBe(false);
    const shown = selectFindings(member, { findings: FINDINGS, unread: UNREAD }, STATUSES, everything);
    expect(shown.findings.map((f) => f.tenant)).toEqual(['fraud']);
    expect(shown.unread).toEqual([]);
  });
});

describe('the page’s filters', () => {
  it('a tenant filter keeps that tenant’s findings and what could not be read for it', () => {
    const shown = selectFindings(oncall, { findings: FINDINGS, unread: UNREAD }, STATUSES, {
      tenant: 'pricing',
      check: null,
    });
    expect(shown.findings.map((f) => f.checkId)).toEqual(['artifact-missing']);
    expect(shown.unread.map((u) => u.source)).toEqual(['Kubernetes', 'The MLflow runs of pricing']);
  });

  it('a check filter keeps that check’s findings; the per-check counts stay those of the tenant filter', () => {
    const shown = selectFindings(oncall, { findings: FINDINGS, unread: UNREAD }, STATUSES, {
      tenant: null,
      check: 'storage-uri-shape',
    });
    expect(shown.findings.map((f) => f.tenant)).toEqual(['fraud']);
    expect(shown.perCheck['artifact-missing']).toBe(1);
    expect(shown.perCheck['storage-uri-shape']).toBe(1);
    expect(shown.perCheck['rollback-target-cold']).toBe(0);
    expect(shown.perSeverity).toEqual({ critical: 1, warning: 0, info: 0 });
    expect(shown.unread.map((u) => u.source)).toEqual(['Kubernetes']);
  });

  it('each finding shown carries its deep link key', () => {
    const [shown] = selectFindings(oncall, { findings: FINDINGS, unread: [] }, STATUSES, {
      tenant: 'fraud',
      check: null,
    }).findings;
    expect(shown!.key).toBe('storage-uri-shape:fraud:inference-service:fraud-scorer');
  });

  it('?check= takes a check’s id, nothing for every check, and refuses anything else in words', () => {
    expect(checkFilterParam('artifact-missing')).toBe('artifact-missing');
    expect(checkFilterParam(['version-matrix', 'x'])).toBe('version-matrix');
    expect(checkFilterParam(undefined)).toBeNull();
    expect(checkFilterParam(' ')).toBeNull();
    expect(() => checkFilterParam('drop-tables')).toThrow(UserFacingError);
    expect(() => checkFilterParam('drop-tables')).toThrow('There is no check “drop-tables”.');
  });
});
