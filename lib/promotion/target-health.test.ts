import { describe, expect, it } from 'vitest';
import { findingKey, type Finding } from '@/lib/platform-health/finding';
import type { UnreadInput } from '@/lib/platform-health/gather';
import { targetHealthGate } from './gates';
import { targetHealthOf, type HealthAnswer } from './target-health';

const AT = '2026-12-10T10:00:00.000Z';
const TARGET = { tenant: 'fraud', endpoint: 'fraud-detector', exists: true };

const onEndpoint = (
  checkId: Finding['checkId'],
  severity: Finding['severity'],
  title: string,
  tenant = 'fraud',
  endpoint = 'fraud-detector',
): Finding => ({
  checkId,
  severity,
  tenant,
  subject: { kind: 'inference-service', name: endpoint, revision: 'stable' },
  title,
  evidence: [],
  remedy: 'Fix it.',
});

const guardMissing = (tenant: string, severity: Finding['severity'] = 'critical'): Finding => ({
  checkId: 'admission-guard-missing',
  severity,
  tenant,
  subject: { kind: 'namespace', name: tenant },
  title:
    severity === 'critical'
      ? `The admission guard is not in force in namespace ${tenant}: the namespace lacks the label mlp.example.com/tenant`
      : `Whether the admission guard is in force in namespace ${tenant} cannot be told`,
  evidence: [],
  remedy: 'Apply deploy/admission/.',
});

const BAD_URI = onEndpoint(
  'storage-uri-shape',
  'critical',
  'fraud/fraud-detector (stable revision): storageUri s3://b/1/r/artifacts lacks the /model suffix',
);
const COLD = onEndpoint(
  'rollback-target-cold',
  'warning',
  'fraud/fraud-detector: the stable revision has no ready pod',
);

const health = (findings: Finding[], unread: UnreadInput[] = []): HealthAnswer => ({ at: AT, findings, unread });
const gateFor = (answer: HealthAnswer, target: { tenant: string; endpoint: string; exists: boolean } = TARGET) =>
  targetHealthGate(targetHealthOf(answer, target));

