/**
 * The cluster-side admission guard (deploy/admission/): the names the portal and the policies
 * share, the parameters the portal keeps per tenant, whether the guard is in force (in words), and
 * break-glass uses read from an InferenceService. Pure: no I/O.
 */
import type { InferenceService } from '../integrations/kubernetes';
import { ANNOTATIONS } from '../promotion/evidence';
import type { Policy } from '../promotion/policy';

/** The ValidatingAdmissionPolicy (and its binding) guarding InferenceServices in tenant namespaces. */
export const GUARD_POLICY = 'mlp-inference-service-guard';
/** The ValidatingAdmissionPolicy (and its binding) keeping everyone but the portal off the parameters. */
export const PARAMS_GUARD_POLICY = 'mlp-admission-params-guard';
/** The guard's parameters in each tenant namespace (the binding's paramRef). */
export const PARAMS_CONFIGMAP = 'mlp-admission';
/** The label that makes a namespace a tenant's, and so guarded (lib/tenancy/cluster-plan.ts sets it). */
export const TENANT_LABEL = 'mlp.example.com/tenant';
export const BREAK_GLASS_GROUP = 'mlp:break-glass';

export const BREAK_GLASS_ANNOTATIONS = {
  by: 'mlp.example.com/break-glass-by',
  reason: 'mlp.example.com/break-glass-reason',
  at: 'mlp.example.com/break-glass-at',
} as const;

/** What the guard checks for a tenant: the ConfigMap's `data`. */
export interface AdmissionParams {
  primaryMetric: string;
  /** The threshold of the primary metric; '' when the policy sets none (then any number passes). */
  minimum: string;
  requireModelCard: 'true' | 'false';
}

/** The parameters for a tenant's promotion policy: its primary metric and that metric's threshold. */
export function admissionParams(
  policy: Pick<Policy, 'primaryMetric' | 'thresholds' | 'requireModelCard'>,
): AdmissionParams {
  const threshold = policy.thresholds.find((t) => t.metric === policy.primaryMetric);
  return {
    primaryMetric: policy.primaryMetric,
    minimum: threshold ? String(threshold.min) : '',
    requireModelCard: policy.requireModelCard ? 'true' : 'false',
  };
}

export function sameParams(
  data: Readonly<Record<string, string>> | null | undefined,
  params: AdmissionParams,
): boolean {
  if (!data) return false;
  return (
    data.primaryMetric === params.primaryMetric &&
    (data.minimum ?? '') === params.minimum &&
    (data.requireModelCard ?? 'true') === params.requireModelCard
  );
}

/** The parameters in words: "holdout_auc at least 0.85; a model card URL". */
export function describeParams(data: Readonly<Record<string, string>>): string {
  const metric = data.primaryMetric ?? '';
  if (!metric) return 'no primary metric';
  const threshold = data.minimum
    ? `${metric} at least ${data.minimum}`
    : `${metric} (any value: the policy sets no threshold for it)`;
  return `${threshold}; ${data.requireModelCard === 'false' ? 'no model card required' : 'a model card URL'}; an approver other than the requester`;
}

// ---------------------------------------------------------------------------------------------
// Is the guard in force in a tenant's namespace?

/** One read of the cluster: its result, or why it failed (the API server down, RBAC, …). */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

export interface GuardFacts {
  namespace: string;
  policy: Read<{ generation?: number; warnings: string[] } | null>;
  binding: Read<{
    policyName?: string;
    paramName?: string;
    parameterNotFoundAction?: string;
    actions: string[];
  } | null>;
  paramsPolicy: Read<boolean>;
  paramsBinding: Read<boolean>;
  namespaceLabels: Read<Record<string, string> | null>;
  params: Read<Record<string, string> | null>;
  /** What the parameters should be, from the tenant's current promotion policy. */
  expected: AdmissionParams;
}

export interface GuardCheck {
  ok: boolean;
  text: string;
}

export interface GuardStatus {
  state: 'in-force' | 'not-in-force' | 'unknown';
  headline: string;
  checks: GuardCheck[];
}

/**
 * Whether model changes in the namespace are guarded, in words: policy and binding installed, the
 * namespace labelled as a tenant's, the parameters present (and current), and guarded themselves.
 * A fact that could not be read makes the answer unknown, with the reason.
 */
