import { describe, expect, it } from 'vitest';
import { describeGuard, type GuardFacts } from '@/lib/admission/guard';
import { checkAdmissionGuardMissing } from './admission-guard-missing';

const params = { primaryMetric: 'holdout_auc', minimum: '0.85', requireModelCard: 'true' } as const;
const inForce: GuardFacts = {
  namespace: 'fraud',
  policy: { ok: true, value: { generation: 1, warnings: [] } },
  binding: {
    ok: true,
    value: {
      policyName: 'mlp-inference-service-guard',
      paramName: 'mlp-admission',
      parameterNotFoundAction: 'Deny',
      actions: ['Deny'],
    },
  },
  paramsPolicy: { ok: true, value: true },
  paramsBinding: { ok: true, value: true },
  namespaceLabels: { ok: true, value: { 'mlp.example.com/tenant': 'fraud' } },
  params: { ok: true, value: { ...params } },
  expected: params,
};

const check = (facts: GuardFacts) => checkAdmissionGuardMissing([{ tenant: 'fraud', status: describeGuard(facts) }]);

describe('admission-guard-missing', () => {
  it('says nothing where the guard is in force', () => {
    expect(check(inForce)).toEqual([]);
  });

  it('fires, critical, for a namespace that lacks the tenant label, naming the label', () => {
    const [finding, ...rest] = check({ ...inForce, namespaceLabels: { ok: true, value: {} } });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      checkId: 'admission-guard-missing',
      severity: 'critical',
      tenant: 'fraud',
      subject: { kind: 'namespace', name: 'fraud' },
      title:
        'The admission guard is not in force in namespace fraud: Namespace fraud lacks the label mlp.example.com/tenant, so the guard does not apply to it.',
    });
    expect(finding!.evidence).toEqual([
      { label: 'Namespace', value: 'fraud', href: '/t/fraud' },
      {
        label: 'Not in force',
        value: 'Namespace fraud lacks the label mlp.example.com/tenant, so the guard does not apply to it.',
      },
    ]);
    expect(finding!.remedy).toContain('deploy/admission/');
  });

  it('fires when the policy is not bound, listing every failed condition', () => {
    const [finding] = check({
      ...inForce,
      binding: { ok: true, value: null },
      paramsBinding: { ok: true, value: false },
    });
    expect(finding!.evidence.filter((e) => e.label === 'Not in force').map((e) => e.value)).toEqual([
      'No ValidatingAdmissionPolicyBinding mlp-inference-service-guard puts the policy in force.',
      'Nothing keeps tenant members from changing the parameters: mlp-admission-params-guard has no binding.',
    ]);
  });

  it('gives an info finding, with the reason, when the cluster could not be asked', () => {
    const [finding] = check({ ...inForce, policy: { ok: false, message: 'the API server did not answer' } });
    expect(finding).toMatchObject({ severity: 'info', subject: { kind: 'namespace', name: 'fraud' } });
    expect(finding!.evidence).toContainEqual({
      label: 'Reason',
      value: 'Whether the admission guard is in force cannot be told: the API server did not answer',
    });
  });
});
