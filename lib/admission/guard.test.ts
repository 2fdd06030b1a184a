import { describe, expect, it } from 'vitest';
import type { InferenceService } from '../integrations/kubernetes';
import { DEFAULT_POLICY } from '../promotion/policy';
import { admissionParams, breakGlassUseOf, describeGuard, sameParams, type GuardFacts } from './guard';

describe('admissionParams', () => {
  it('takes the primary metric and its threshold from the promotion policy', () => {
    expect(admissionParams(DEFAULT_POLICY)).toEqual({
      primaryMetric: 'holdout_auc',
      minimum: '0.85',
      requireModelCard: 'true',
    });
    expect(
      admissionParams({ primaryMetric: 'cv_f1_mean', thresholds: DEFAULT_POLICY.thresholds, requireModelCard: false }),
    ).toEqual({
      primaryMetric: 'cv_f1_mean',
      minimum: '0.8',
      requireModelCard: 'false',
    });
  });

  it('sets no minimum when the policy has no threshold for the primary metric', () => {
    expect(
      admissionParams({
        primaryMetric: 'rmse',
        thresholds: [{ metric: 'holdout_auc', min: 0.85 }],
        requireModelCard: true,
      }).minimum,
    ).toBe('');
  });

  it('compares stored parameters with the wanted ones', () => {
    const wanted = admissionParams(DEFAULT_POLICY);
    expect(sameParams({ ...wanted, extra: 'ignored' }, wanted)).toBe(true);
    expect(sameParams({ ...wanted, minimum: '0.8' }, wanted)).toBe(false);
    expect(sameParams(null, wanted)).toBe(false);
  });
});

const present: GuardFacts = {
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
  params: { ok: true, value: { primaryMetric: 'holdout_auc', minimum: '0.85', requireModelCard: 'true' } },
  expected: { primaryMetric: 'holdout_auc', minimum: '0.85', requireModelCard: 'true' },
};

describe('describeGuard', () => {
  it('is in force when policy, binding, namespace label and parameters are all there, and says each', () => {
    const status = describeGuard(present);
    expect(status.state).toBe('in-force');
    expect(status.headline).toBe(
      "The cluster refuses model changes in fraud that do not come through the portal with an approved promotion's evidence.",
    );
    expect(status.checks.every((c) => c.ok)).toBe(true);
    expect(status.checks.map((c) => c.text)).toContain(
      'Parameters: holdout_auc at least 0.85; a model card URL; an approver other than the requester.',
    );
  });

  it('is not in force without the policy, the binding, its Deny action or the namespace label', () => {
    expect(describeGuard({ ...present, policy: { ok: true, value: null } })).toMatchObject({ state: 'not-in-force' });
    expect(describeGuard({ ...present, binding: { ok: true, value: null } }).checks.find((c) => !c.ok)?.text).toBe(
      'No ValidatingAdmissionPolicyBinding mlp-inference-service-guard puts the policy in force.',
    );
    const auditOnly = describeGuard({
      ...present,
      binding: { ok: true, value: { ...(present.binding.ok ? present.binding.value! : {}), actions: ['Audit'] } },
    });
    expect(auditOnly.state).toBe('not-in-force');
    expect(auditOnly.checks.find((c) => !c.ok)?.text).toMatch(/does not refuse/);
    expect(
      describeGuard({ ...present, namespaceLabels: { ok: true, value: {} } }).checks.find((c) => !c.ok)?.text,
    ).toBe('Namespace fraud lacks the label mlp.example.com/tenant, so the guard does not apply to it.');
    expect(
      describeGuard({ ...present, paramsBinding: { ok: true, value: false } }).checks.find((c) => !c.ok)?.text,
    ).toMatch(/Nothing keeps tenant members from changing the parameters/);
  });

  it('is not in force without parameters; outdated parameters still guard, and it says which apply', () => {
    expect(describeGuard({ ...present, params: { ok: true, value: null } })).toMatchObject({ state: 'not-in-force' });
    const outdated = describeGuard({
      ...present,
      params: { ok: true, value: { primaryMetric: 'holdout_auc', minimum: '0.8', requireModelCard: 'true' } },
    });
    expect(outdated.state).toBe('in-force');
    expect(outdated.checks.find((c) => !c.ok)?.text).toMatch(
      /^Parameters: holdout_auc at least 0\.8; .* The promotion policy asks for holdout_auc at least 0\.85/,
    );
  });

  it('is unknown, with the reason, when the API server cannot be read, keeping what could be read', () => {
    const status = describeGuard({
      ...present,
      policy: { ok: false, message: 'Kubernetes cannot be reached at 127.0.0.1:16443 (ECONNREFUSED)' },
    });
    expect(status).toMatchObject({
      state: 'unknown',
      headline:
        'Whether the admission guard is in force cannot be told: Kubernetes cannot be reached at 127.0.0.1:16443 (ECONNREFUSED)',
    });
    expect(status.checks.length).toBeGreaterThan(0);
  });
});

function isvc(annotations: Record<string, string>): InferenceService {
  return {
    metadata: {
      name: 'scorer',
      namespace: 'fraud',
      uid: 'u-1',
      resourceVersion: '1',
      generation: 4,
      labels: {},
      annotations,
    },
    spec: { predictor: { canaryTrafficPercent: 0, model: { storageUri: 's3://elsewhere/model' } } },
  };
}

describe('breakGlassUseOf', () => {
  it('reads a use from the three annotations, with what the endpoint serves', () => {
    const use = breakGlassUseOf(
      isvc({
        'mlp.example.com/break-glass-by': 'erin',
        'mlp.example.com/break-glass-reason': 'Incident 42: model corrupt',
        'mlp.example.com/break-glass-at': '2026-12-07T03:12:00Z',
        'mlp.example.com/model-version': '3',
      }),
    );
    expect(use).toEqual({
      namespace: 'fraud',
      endpoint: 'scorer',
      uid: 'u-1',
      by: 'erin',
      reason: 'Incident 42: model corrupt',
      at: '2026-12-07T03:12:00Z',
      generation: 4,
      storageUri: 's3://elsewhere/model',
      canaryTrafficPercent: 0,
      modelVersion: '3',
    });
  });

  it('is none unless all three are there', () => {
    expect(
      breakGlassUseOf(
        isvc({ 'mlp.example.com/break-glass-by': 'erin', 'mlp.example.com/break-glass-at': '2026-12-07T03:12:00Z' }),
      ),
    ).toBeNull();
    expect(breakGlassUseOf(isvc({}))).toBeNull();
  });
});
