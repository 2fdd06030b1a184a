import { describe, expect, it } from 'vitest';
import { CHECK_IDS, CHECKS, findingKey, worstFirst, type Finding } from './finding';

const finding = (overrides: Partial<Finding>): Finding => ({
  checkId: 'storage-uri-shape',
  severity: 'warning',
  tenant: 'fraud',
  subject: { kind: 'inference-service', name: 'scorer' },
  title: 't',
  evidence: [],
  remedy: 'r',
  ...overrides,
});

describe('findings', () => {
  it('describe every check: label, default severity, who acts and what it finds', () => {
    expect(Object.keys(CHECKS).sort()).toEqual([...CHECK_IDS].sort());
    for (const id of CHECK_IDS) {
      expect(CHECKS[id].label).not.toBe('');
      expect(CHECKS[id].description).not.toBe('');
      expect(['platform', 'model-owner']).toContain(CHECKS[id].actor);
    }
  });

  it('sort worst first: severity, then platform-wide before tenants, then tenant and subject', () => {
    const findings = [
      finding({ severity: 'info', tenant: null }),
      finding({ tenant: 'pricing' }),
      finding({ tenant: 'fraud', subject: { kind: 'inference-service', name: 'ranker' } }),
      finding({ tenant: null, subject: { kind: 'platform', name: 'kubernetes' } }),
      finding({ severity: 'critical', tenant: 'pricing' }),
    ];
    expect(findings.toSorted(worstFirst).map((f) => `${f.severity} ${f.tenant ?? '-'} ${f.subject.name}`)).toEqual([
      'critical pricing scorer',
      'warning - kubernetes',
      'warning fraud ranker',
      'warning pricing scorer',
      'info - scorer',
    ]);
  });

  it('key a finding by check, tenant and subject only, so it stays the same while values change', () => {
    const a = finding({ subject: { kind: 'inference-service', name: 'scorer', revision: 'canary' }, title: 'one' });
    expect(findingKey(a)).toBe('storage-uri-shape:fraud:inference-service:scorer:canary');
    expect(findingKey({ ...a, title: 'two', evidence: [{ label: 'x', value: 'y' }] })).toBe(findingKey(a));
    expect(findingKey({ ...a, subject: { ...a.subject, revision: 'stable' } })).not.toBe(findingKey(a));
  });

  it('keys are URL-safe even for model names with spaces and colons', () => {
    const key = findingKey(
      finding({
        checkId: 'signature-missing-under-enforcement',
        tenant: null,
        subject: { kind: 'model-version', name: 'fraud: scorer/v2', version: '3' },
      }),
    );
    expect(key).toBe('signature-missing-under-enforcement:_:model-version:fraud%3A%20scorer%2Fv2:v3');
    expect(key).toMatch(/^[\w.!~*'()%:-]+$/);
  });
});
