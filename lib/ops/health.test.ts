import { describe, expect, it } from 'vitest';
import type { Finding } from '../platform-health/finding';
import type { PlatformHealth } from '../platform-health/gather';
import { healthLinksFor, healthRow, judgeHealth } from './health';
import { DEFAULT_OPS_THRESHOLDS as T } from './thresholds';

const AT = '2026-12-10T12:00:00.000Z';

function finding(
  checkId: Finding['checkId'],
  tenant: string | null,
  severity: Finding['severity'],
  name: string,
): Finding {
  return {
    checkId,
    severity,
    tenant,
    subject: tenant ? { kind: 'inference-service', name } : { kind: 'platform', name },
    title: `${checkId} of ${name}`,
    evidence: [],
    remedy: `Fix ${name}.`,
  };
}

const health = (findings: Finding[], extra: Partial<PlatformHealth> = {}) => ({
  ok: true as const,
  data: { at: AT, findings, unread: [], outdated: null, ...extra },
  freshness: { asOf: AT },
});

describe('the platform health row of the operations dashboard', () => {
  it('is OK with no findings, linking to the tenant’s findings on the platform health page', () => {
    const row = healthRow('fraud', health([finding('version-matrix', null, 'warning', 'kubernetes')]), T);
    expect(row).toMatchObject({
      tenant: 'fraud',
      area: 'health',
      state: 'ok',
      signal: 'no findings',
      threshold: 'alert on any critical finding, warning on any warning',
      detail: null,
      problem: null,
      outdated: null,
      link: { href: '/platform/health?tenant=fraud', label: 'Open the platform health findings of fraud' },
    });
  });

  it('alerts on a critical finding, counting the tenant’s findings by severity; the worst one is the signal', () => {
    const findings = [
      finding('rollback-target-cold', 'fraud', 'warning', 'fraud-scorer'),
      finding('artifact-missing', 'fraud', 'critical', 'fraud-batch'),
      finding('storage-uri-shape', 'pricing', 'critical', 'pricing-model'),
      finding('rollback-target-cold', 'fraud', 'warning', 'fraud-shadow'),
    ];
    const row = healthRow('fraud', health(findings), T);
    expect(row.state).toBe('alert');
    expect(row.signal).toBe('1 critical · 2 warnings · worst: artifact-missing of fraud-batch');
    expect(row.detail).toBe('Model artifact missing: Fix fraud-batch. (2 more)');
  });

  it('is a warning, not an alert, with warnings only; info findings alone leave it OK', () => {
    expect(judgeHealth([finding('pipeline-without-run', 'fraud', 'warning', 'train-1')], T).state).toBe('warning');
    const info = judgeHealth([finding('artifact-missing', 'fraud', 'info', 'fraud-batch')], T);
    expect(info).toMatchObject({ state: 'ok', signal: '1 info · worst: artifact-missing of fraud-batch' });
  });

  it('names the checks it could not judge for the tenant, and is as old as the answer it was judged on', () => {
    const row = healthRow(
      'fraud',
      {
        ...health([], {
          unread: [
            {
              tenant: 'fraud',
              source: 'The MLflow runs of fraud',
              checks: ['pipeline-without-run'],
              message: 'MLflow is down',
            },
            { tenant: 'pricing', source: 'The MLflow runs of pricing', checks: ['pipeline-without-run'], message: 'x' },
            { tenant: null, source: 'The version matrix', checks: ['version-matrix'], message: 'unreadable' },
          ],
          outdated: { asOf: '2026-12-10T11:50:00.000Z', error: 'The pods watch failed' },
        }),
        freshness: { asOf: '2026-12-10T11:55:00.000Z', error: 'The platform health checks may be out of date: boom' },
      },
      T,
    );
    expect(row.state).toBe('ok');
    expect(row.problem).toBe('Not checked: Pipeline without MLflow run (MLflow is down)');
    expect(row.outdated).toEqual({
      asOf: '2026-12-10T11:50:00.000Z',
      error: 'The platform health checks may be out of date: boom · The pods watch failed',
    });
  });

  it('says no data when the checks could not be read at all', () => {
    const row = healthRow('fraud', { ok: false, message: 'The platform health checks could not be read' }, T);
    expect(row).toMatchObject({
      state: 'unknown',
      signal: 'no data',
      problem: 'The platform health checks could not be read',
    });
  });

  it('leads a tenant’s own people, who may not open the platform health page, to their tenant page’s checks', () => {
    const rows = [healthRow('fraud', health([]), T), healthRow('pricing', { ok: false, message: 'down' }, T)];
    expect(healthLinksFor(rows, true)).toEqual(rows);
    const forMember = healthLinksFor(rows, false);
    expect(forMember[0]!.link).toEqual({ href: '/t/fraud#checks', label: 'Open the checks of fraud' });
    expect(forMember[1]!.link).toBeNull();
  });
});