export function describeGuard(facts: GuardFacts): GuardStatus {
  const checks: GuardCheck[] = [];
  const unreadable: string[] = [];
  const check = <T>(read: Read<T>, judge: (value: T) => GuardCheck) => {
    if (read.ok) checks.push(judge(read.value));
    else unreadable.push(read.message);
  };

  check(facts.policy, (policy) =>
    !policy
      ? { ok: false, text: `The ValidatingAdmissionPolicy ${GUARD_POLICY} is not installed (deploy/admission/).` }
      : policy.warnings.length > 0
        ? {
            ok: false,
            text: `The policy ${GUARD_POLICY} is installed but the API server found problems in it: ${policy.warnings.join('; ')}`,
          }
        : { ok: true, text: `The policy ${GUARD_POLICY} is installed.` },
  );
  check(facts.binding, (binding) => {
    if (!binding)
      return { ok: false, text: `No ValidatingAdmissionPolicyBinding ${GUARD_POLICY} puts the policy in force.` };
    if (binding.policyName !== GUARD_POLICY)
      return {
        ok: false,
        text: `The binding ${GUARD_POLICY} binds ${binding.policyName ?? 'no policy'}, not ${GUARD_POLICY}.`,
      };
    if (!binding.actions.includes('Deny'))
      return {
        ok: false,
        text: `The binding ${GUARD_POLICY} only ${binding.actions.join(', ').toLowerCase() || 'does nothing'}: it does not refuse (validationActions lacks Deny).`,
      };
    if (binding.paramName !== PARAMS_CONFIGMAP || binding.parameterNotFoundAction !== 'Deny') {
      return {
        ok: false,
        text: `The binding ${GUARD_POLICY} must take its parameters from ConfigMap ${PARAMS_CONFIGMAP} and refuse without them (parameterNotFoundAction: Deny).`,
      };
    }
    return {
      ok: true,
      text: `Its binding refuses what the policy does not allow, with the parameters of ConfigMap ${PARAMS_CONFIGMAP}.`,
    };
  });
  check(facts.namespaceLabels, (labels) =>
    !labels
      ? { ok: false, text: `There is no namespace ${facts.namespace}.` }
      : labels[TENANT_LABEL] === undefined
        ? {
            ok: false,
            text: `Namespace ${facts.namespace} lacks the label ${TENANT_LABEL}, so the guard does not apply to it.`,
          }
        : {
            ok: true,
            text: `Namespace ${facts.namespace} is labelled ${TENANT_LABEL}=${labels[TENANT_LABEL]}, so the guard applies to it.`,
          },
  );
  check(facts.params, (data) => {
    if (!data)
      return {
        ok: false,
        text: `ConfigMap ${PARAMS_CONFIGMAP} is missing in ${facts.namespace}: every model change there is refused until the portal writes it.`,
      };
    const words = `Parameters: ${describeParams(data)}.`;
    return sameParams(data, facts.expected)
      ? { ok: true, text: words }
      : {
          ok: false,
          text: `${words} The promotion policy asks for ${describeParams({ ...facts.expected })}; the portal brings them up to date within a minute and before every deployment.`,
        };
  });
  if (facts.paramsPolicy.ok && facts.paramsBinding.ok) {
    checks.push(
      facts.paramsPolicy.value && facts.paramsBinding.value
        ? { ok: true, text: `Only the portal may change the parameters (${PARAMS_GUARD_POLICY}).` }
        : {
            ok: false,
            text: `Nothing keeps tenant members from changing the parameters: ${PARAMS_GUARD_POLICY} ${facts.paramsPolicy.value ? 'has no binding' : 'is not installed'}.`,
          },
    );
  } else {
    unreadable.push(...[facts.paramsPolicy, facts.paramsBinding].flatMap((r) => (r.ok ? [] : [r.message])));
  }

  if (unreadable.length > 0) {
    return {
      state: 'unknown',
      headline: `Whether the admission guard is in force cannot be told: ${[...new Set(unreadable)].join('; ')}`,
      checks,
    };
  }
  // Outdated parameters still guard (with the old threshold); everything else must hold.
  const essential = checks.filter((c) => !c.text.startsWith('Parameters:'));
  if (essential.every((c) => c.ok)) {
    return {
      state: 'in-force',
      headline: `The cluster refuses model changes in ${facts.namespace} that do not come through the portal with an approved promotion's evidence.`,
      checks,
    };
  }
  return {
    state: 'not-in-force',
    headline: `The cluster does not guard model changes in ${facts.namespace}: kubectl can change what its endpoints serve.`,
    checks,
  };
}

// ---------------------------------------------------------------------------------------------
// Break-glass

export interface BreakGlassUse {
  namespace: string;
  endpoint: string;
  uid: string;
  by: string;
  reason: string;
  /** The `break-glass-at` annotation: with the uid, what makes one use. */
  at: string;
  generation: number | null;
  storageUri: string | null;
  canaryTrafficPercent: number | null;
  modelVersion: string | null;
}

/** The break-glass use an InferenceService carries, or null (the three annotations must all be there). */
export function breakGlassUseOf(isvc: InferenceService): BreakGlassUse | null {
  const annotations = isvc.metadata.annotations;
  const by = annotations[BREAK_GLASS_ANNOTATIONS.by]?.trim();
  const reason = annotations[BREAK_GLASS_ANNOTATIONS.reason]?.trim();
  const at = annotations[BREAK_GLASS_ANNOTATIONS.at]?.trim();
  if (!by || !reason || !at) return null;
  return {
    namespace: isvc.metadata.namespace,
    endpoint: isvc.metadata.name,
    uid: isvc.metadata.uid,
    by,
    reason,
    at,
    generation: isvc.metadata.generation ?? null,
    storageUri: isvc.spec.predictor.model?.storageUri ?? null,
    canaryTrafficPercent: isvc.spec.predictor.canaryTrafficPercent ?? null,
    modelVersion: annotations[ANNOTATIONS.modelVersion] ?? null,
  };
}
