import type { Policy } from './policy';
import type { TargetHealth } from './target-health';

/**
 * The approval gates a model version passes before it may be promoted: pure, so every gate's
 * verdict can be shown with the numbers behind it and tested without any system running.
 */

export type GateId =
  'threshold' | 'regression' | 'provenance' | 'artifact' | 'signature' | 'evidence' | 'target-health';

export interface GateResult {
  /** Stable id, e.g. `threshold:holdout_auc`. */
  id: string;
  kind: GateId;
  label: string;
  passed: boolean;
  /** A failing blocking gate stops the request from being submitted. */
  blocking: boolean;
  /** One sentence with the numbers, for people. */
  detail: string;
  /** The values that decided it, kept with the request as evidence. */
  values: Record<string, string | number | boolean | null>;
  /** What it looked at, by name, with links where there is a page to see it on (target-health). */
  evidence?: { label: string; value: string; href?: string }[];
}

export interface GateInput {
  policy: Policy;
  version: { name: string; version: string; runId: string; source: string };
  /** The run the version says it came from; null when MLflow has no such run. */
  run: { runId: string; artifactUri: string; metrics: Record<string, number> } | null;
  /** The version currently holding the policy's alias, unless it is this one. */
  champion: { version: string; metrics: Record<string, number> } | null;
  /** Whether `<artifact_uri>/model/MLmodel` exists in object storage. */
  mlmodelExists: boolean;
  /** Whether the MLmodel file declares a signature; null when it could not be read. */
  signatureLogged: boolean | null;
  evidence: { modelCardUrl: string; notes: string };
  /** The platform health checks' verdicts on the endpoint the version is deployed onto. */
  targetHealth: TargetHealth;
}

const RUN_ID = /^[0-9a-f]{32}$/;