describe('the target-health gate', () => {
  it('passes a target with no finding, saying so', () => {
    const gate = gateFor(health([]));
    expect(gate).toMatchObject({ id: 'target-health', kind: 'target-health', passed: true, blocking: true });
    expect(gate.detail).toBe('fraud/fraud-detector has no critical platform-health finding.');
    expect(gate.values).toMatchObject({ endpoint: 'fraud/fraud-detector', critical: 0, warnings: 0, checkedAt: AT });
    expect(gate.evidence).toEqual([]);
  });

  it('fails on a critical finding about the endpoint, with its check, title and a link to it on the health page', () => {
    const gate = gateFor(health([BAD_URI]));
    expect(gate.passed).toBe(false);
    expect(gate.detail).toBe(`fraud/fraud-detector has 1 critical platform-health finding: ${BAD_URI.title}.`);
    expect(gate.evidence).toEqual([
      {
        label: 'Storage URI shape (critical)',
        value: BAD_URI.title,
        href: `/platform/health?tenant=fraud#${findingKey(BAD_URI)}`,
      },
    ]);
    expect(gate.values).toMatchObject({ critical: 1 });
  });

  it('fails on a finding that concerns the endpoint through the model version it serves', () => {
    const viaServedVersion: Finding = {
      ...onEndpoint('artifact-missing', 'critical', 'model fraud-detector v5 has no MLmodel file'),
      subject: { kind: 'model-version', name: 'fraud-detector', version: '5' },
      concerns: { endpoints: ['fraud-detector'] },
    };
    expect(gateFor(health([viaServedVersion])).passed).toBe(false);
  });

  it('fails when the namespace’s admission guard is not in force: a deploy there is ungoverned', () => {
    const gate = gateFor(health([guardMissing('fraud')]));
    expect(gate.passed).toBe(false);
    expect(gate.evidence![0]).toMatchObject({
      label: 'Admission guard missing (critical)',
      href: '/platform/health?tenant=fraud#admission-guard-missing:fraud:namespace:fraud',
    });
  });

  it('clears once the finding is gone', () => {
    expect(gateFor(health([BAD_URI])).passed).toBe(false);
    expect(gateFor(health([])).passed).toBe(true);
  });

  it('passes with warnings only, which are shown as evidence, critical ones first', () => {
    const gate = gateFor(health([COLD]));
    expect(gate.passed).toBe(true);
    expect(gate.detail).toBe(
      'fraud/fraud-detector has no critical platform-health finding (1 warning, which do not block).',
    );
    expect(gate.evidence).toEqual([
      {
        label: 'Cold rollback target (warning)',
        value: COLD.title,
        href: expect.stringContaining('#rollback-target-cold:'),
      },
    ]);
    expect(gateFor(health([COLD, BAD_URI])).evidence!.map((e) => e.label)).toEqual([
      'Storage URI shape (critical)',
      'Cold rollback target (warning)',
    ]);
  });

  it('ignores another endpoint’s findings, another tenant’s, another namespace’s guard and the platform’s own', () => {
    const elsewhere = [
      onEndpoint('storage-uri-shape', 'critical', 'fraud/other: bad', 'fraud', 'other'),
      onEndpoint('storage-uri-shape', 'critical', 'pricing/fraud-detector: bad', 'pricing'),
      guardMissing('pricing'),
      { ...onEndpoint('version-matrix', 'warning', 'KServe 0.9 is outside the matrix'), tenant: null },
    ];
    const gate = gateFor(health(elsewhere));
    expect(gate.passed).toBe(true);
    expect(gate.evidence).toEqual([]);
  });

  describe('never passes blind', () => {
    it('fails when an input of a check that could block was not read, for everyone or for this tenant, naming it', () => {
      const kubernetes: UnreadInput = {
        tenant: null,
        source: 'Kubernetes',
        checks: ['pipeline-without-run', 'storage-uri-shape', 'artifact-missing', 'rollback-target-cold'],
        message: 'the watch of InferenceServices failed: connection refused',
      };
      const gate = gateFor(health([], [kubernetes]));
      expect(gate.passed).toBe(false);
      expect(gate.detail).toBe(
        'The platform-health checks of fraud/fraud-detector could not be judged, so it is not deployed onto blind: Kubernetes — the watch of InferenceServices failed: connection refused.',
      );
      expect(gate.evidence).toEqual([{ label: 'Could not be judged', value: `Kubernetes: ${kubernetes.message}` }]);
      expect(gateFor(health([], [{ ...kubernetes, tenant: 'fraud' }])).passed).toBe(false);
    });

    it('fails when whether the namespace is guarded cannot be told', () => {
      const gate = gateFor(health([guardMissing('fraud', 'info')]));
      expect(gate.passed).toBe(false);
      expect(gate.evidence).toEqual([
        { label: 'Could not be judged', value: `Admission guard missing: ${guardMissing('fraud', 'info').title}` },
      ]);
    });

    it('ignores what another tenant could not read, and inputs of checks that only warn or are not about endpoints', () => {
      const unread: UnreadInput[] = [
        { tenant: 'pricing', source: 'Kubernetes', checks: ['storage-uri-shape'], message: 'refused' },
        { tenant: 'fraud', source: 'The MLflow runs of fraud', checks: ['pipeline-without-run'], message: 'down' },
        { tenant: null, source: 'The version matrix', checks: ['version-matrix'], message: 'unparsable' },
        {
          tenant: null,
          source: 'PLATFORM_SERVING_MLFLOW_VERSION',
          checks: ['signature-missing-under-enforcement'],
          message: 'not a version number',
        },
      ];
      const gate = gateFor(health([], unread));
      expect(gate.passed).toBe(true);
      // What only warns and was not judged is still said.
      expect(gate.evidence).toEqual([
        {
          label: 'Not judged (warnings only)',
          value: 'PLATFORM_SERVING_MLFLOW_VERSION: not a version number',
        },
      ]);
    });
  });

  describe('a first deployment (no endpoint yet)', () => {
    const first = { ...TARGET, exists: false };

    it('passes, saying there is no endpoint yet, even when the endpoint’s own checks could not be read', () => {
      const kubernetes: UnreadInput = {
        tenant: null,
        source: 'Kubernetes',
        checks: ['storage-uri-shape', 'artifact-missing'],
        message: 'down',
      };
      const gate = gateFor(health([], [kubernetes]), first);
      expect(gate.passed).toBe(true);
      expect(gate.evidence).toEqual([
        { label: 'Endpoint', value: 'fraud/fraud-detector: no endpoint yet (first deployment)' },
      ]);
      expect(gate.detail).toContain('does not exist yet');
      expect(gate.values).toMatchObject({ exists: false });
    });

    it('still fails in a namespace whose admission guard is not in force, or cannot be told to be', () => {
      expect(gateFor(health([guardMissing('fraud')]), first).passed).toBe(false);
      const guardsUnread: UnreadInput = {
        tenant: null,
        source: 'The admission guard',
        checks: ['admission-guard-missing'],
        message: 'forbidden',
      };
      expect(gateFor(health([], [guardsUnread]), first).passed).toBe(false);
    });
  });
});
