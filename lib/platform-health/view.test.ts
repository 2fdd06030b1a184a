import { describe, expect, it } from 'vitest';
import type { Principal, TenantStatus } from '@/lib/auth/authorize';
import { UserFacingError } from '@/lib/errors';
import type { Finding } from './finding';
import type { UnreadInput } from './gather';
import {
  checkFilterParam,
  findingsAt,
  HEALTH_PAGE_SIZE,
  mayReadFinding,
  platformHealthHref,
  selectFindings,
  severityCounts,
  severityCountsInWords,
  unreadAt,
} from './view';

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

  it('shows the findings in pages of HEALTH_PAGE_SIZE, worst first; the counts are of every page', () => {
    const many = Array.from({ length: HEALTH_PAGE_SIZE * 2 + 3 }, (_, i) =>
      finding('storage-uri-shape', 'fraud', i < 5 ? 'critical' : 'warning'),
    ).map((f, i) => ({ ...f, subject: { ...f.subject, name: `endpoint-${i}` } }));
    const first = selectFindings(oncall, { findings: many, unread: [] }, STATUSES, everything);
    expect(first).toMatchObject({ page: 1, pageCount: 3, total: many.length });
    expect(first.findings).toHaveLength(HEALTH_PAGE_SIZE);
    expect(first.findings[0]!.subject.name).toBe('endpoint-0');
    expect(first.perSeverity).toEqual({ critical: 5, warning: many.length - 5, info: 0 });
    const last = selectFindings(oncall, { findings: many, unread: [] }, STATUSES, { ...everything, page: 3 });
    expect(last.findings.map((f) => f.subject.name)).toEqual(['endpoint-100', 'endpoint-101', 'endpoint-102']);
    // A page beyond the last reads as the last; nonsense as the first.
    expect(selectFindings(oncall, { findings: many, unread: [] }, STATUSES, { ...everything, page: 99 }).page).toBe(3);
    expect(
      selectFindings(oncall, { findings: many, unread: [] }, STATUSES, { ...everything, page: Number.NaN }).page,
    ).toBe(1);
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

describe('the findings a tenant, endpoint or model version page shows', () => {
  const unsigned: Finding = {
    ...finding('signature-missing-under-enforcement', 'fraud', 'warning'),
    subject: { kind: 'model-version', name: 'fraud-model', version: '4' },
    concerns: { endpoints: ['fraud-scorer', 'fraud-shadow'] },
  };
  const missing: Finding = {
    ...finding('artifact-missing', 'fraud', 'critical'),
    subject: { kind: 'inference-service', name: 'fraud-batch', revision: 'stable' },
    concerns: { modelVersions: [{ name: 'fraud-model', version: '3' }] },
  };
  const guard: Finding = {
    ...finding('admission-guard-missing', 'fraud', 'critical'),
    subject: { kind: 'namespace', name: 'fraud' },
  };
  const all = [FINDINGS[0]!, FINDINGS[1]!, missing, guard, unsigned, FINDINGS[2]!];
  const keysAt = (place: Parameters<typeof findingsAt>[1]) => findingsAt(all, place).map((f) => f.key);

  it('a tenant page shows every finding of the tenant, none of another tenant or of the platform', () => {
    expect(findingsAt(all, { kind: 'tenant', tenant: 'fraud' }).map((f) => f.checkId)).toEqual([
      'storage-uri-shape',
      'artifact-missing',
      'admission-guard-missing',
      'signature-missing-under-enforcement',
    ]);
  });

  it('an endpoint page shows the findings about it and about the model version it serves', () => {
    expect(keysAt({ kind: 'endpoint', tenant: 'fraud', endpoint: 'fraud-scorer' })).toEqual([
      'storage-uri-shape:fraud:inference-service:fraud-scorer',
      'signature-missing-under-enforcement:fraud:model-version:fraud-model:v4',
    ]);
    expect(keysAt({ kind: 'endpoint', tenant: 'fraud', endpoint: 'fraud-shadow' })).toHaveLength(1);
    expect(keysAt({ kind: 'endpoint', tenant: 'pricing', endpoint: 'fraud-scorer' })).toEqual([]);
  });

  it('a model version page shows its own findings and those of the endpoint revisions serving it', () => {
    expect(keysAt({ kind: 'model-version', tenant: 'fraud', model: 'fraud-model', version: '4' })).toEqual([
      'signature-missing-under-enforcement:fraud:model-version:fraud-model:v4',
    ]);
    expect(keysAt({ kind: 'model-version', tenant: 'fraud', model: 'fraud-model', version: '3' })).toEqual([
      'artifact-missing:fraud:inference-service:fraud-batch:stable',
    ]);
    expect(keysAt({ kind: 'model-version', tenant: 'fraud', model: 'fraud-model', version: '40' })).toEqual([]);
  });
});

describe('what a place’s checks panel says it could not check', () => {
  const unread: UnreadInput[] = [
    {
      tenant: null,
      source: 'Kubernetes',
      checks: ['pipeline-without-run', 'storage-uri-shape', 'rollback-target-cold'],
      message: 'down',
    },
    { tenant: 'fraud', source: 'The MLflow runs of fraud', checks: ['pipeline-without-run'], message: 'refused' },
    { tenant: 'pricing', source: 'The MLflow runs of pricing', checks: ['pipeline-without-run'], message: 'refused' },
    { tenant: null, source: 'The version matrix', checks: ['version-matrix'], message: 'unreadable' },
  ];

  it('a tenant page: every input of the tenant or of all tenants, but not the platform’s own checks', () => {
    expect(unreadAt(unread, { kind: 'tenant', tenant: 'fraud' }).map((u) => u.source)).toEqual([
      'Kubernetes',
      'The MLflow runs of fraud',
    ]);
  });

  it('an endpoint or model version page: only the checks whose findings could concern it', () => {
    expect(unreadAt(unread, { kind: 'endpoint', tenant: 'fraud', endpoint: 'fraud-scorer' })).toEqual([
      { ...unread[0], checks: ['storage-uri-shape', 'rollback-target-cold'] },
    ]);
    expect(unreadAt(unread, { kind: 'model-version', tenant: 'fraud', model: 'fraud-model', version: '4' })).toEqual([
      { ...unread[0], checks: ['storage-uri-shape'] },
    ]);
  });

  it('counts findings by severity in words, worst first', () => {
    expect(severityCountsInWords(severityCounts(FINDINGS))).toBe('3 critical · 1 warning');
    expect(severityCountsInWords(severityCounts([]))).toBe('no findings');
    expect(platformHealthHref('a b')).toBe('/platform/health?tenant=a%20b');
  });
});
