/**
 * version-matrix: the platform's live component versions (Kubernetes from the API server's
 * /version, KServe from its CRD, MLflow from its server, Kubeflow Pipelines/Argo and Python where
 * known) against the combinations known to work together (version-matrix-data.ts, or the
 * installation's file named by PLATFORM_VERSION_MATRIX, which replaces it).
 *
 * A live component is accepted when some combination constrains it and takes it together with every
 * other known live version that combination constrains. For components accepted by none, the
 * closest combination is named (fewest components outside it, then nearest versions), with a
 * warning per component outside it: that is what to change, or the combination to add to the
 * matrix if the installation knows it works. A version that could not be read gives an info
 * finding. Pure (the file is read by loadVersionMatrix in version-matrix-file.ts).
 */
import { z } from 'zod';
import type { Finding } from './finding';
import { compareParsed, parseVersion } from './semver';

export const COMPONENTS = ['kubernetes', 'kserve', 'mlflow', 'kubeflow-pipelines', 'argo-workflows', 'python'] as const;
export type Component = (typeof COMPONENTS)[number];

export const COMPONENT_LABELS: Record<Component, string> = {
  kubernetes: 'Kubernetes',
  kserve: 'KServe',
  mlflow: 'MLflow',
  'kubeflow-pipelines': 'Kubeflow Pipelines',
  'argo-workflows': 'Argo Workflows',
  python: 'Python',
};

const versionText = z
  .string()
  .max(40)
  .refine((v) => parseVersion(v) !== null, 'must be a version number such as "1.30" or "3.17.2"');

const rangeSchema = z
  .strictObject({ min: versionText.optional(), max: versionText.optional() })
  .refine((r) => r.min !== undefined || r.max !== undefined, 'give min, max or both')
  .refine(
    (r) => !r.min || !r.max || compareParsed(parseVersion(r.min)!, parseVersion(r.max)!) <= 0,
    'min must not be above max',
  );

const combinationSchema = z.strictObject({
  name: z.string().trim().min(1, 'name the combination').max(200),
  source: z.string().trim().min(1, 'say where the fact comes from').max(500),
  components: z
    .strictObject({
      kubernetes: rangeSchema.optional(),
      kserve: rangeSchema.optional(),
      mlflow: rangeSchema.optional(),
      'kubeflow-pipelines': rangeSchema.optional(),
      'argo-workflows': rangeSchema.optional(),
      python: rangeSchema.optional(),
    })
    .refine((c) => Object.values(c).some(Boolean), 'constrain at least one component'),
});

export const versionMatrixSchema = z.strictObject({
  combinations: z.array(combinationSchema).min(1, 'list at least one combination').max(500),
});

export type VersionMatrix = z.output<typeof versionMatrixSchema>;
export type VersionRange = z.output<typeof rangeSchema>;
type Combination = VersionMatrix['combinations'][number];

