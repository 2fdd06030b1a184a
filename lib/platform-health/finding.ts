/**
 * What every platform health check returns: a finding about one subject (an endpoint, a workflow,
 * a model version, a namespace, the platform), with the evidence that shows it and what to do.
 * The checks are plain functions over what the adapters already read (see index.ts). Pure.
 */

export const CHECK_IDS = [
  'pipeline-without-run',
  'storage-uri-shape',
  'artifact-missing',
  'signature-missing-under-enforcement',
  'rollback-target-cold',
  'admission-guard-missing',
  'version-matrix',
  'input-drift',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  checkId: CheckId;
  severity: Severity;
  /** The tenant it concerns, or null for the platform as a whole. */
  tenant: string | null;
  subject: {
    kind: 'inference-service' | 'workflow' | 'model-version' | 'namespace' | 'platform';
    name: string;
    /** A model version's number, or a platform component's live version. */
    version?: string;
    /** Of an InferenceService, the revision concerned: the canary (what the spec serves now) or the stable one before it. */
    revision?: 'stable' | 'canary';
  };
  /** One line, naming the things and values concerned. */
  title: string;
  evidence: { label: string; value: string; href?: string }[];
  /** What to do, in one or two sentences. */
  remedy: string;
  /**
   * Besides its subject, what else in its tenant the finding is about, so that the pages of those
   * endpoints and model versions show it too: the model version an endpoint's revision serves, the
   * endpoints serving a model version.
   */
  concerns?: { endpoints?: string[]; modelVersions?: { name: string; version: string }[] };
}

export interface CheckInfo {
  label: string;
  /** The severity of its findings, unless the check says otherwise (e.g. info when a fact could not be read). */
  severity: Severity;
  /** Who acts on a finding: platform on-call/admins, or the model's owners in the tenant. */
  actor: 'platform' | 'model-owner';
  description: string;
}

export const CHECKS: Record<CheckId, CheckInfo> = {
  'pipeline-without-run': {
    label: 'Pipeline without MLflow run',
    severity: 'warning',
    actor: 'model-owner',
    description: 'A training workflow succeeded but logged no MLflow run tagged with its name.',
  },
  'storage-uri-shape': {
    label: 'Storage URI shape',
    severity: 'critical',
    actor: 'model-owner',
    description:
      'An InferenceService revision’s storageUri is not an s3://…/artifacts/model folder, so KServe cannot load it.',
  },
  'artifact-missing': {
    label: 'Model artifact missing',
    severity: 'critical',
    actor: 'model-owner',
    description: 'No MLmodel file exists under an InferenceService revision’s storageUri.',
  },
  'signature-missing-under-enforcement': {
    label: 'Unsigned model under signature enforcement',
    severity: 'warning',
    actor: 'model-owner',
    description:
      'A served model version has no logged signature while its MLflow serving runtime (2.16 or later) enforces one.',
  },
  'rollback-target-cold': {
    label: 'Cold rollback target',
    severity: 'warning',
    actor: 'platform',
    description:
      'During a canary, the stable revision a rollback returns to has no ready replicas or may scale to zero.',
  },
  'admission-guard-missing': {
    label: 'Admission guard missing',
    severity: 'critical',
    actor: 'platform',
    description: 'The governance admission policy is not in force in a tenant namespace.',
  },
  'version-matrix': {
    label: 'Component versions',
    severity: 'warning',
    actor: 'platform',
    description: 'A platform component’s live version lies outside every combination known to work.',
  },
  'input-drift': {
    label: 'Model input drift',
    severity: 'warning',
    actor: 'model-owner',
    description:
      'A served model’s input feature has a drift score above its tenant policy’s threshold: live inputs no longer look like the training data.',
  },
};

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Worst first: by severity, then tenant (platform-wide findings, which touch every tenant, before
 * tenants' own, then by name), then subject, then check.
 */
export function worstFirst(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.tenant === null ? 0 : 1) - (b.tenant === null ? 0 : 1) ||
    (a.tenant ?? '').localeCompare(b.tenant ?? '') ||
    a.subject.kind.localeCompare(b.subject.kind) ||
    a.subject.name.localeCompare(b.subject.name) ||
    (a.subject.version ?? '').localeCompare(b.subject.version ?? '', undefined, { numeric: true }) ||
    (a.subject.revision ?? '').localeCompare(b.subject.revision ?? '') ||
    a.checkId.localeCompare(b.checkId)
  );
}

/**
 * A finding's identity, stable across evaluations while the problem lasts (for deep links and for
 * telling a new finding from one seen before): check, tenant and subject; never the title or the
 * evidence, whose values change. URL-safe: each part is percent-encoded, parts joined by `:`.
 */
export function findingKey(f: Finding): string {
  const parts = [f.checkId, f.tenant ?? '_', f.subject.kind, f.subject.name];
  if (f.subject.version !== undefined) parts.push(`v${f.subject.version}`);
  if (f.subject.revision !== undefined) parts.push(f.subject.revision);
  return parts.map(encodeURIComponent).join(':');
}
