import { z } from 'zod';
import { apiErrorSchema, ENDPOINTS, type Endpoint } from './endpoints';

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the endpoints' zod schemas (the same the
 * server actions parse with) by zod's own JSON Schema output: OpenAPI 3.1 schemas are JSON Schema
 * 2020-12, so no translation is needed. Served at /api/v1/openapi.json.
 */

type JsonSchema = Record<string, unknown>;

/**
 * One schema as JSON Schema 2020-12. Schemas with a `meta({ id })` come out as `$defs`, which
 * would dangle inside an OpenAPI document: they go to `components.schemas` and are referred to there.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' });
  const {
    $schema: _dialect,
    $defs,
    ...rest
  } = JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
  };
  for (const [id, definition] of Object.entries($defs ?? {})) components[id] = definition;
  return rest;
}

const ERROR_RESPONSES = {
  400: 'The input is not valid; `fieldErrors` names the fields',
  401: 'No usable token: missing, malformed, unknown, expired or revoked',
  403: 'The token (or its owner) may not do this in this tenant',
  429: 'Too many calls; retry after `Retry-After` seconds',
  503: 'A system the portal depends on (MLflow, Kubernetes, …) is not answering; nothing was changed; retry after `Retry-After` seconds',
} as const;

function operation(endpoint: Endpoint, components: Record<string, JsonSchema>) {
  const shape = endpoint.input.shape as Record<string, z.ZodType>;
  const parameter = (name: string, where: 'path' | 'query' | 'header', required: boolean, schema: JsonSchema) => {
    const { description, ...rest } = schema as JsonSchema & { description?: string };
    return { name, in: where, required, ...(typeof description === 'string' ? { description } : {}), schema: rest };
  };
  const parameters = endpoint.pathParams.map((name) =>
    parameter(name, 'path', true, jsonSchema(shape[name]!, 'input', components)),
  );
  for (const [field, header] of Object.entries(endpoint.headerParams))
    parameters.push(parameter(header, 'header', true, jsonSchema(shape[field]!, 'input', components)));
  const elsewhere = new Set([...endpoint.pathParams, ...Object.keys(endpoint.headerParams)]);
  const rest = z.object(Object.fromEntries(Object.entries(shape).filter(([name]) => !elsewhere.has(name))));
  const body =
    endpoint.method === 'POST'
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(rest, 'input', components) } },
          },
        }
      : {};
  if (endpoint.method === 'GET') {
    const query = jsonSchema(rest, 'input', components) as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(query.properties ?? {}))
      parameters.push(parameter(name, 'query', query.required?.includes(name) ?? false, schema));
  }
  const errorSchema = jsonSchema(apiErrorSchema, 'output', components);
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(endpoint.responses))
    responses[status] = {
      description: response.description,
      content: { 'application/json': { schema: jsonSchema(response.schema, 'output', components) } },
    };
  for (const [status, description] of Object.entries(ERROR_RESPONSES))
    responses[status] ??= { description, content: { 'application/json': { schema: errorSchema } } };
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    description: `Token scope: \`${endpoint.scope}\`. A personal token also needs its owner's role in the tenant.`,
    parameters,
    ...body,
    responses,
    // OpenAPI 3.1 lets a bearer requirement name the roles it needs: here the token scope.
    security: [{ bearerToken: [endpoint.scope] }],
  };
}

export function openApiDocument(endpoints: readonly Endpoint[] = ENDPOINTS) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, JsonSchema> = {};
  for (const endpoint of endpoints) {
    paths[endpoint.path] ??= {};
    paths[endpoint.path]![endpoint.method.toLowerCase()] = operation(endpoint, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ML platform portal API',
      version: '1',
      description:
        'Automation for pipelines and scripts. Every call needs an API token (personal or tenant service token, created in the portal) as `Authorization: Bearer mlp_…`, acts only in the token’s tenant and scopes, and is audited with the token’s id.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerToken: [] }],
    components: {
      schemas,
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'mlp_ + 43 base64url characters' },
      },
    },
    paths,
  };
}
