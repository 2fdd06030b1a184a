/**
 * Pure decisions about how registered models and their versions are presented: which run metrics
 * become columns, in what order aliases appear, where a version's model lives and what its
 * MLmodel file says about the signature. No I/O here.
 */

export interface AliasPointer {
  alias: string;
  version: string;
}

/** What reading `<model uri>/MLmodel` found. */
export type ArtifactCheck =
  | { state: 'found'; mlmodelUri: string; hasSignature: boolean; flavors: string[] }
  | { state: 'missing'; mlmodelUri: string }
  /** Object storage could not say (down, refused, outside the tenant's prefix): `problem` says why. */
  | { state: 'unreadable'; problem: string };

/** A signature is known only from an MLmodel file that could be read. */
export type SignatureState = 'logged' | 'missing' | 'unknown';

export function signatureStateOf(artifact: ArtifactCheck): SignatureState {
  if (artifact.state !== 'found') return 'unknown';
  return artifact.hasSignature ? 'logged' : 'missing';
}

/**
 * Where a version's model is: `<run artifact uri>/model`, as the promotion gates and the
 * InferenceService use it; a version whose run is gone can only be found through its `source`.
 */
export function modelUriFor(run: { artifactUri: string } | null, source: string): string {
  return run ? `${run.artifactUri.replace(/\/+$/, '')}/model` : source;
}

// The aliases the promotion flow manages come first; others follow alphabetically.
const ALIAS_RANK: Record<string, number> = { champion: 0, challenger: 1 };

export function orderAliases<A extends AliasPointer>(aliases: readonly A[]): A[] {
  const rank = (a: AliasPointer) => ALIAS_RANK[a.alias] ?? Object.keys(ALIAS_RANK).length;
  return aliases.toSorted((a, b) => rank(a) - rank(b) || a.alias.localeCompare(b.alias));
}

const MAX_METRIC_COLUMNS = 4;

// Held-out quality is what people compare versions by; end-of-training values matter least.
const METRIC_PREFIX_RANK: [prefix: string, rank: number][] = [
  ['holdout', 0],
  ['test', 1],
  ['cv', 2],
  ['eval', 3],
  ['val', 3],
  ['train', 5],
];

function metricRank(key: string): number {
  const lower = key.toLowerCase();
  return METRIC_PREFIX_RANK.find(([prefix]) => lower.startsWith(prefix))?.[1] ?? 4;
}

/**
 * The run metrics worth a column in a versions table: those logged by the most source runs (so a
 * column compares like with like), held-out quality metrics before training ones, then by name.
 * Runs that could not be found (`null`) do not count.
 */
export function metricColumns(
  runMetrics: readonly (Readonly<Record<string, number>> | null)[],
  max = MAX_METRIC_COLUMNS,
): string[] {
  const runsLogging = new Map<string, number>();
  for (const metrics of runMetrics)
    for (const key of Object.keys(metrics ?? {})) runsLogging.set(key, (runsLogging.get(key) ?? 0) + 1);
  return [...runsLogging.keys()]
    .sort((a, b) => runsLogging.get(b)! - runsLogging.get(a)! || metricRank(a) - metricRank(b) || a.localeCompare(b))
    .slice(0, max);
}