function format(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return 'missing';
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

/** Where a version must be served from: the run's `model` folder. */
export function modelUriOf(artifactUri: string): string {
  return `${artifactUri.replace(/\/+$/, '')}/model`;
}

/**
 * Whether a change of the primary metric (challenger − champion) stays within the regression
 * tolerance. Metrics arrive as binary floats, so 0.88 − 0.90 is −0.020000000000000018: a drop of
 * exactly the tolerance must pass, as the policy says, so the comparison allows for rounding
 * (a billionth of the values' size).
 */
export function withinRegressionTolerance(delta: number, tolerance: number, scale = 1): boolean {
  return delta >= -tolerance - 1e-9 * Math.max(1, Math.abs(scale));
}

function thresholdGates(input: GateInput): GateResult[] {
  return input.policy.thresholds.map(({ metric, min }) => {
    const value = input.run?.metrics[metric];
    const passed = value !== undefined && value >= min;
    return {
      id: `threshold:${metric}`,
      kind: 'threshold',
      label: `${metric} ≥ ${min}`,
      passed,
      blocking: true,
      detail:
        value === undefined
          ? `The run did not log ${metric}; the policy requires ${metric} ≥ ${min}.`
          : `${metric} is ${format(value)}${passed ? ', at least' : ', below'} the required ${min}.`,
      values: { metric, value: value ?? null, min },
    };
  });
}

function regressionGate(input: GateInput): GateResult {
  const { primaryMetric: metric, regressionTolerance: tolerance } = input.policy;
  const value = input.run?.metrics[metric];
  const base = {
    id: 'regression',
    kind: 'regression' as const,
    label: `No regression against the ${input.policy.alias}`,
    blocking: true,
  };
  if (!input.champion) {
    return {
      ...base,
      passed: true,
      detail: `There is no current ${input.policy.alias} to compare with.`,
      values: { metric, value: value ?? null, champion: null, tolerance },
    };
  }
  const championValue = input.champion.metrics[metric];
  if (value === undefined || championValue === undefined) {
    return {
      ...base,
      passed: false,
      detail: `${metric} is missing for ${value === undefined ? 'this version' : `the ${input.policy.alias} (v${input.champion.version})`}, so no comparison is possible.`,
      values: {
        metric,
        value: value ?? null,
        champion: championValue ?? null,
        championVersion: input.champion.version,
        tolerance,
      },
    };
  }
  const delta = value - championValue;
  const passed = withinRegressionTolerance(delta, tolerance, Math.max(Math.abs(value), Math.abs(championValue)));
  return {
    ...base,
    passed,
    detail: `${metric} ${format(value)} vs ${format(championValue)} for the ${input.policy.alias} v${input.champion.version}: ${delta >= 0 ? '+' : ''}${format(delta)} (tolerance −${tolerance}).`,
    values: { metric, value, champion: championValue, championVersion: input.champion.version, delta, tolerance },
  };
}

function provenanceGate(input: GateInput): GateResult {
  const { runId } = input.version;
  const base = {
    id: 'provenance',
    kind: 'provenance' as const,
    label: 'Provenance: produced by a known run',
    blocking: true,
  };
  const values = { runId, source: input.version.source, artifactUri: input.run?.artifactUri ?? null };
  if (!RUN_ID.test(runId))
    return {
      ...base,
      passed: false,
      detail: `The version's run id "${runId}" is not a 32-character MLflow run id.`,
      values,
    };
  if (!input.run)
    return { ...base, passed: false, detail: `Run ${runId} does not exist in this tenant's MLflow workspace.`, values };
  const fromRun =
    input.run.runId === runId && input.version.source.startsWith(input.run.artifactUri.replace(/\/+$/, '') + '/');
  return {
    ...base,
    passed: fromRun,
    detail: fromRun
      ? `Run ${runId} exists and the version's files come from its artifacts.`
      : `The version's files (${input.version.source}) are not under run ${runId}'s artifacts (${input.run.artifactUri}).`,
    values,
  };
}

function artifactGate(input: GateInput): GateResult {
  const modelUri = input.run ? modelUriOf(input.run.artifactUri) : null;
  return {
    id: 'artifact',
    kind: 'artifact',
    label: 'Model artifact exists',
    passed: modelUri !== null && input.mlmodelExists,
    blocking: true,
    detail:
      modelUri === null
        ? 'Without the source run there is no artifact location to check.'
        : input.mlmodelExists
          ? `${modelUri}/MLmodel exists.`
          : `${modelUri}/MLmodel was not found in object storage.`,
    values: { modelUri, mlmodelExists: input.mlmodelExists },
  };
}

function signatureGate(input: GateInput): GateResult {
  const required = input.policy.requireSignature;
  const logged = input.signatureLogged;
  return {
    id: 'signature',
    kind: 'signature',
    label: 'Model signature logged',
    passed: logged === true || !required,
    blocking: required,
    detail:
      logged === true
        ? 'The MLmodel file declares the input and output signature.'
        : logged === false
          ? `No signature is logged; MLflow 2.16+ servers refuse to load it${required ? '' : ' (not required by this policy)'}.`
          : 'The MLmodel file could not be read to check for a signature.',
    values: { signatureLogged: logged, required },
  };
}

function evidenceGate(input: GateInput): GateResult {
  const missing: string[] = [];
  const card = input.evidence.modelCardUrl.trim();
  if (input.policy.requireModelCard && !/^https?:\/\/\S+$/.test(card))
    missing.push(card ? 'a model card URL starting with http(s)://' : 'a model card URL');
  if (input.policy.requireNotes && input.evidence.notes.trim().length < 10)
    missing.push('notes of at least 10 characters');
  return {
    id: 'evidence',
    kind: 'evidence',
    label: 'Required evidence',
    passed: missing.length === 0,
    blocking: true,
    detail: missing.length === 0 ? 'Model card and notes are present.' : `Missing ${missing.join(' and ')}.`,
    values: { modelCardUrl: card || null, notesLength: input.evidence.notes.trim().length },
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The endpoint the version is deployed onto must not be red: any critical platform-health finding
 * about it or its namespace blocks. Like the canary judgment, it never passes blind: a check that
 * could find something critical there but could not be judged fails it too, naming what could not
 * be read. Warnings do not block; they are shown. Judged again just before deploying (deploy.ts).
 */
export function targetHealthGate(target: TargetHealth): GateResult {
  const name = `${target.tenant}/${target.endpoint}`;
  const critical = target.findings.filter((f) => f.severity === 'critical');
  const warnings = target.findings.filter((f) => f.severity !== 'critical');
  const blind = target.unjudged.filter((u) => u.blocking);
  const evidence: NonNullable<GateResult['evidence']> = [
    ...(target.exists ? [] : [{ label: 'Endpoint', value: `${name}: no endpoint yet (first deployment)` }]),
    ...target.findings.map((f) => ({
      label: `${f.check} (${f.severity})`,
      value: f.title,
      href: f.href,
    })),
    ...target.unjudged.map((u) => ({
      label: u.blocking ? 'Could not be judged' : 'Not judged (warnings only)',
      value: `${u.source}: ${u.message}`,
    })),
  ];
  const values = {
    endpoint: name,
    exists: target.exists,
    critical: critical.length,
    warnings: warnings.length,
    unjudged: blind.length,
    checkedAt: target.at,
  };
  const base = {
    id: 'target-health',
    kind: 'target-health' as const,
    label: 'Target endpoint’s platform checks',
    blocking: true,
    values,
    evidence,
  };
  const warned = warnings.length > 0 ? ` (${plural(warnings.length, 'warning')}, which do not block)` : '';
  if (critical.length > 0)
    return {
      ...base,
      passed: false,
      detail: `${name} has ${plural(critical.length, 'critical platform-health finding')}: ${critical.map((f) => f.title).join('; ')}.`,
    };
  if (blind.length > 0)
    return {
      ...base,
      passed: false,
      detail: `The platform-health checks of ${name} could not be judged, so it is not deployed onto blind: ${blind.map((u) => `${u.source} — ${u.message}`).join('; ')}.`,
    };
  return {
    ...base,
    passed: true,
    detail: target.exists
      ? `${name} has no critical platform-health finding${warned}.`
      : `${name} does not exist yet: this is its first deployment, into a guarded namespace${warned}.`,
  };
}

export function evaluateGates(input: GateInput): GateResult[] {
  return [
    ...thresholdGates(input),
    regressionGate(input),
    provenanceGate(input),
    artifactGate(input),
    signatureGate(input),
    evidenceGate(input),
    targetHealthGate(input.targetHealth),
  ];
}

export function blockingFailures(gates: readonly GateResult[]): GateResult[] {
  return gates.filter((g) => g.blocking && !g.passed);
}

/** The primary metric's value as the regression gate recorded it (what the deployment's evidence states), or null. */
export function primaryMetricValue(gates: readonly GateResult[]): number | null {
  const value = gates.find((g) => g.id === 'regression')?.values.value;
  return typeof value === 'number' ? value : null;
}
