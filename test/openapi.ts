/**
 * For tests of /api/v1 (never imported by the product): the OpenAPI document checked by a
 * validator of its own (@seriousme/openapi-schema-validator, OpenAPI 3.1 against the
 * specification's JSON Schema), its operations with their `$ref`s resolved, and answers checked
 * against the documented response schemas with a JSON Schema 2020-12 validator (ajv).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export type JsonSchema = Record<string, unknown>;

export interface DocumentedOperation {
  method: 'GET' | 'POST';
  /** The path template, e.g. `/api/v1/t/{tenant}/rollouts/{endpoint}`. */
  path: string;
  operationId: string;
  /** The token scope its security requirement names. */
  scope: string;
  parameters: { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema }[];
  body: JsonSchema | null;
  /** Status → the JSON schema of that answer. */
  responses: Record<string, JsonSchema>;
}

/** Validates `document` as OpenAPI 3.1; throws with the validator's errors when it is not. */
export async function validateOpenApi(document: unknown): Promise<DocumentedOperation[]> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document) as Record<string, unknown>);
  if (!result.valid) throw new Error(`not a valid OpenAPI document: ${JSON.stringify(result.errors, null, 2)}`);
  if (validator.version !== '3.1') throw new Error(`OpenAPI ${validator.version}, not 3.1`);
  const resolved = validator.resolveRefs() as { paths: Record<string, Record<string, RawOperation>> };
  return Object.entries(resolved.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase() as 'GET' | 'POST',
      path,
      operationId: op.operationId,
      scope: op.security?.[0]?.bearerToken?.[0] ?? '',
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema ?? null,
      responses: Object.fromEntries(
        Object.entries(op.responses).map(([status, r]) => [status, r.content?.['application/json']?.schema ?? {}]),
      ),
    })),
  );
}

interface RawOperation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: DocumentedOperation['parameters'];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

/**
 * A JSON Schema 2020-12 validator in strict mode: a keyword or format it does not know is an
 * error too. Union types (`"type": ["string", "null"]`) are plain 2020-12, and allowed.
 */
export function jsonSchemaValidator(): { compile(schema: JsonSchema): ValidateFunction } {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

/** Why `value` does not match `schema`, in a line per problem; empty when it does. */
export function schemaProblems(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
