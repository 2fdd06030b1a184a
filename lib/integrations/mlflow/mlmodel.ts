import type { TenantStorage } from '../s3';
import { isUpstreamError } from '../upstream';

/**
 * Whether a model version logged a signature, read from the `MLmodel` file that MLflow writes
 * next to the model (`<source>/MLmodel` in object storage). The registry's REST answers
 * (model-versions/get, search) say nothing about signatures, and logged-model records are not
 * written by every client; the MLmodel file is what MLflow itself reads at load time, so it is
 * the reliable source.
 */

export interface MlModelSummary {
  /** Flavor names, e.g. `python_function`, `sklearn`. */
  flavors: string[];
  /** A `signature:` section with `inputs`, as `mlflow.models.infer_signature` / `log_model(signature=…)` write it. */
  hasSignature: boolean;
  runId?: string;
  mlflowVersion?: string;
}

interface Section {
  value: string;
  /** The indented lines below the key, indentation removed down to the first level. */
  body: string[];
}

/** Top-level keys of a YAML document written by MLflow (block style, two-space indents). */
function topLevelSections(text: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let current: Section | undefined;
  for (const line of text.split(/\r?\n/)) {
    const key = /^([A-Za-z_][\w.-]*):(?:\s+(.*))?$/.exec(line);
    if (key) {
      current = { value: (key[2] ?? '').trim(), body: [] };
      sections.set(key[1]!, current);
    } else if (current && /^\s+\S/.test(line)) {
      current.body.push(line);
    }
  }
  return sections;
}

function isEmptyValue(value: string): boolean {
  return value === '' || value === 'null' || value === '~' || value === '{}' || value === "''";
}

export function parseMlModel(text: string): MlModelSummary {
  const sections = topLevelSections(text);
  const flavorsBody = sections.get('flavors')?.body ?? [];
  const flavorIndent = Math.min(...flavorsBody.map((l) => l.length - l.trimStart().length));
  const flavors = flavorsBody
    .filter((l) => l.length - l.trimStart().length === flavorIndent)
    .map((l) => /^\s*([\w.-]+):/.exec(l)?.[1])
    .filter((name): name is string => Boolean(name));

  const signature = sections.get('signature');
  // Block style (`signature:` then `  inputs: '[…]'`) or flow style (`signature: {inputs: …}`).
  const inputs = signature
    ? /(?:^|[\s{,])inputs:\s*([^\s,}]*)/.exec([signature.value, ...signature.body].join('\n'))
    : null;
  const hasSignature = inputs !== null && !['null', '~'].includes(inputs[1]!);

  const scalar = (key: string) => {
    const value = sections.get(key)?.value.replace(/^'(.*)'$/, '$1');
    return value && !isEmptyValue(value) ? value : undefined;
  };
  return { flavors, hasSignature, runId: scalar('run_id'), mlflowVersion: scalar('mlflow_version') };
}

export interface ModelArtifactCheck {
  /** Where the MLmodel file was looked for. */
  mlmodelUri: string;
  /** Whether `<modelUri>/MLmodel` exists. */
  exists: boolean;
  hasSignature: boolean;
  flavors: string[];
}

/**
 * Reads `<modelUri>/MLmodel` (e.g. a version's `source`) through the tenant's storage: whether the
 * artifact really exists and whether it carries a signature. A URI outside the tenant's storage
 * is refused by the storage (forbidden), never read.
 */
export async function inspectModelArtifact(storage: TenantStorage, modelUri: string): Promise<ModelArtifactCheck> {
  const mlmodelUri = `${modelUri.replace(/\/+$/, '')}/MLmodel`;
  try {
    const { hasSignature, flavors } = parseMlModel(await storage.readText(mlmodelUri));
    return { mlmodelUri, exists: true, hasSignature, flavors };
  } catch (error) {
    if (isUpstreamError(error, 'not-found')) return { mlmodelUri, exists: false, hasSignature: false, flavors: [] };
    throw error;
  }
}