/** A version matrix from JSON text, or an Error naming `source` and every bad field. */
export function parseVersionMatrix(text: string, source: string): VersionMatrix {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = versionMatrixSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new Error(`${source} is not a valid version matrix: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export interface LiveVersion {
  component: Component;
  /** As the component reports it ("v1.37.2", "3.17.2"); null when not known. */
  version: string | null;
  /** Where it was read: "API server /version", "MLflow server /version", … */
  source: string;
  /** Why it could not be read, when reading failed (then an info finding says so). */
  problem?: string;
}

/** "1.30–1.32", "1.30 or later", "up to 1.32", "3.17". */
export function rangeWords(range: VersionRange): string {
  if (range.min && range.max) return range.min === range.max ? range.min : `${range.min}–${range.max}`;
  return range.min ? `${range.min} or later` : `up to ${range.max}`;
}

/** How far outside the range a version is (0 inside): major steps weigh more than minor ones. */
function distance(version: number[], range: VersionRange): number {
  const gap = (a: number[], b: number[]) =>
    Math.abs((a[0] ?? 0) - (b[0] ?? 0)) * 1000 + Math.abs((a[1] ?? 0) - (b[1] ?? 0));
  // Compared at the precision the bound is written with, so "1.32" takes 1.32.5.
  if (range.min) {
    const min = parseVersion(range.min)!;
    if (compareParsed(version.slice(0, min.length), min) < 0) return Math.max(1, gap(version, min));
  }
  if (range.max) {
    const max = parseVersion(range.max)!;
    if (compareParsed(version.slice(0, max.length), max) > 0) return Math.max(1, gap(version, max));
  }
  return 0;
}

export interface VersionMatrixInput {
  live: readonly LiveVersion[];
  matrix: VersionMatrix;
}

export function checkVersionMatrix({ live, matrix }: VersionMatrixInput): Finding[] {
  const findings: Finding[] = [];
  const known = new Map<Component, { text: string; parts: number[]; source: string }>();
  for (const v of live) {
    const parts = v.version === null ? null : parseVersion(v.version);
    if (v.version !== null && parts) known.set(v.component, { text: v.version, parts, source: v.source });
    else if (v.problem || v.version !== null) findings.push(unreadable(v));
  }

  const constrained = (c: Combination) =>
    (Object.keys(c.components) as Component[]).filter((k) => c.components[k] && known.has(k));
  const outside = (c: Combination) =>
    constrained(c)
      .map((k) => ({ component: k, distance: distance(known.get(k)!.parts, c.components[k]!) }))
      .filter((o) => o.distance > 0);

  const unaccepted = new Set(
    [...known.keys()].filter((component) => {
      const takers = matrix.combinations.filter((c) => c.components[component]);
      return takers.length > 0 && !takers.some((c) => outside(c).length === 0);
    }),
  );

  while (unaccepted.size > 0) {
    const candidates = matrix.combinations.filter((c) => constrained(c).some((k) => unaccepted.has(k)));
    const score = (c: Combination) => {
      const out = outside(c);
      return {
        out: out.length,
        covers: constrained(c).filter((k) => unaccepted.has(k)).length,
        far: out.reduce((sum, o) => sum + o.distance, 0),
      };
    };
    const closest = candidates
      .map((c) => ({ c, s: score(c) }))
      .sort((a, b) => a.s.out - b.s.out || b.s.covers - a.s.covers || a.s.far - b.s.far)[0]!.c;
    for (const { component } of outside(closest)) findings.push(outsideFinding(component, closest, known));
    for (const k of constrained(closest)) unaccepted.delete(k);
  }
  return findings;
}

function outsideFinding(
  component: Component,
  closest: Combination,
  known: ReadonlyMap<Component, { text: string; source: string }>,
): Finding {
  const label = COMPONENT_LABELS[component];
  const live = known.get(component)!;
  const range = rangeWords(closest.components[component]!);
  return {
    checkId: 'version-matrix',
    severity: 'warning',
    tenant: null,
    subject: { kind: 'platform', name: component, version: live.text },
    title: `${label} ${live.text} is outside every combination known to work; the closest, “${closest.name}”, takes ${label} ${range}`,
    evidence: [
      ...[...known].map(([k, v]) => ({ label: COMPONENT_LABELS[k], value: `${v.text} (${v.source})` })),
      {
        label: 'Closest combination',
        value: `${closest.name}: ${(Object.keys(closest.components) as Component[])
          .map((k) => `${COMPONENT_LABELS[k]} ${rangeWords(closest.components[k]!)}`)
          .join(', ')}`,
      },
      { label: 'Source', value: closest.source },
    ],
    remedy: `Bring ${label} within ${range}, or, if this installation knows its combination works, add it to the version matrix file named by PLATFORM_VERSION_MATRIX.`,
  };
}

function unreadable(v: LiveVersion): Finding {
  const label = COMPONENT_LABELS[v.component];
  const why = v.problem ?? `it reports "${v.version}", which is not a version number`;
  return {
    checkId: 'version-matrix',
    severity: 'info',
    tenant: null,
    subject: { kind: 'platform', name: v.component },
    title: `${label}'s version could not be read from ${v.source}: ${why}`,
    evidence: [
      { label: 'Read from', value: v.source },
      { label: 'Problem', value: why },
    ],
    remedy: `Check that the portal can reach ${label} (${v.source}); its version is compared again once it can be read.`,
  };
}
