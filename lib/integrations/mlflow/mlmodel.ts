import { z } from 'zod';
import type { TenantStorage } from '../s3';
import { isUpstreamError } from '../upstream';

/**
 * Whether a model version logged a signature, and which one, read from the `MLmodel` file that
 * MLflow writes next to the model (`<source>/MLmodel` in object storage). The registry's REST
 * answers (model-versions/get, search) say nothing about signatures, and logged-model records are
 * not written by every client; the MLmodel file is what MLflow itself reads at load time, so it
 * is the reliable source.
 */

/** One column (or tensor) of a signature's input or output schema. */
export interface SchemaColumn {
  /** The column's name; `#1`, `#2`, … by position for an unnamed one (a tensor, an unnamed output). */
  name: string;
  /** MLflow's type, e.g. `double`, `array<string>`, `tensor(int64, [-1])`. */
  type: string;
  required: boolean;
}

/**
 * A schema as logged: its columns, `null` when the signature has none (e.g. no outputs), or
 * `'unreadable'` when the text is there but is not the JSON MLflow writes.
 */
export type SignatureSchema = SchemaColumn[] | null | 'unreadable';

export interface ModelSignature {
  inputs: SignatureSchema;
  outputs: SignatureSchema;
}

export interface MlModelSummary {
  /** Flavor names, e.g. `python_function`, `sklearn`. */
  flavors: string[];
  /** A `signature:` section with `inputs`, as `mlflow.models.infer_signature` / `log_model(signature=…)` write it. */
  hasSignature: boolean;
  /** The schemas of that signature; `null` without one. */
  signature: ModelSignature | null;
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

/**
 * The scalar after `key:` in a signature section, block or flow style: `undefined` when the key
 * is absent, `null` when its value is empty or null. MLflow writes the schemas as YAML
 * single-quoted strings folded over several lines: quotes doubled inside, line breaks read as spaces.
 */
function signatureValue(section: string, key: string): string | null | undefined {
  const match = new RegExp(`(?:^|[\\s{,])${key}:[ \\t]*`).exec(section);
  if (!match) return undefined;
  const start = match.index + match[0].length;
  const quote = section[start];
  if (quote === "'" || quote === '"') {
    let value = '';
    let i = start + 1;
    while (i < section.length) {
      const char = section[i]!;
      if (quote === "'" && char === "'" && section[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      if (quote === '"' && char === '\\') {
        value += section.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (char === quote) break;
      value += char;
      i++;
    }
    const folded = value.replace(/[ \t]*\r?\n[ \t]*/g, ' ');
    if (quote === "'") return folded;
    try {
      return JSON.parse(`"${folded}"`) as string;
    } catch {
      return folded;
    }
  }
  const plain = /^[^\n,}]*/.exec(section.slice(start))![0].trim();
  return isEmptyValue(plain) ? null : plain;
}

const columnSpecSchema = z.looseObject({
  type: z.string().optional(),
  name: z.string().optional(),
  required: z.boolean().optional(),
});
type ColumnSpec = z.infer<typeof columnSpecSchema>;

/** MLflow's type of a column spec as one line, nested types (arrays, maps, objects) spelled out. */
function describeType(spec: unknown): string {
  const parsed = columnSpecSchema.safeParse(spec);
  if (!parsed.success) return 'unknown';
  const { type, ...rest } = parsed.data as ColumnSpec & Record<string, unknown>;
  if (type === 'tensor') {
    const tensor = z
      .object({ dtype: z.string(), shape: z.array(z.number()).optional() })
      .safeParse(rest['tensor-spec']);
    return tensor.success ? `tensor(${tensor.data.dtype}, [${(tensor.data.shape ?? []).join(', ')}])` : 'tensor';
  }
  if (type === 'array') return `array<${describeType(rest.items)}>`;
  if (type === 'map') return `map<string, ${describeType(rest.values)}>`;
  if (type === 'object') {
    const properties = z.record(z.string(), z.unknown()).safeParse(rest.properties);
    if (!properties.success) return 'object';
    return `object{${Object.entries(properties.data)
      .map(([name, property]) => `${name}: ${describeType(property)}`)
      .join(', ')}}`;
  }
  return type ?? 'unknown';
}

function parseSchema(json: string | null | undefined): SignatureSchema {
  if (json === null || json === undefined) return null;
  let specs: unknown;
  try {
    specs = JSON.parse(json);
  } catch {
    return 'unreadable';
  }
  if (specs === null) return null;
  const parsed = z.array(columnSpecSchema).safeParse(specs);
  if (!parsed.success) return 'unreadable';
  return parsed.data.map((spec, i) => ({
    name: spec.name ?? `#${i + 1}`,
    type: describeType(spec),
    // MLflow's column specs are required unless they say otherwise.
    required: spec.required ?? true,
  }));
}

export function parseMlModel(text: string): MlModelSummary {
  const sections = topLevelSections(text);
  const flavorsBody = sections.get('flavors')?.body ?? [];
  const flavorIndent = Math.min(...flavorsBody.map((l) => l.length - l.trimStart().length));
  const flavors = flavorsBody
    .filter((l) => l.length - l.trimStart().length === flavorIndent)
    .map((l) => /^\s*([\w.-]+):/.exec(l)?.[1])
    .filter((name): name is string => Boolean(name));

  const signatureSection = sections.get('signature');
  // Block style (`signature:` then `  inputs: '[…]'`) or flow style (`signature: {inputs: …}`).
  const signatureText = signatureSection ? [signatureSection.value, ...signatureSection.body].join('\n') : '';
  const inputs = signatureSection ? signatureValue(signatureText, 'inputs') : undefined;
  const hasSignature = inputs !== undefined && inputs !== null;
  const signature = hasSignature
    ? { inputs: parseSchema(inputs), outputs: parseSchema(signatureValue(signatureText, 'outputs')) }
    : null;

  const scalar = (key: string) => {
    const value = sections.get(key)?.value.replace(/^'(.*)'$/, '$1');
    return value && !isEmptyValue(value) ? value : undefined;
  };
  return { flavors, hasSignature, signature, runId: scalar('run_id'), mlflowVersion: scalar('mlflow_version') };
}

export interface ModelArtifactCheck {
  /** Where the MLmodel file was looked for. */
  mlmodelUri: string;
  /** Whether `<modelUri>/MLmodel` exists. */
  exists: boolean;
  hasSignature: boolean;
  /** The signature's schemas; `null` without one (or without the file). */
  signature: ModelSignature | null;
  flavors: string[];
}

/**
 * Reads `<modelUri>/MLmodel` (e.g. a version's `source`) through the tenant's storage: whether the
 * artifact really exists and which signature it carries. A URI outside the tenant's storage
 * is refused by the storage (forbidden), never read.
 */
export async function inspectModelArtifact(storage: TenantStorage, modelUri: string): Promise<ModelArtifactCheck> {
  const mlmodelUri = `${modelUri.replace(/\/+$/, '')}/MLmodel`;
  try {
    const { hasSignature, signature, flavors } = parseMlModel(await storage.readText(mlmodelUri));
    return { mlmodelUri, exists: true, hasSignature, signature, flavors };
  } catch (error) {
    if (isUpstreamError(error, 'not-found'))
      return { mlmodelUri, exists: false, hasSignature: false, signature: null, flavors: [] };
    throw error;
  }
}
