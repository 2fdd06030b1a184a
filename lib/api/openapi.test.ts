import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GET } from '../../app/api/v1/openapi.json/route';
import { jsonSchemaValidator, validateOpenApi, type JsonSchema } from '../../test/openapi';
import { TOKEN_SCOPES } from '../auth/authorize';
import { ENDPOINTS } from './endpoints';
import { openApiDocument } from './openapi';

type Doc = ReturnType<typeof openApiDocument>;
type Operation = {
  operationId: string;
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> };
  responses: Record<string, unknown>;
};

function operations(doc: Doc): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([p, methods]) =>
    Object.entries(methods).map(([method, op]) => [p, method, op as Operation] as [string, string, Operation]),
  );
}

/** Every `$ref` in `value`, with whether it points at something in `doc`. */
function refs(value: unknown, doc: unknown, found: [string, boolean][] = []): [string, boolean][] {
  if (Array.isArray(value)) for (const item of value) refs(item, doc, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') {
        const target = item
          .replace(/^#\//, '')
          .split('/')
          .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
        found.push([item, target !== undefined]);
      } else refs(item, doc, found);
    }
  }
  return found;
}

describe('/api/v1/openapi.json', () => {
  it('serves an OpenAPI 3.1 document as JSON', async () => {
    const response = GET();
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it(`validates as OpenAPI 3.1 with its ${ENDPOINTS.length} operations`, async () => {
    const operations = await validateOpenApi(openApiDocument());
    expect(operations).toHaveLength(ENDPOINTS.length);
    expect(ENDPOINTS.length).toBe(14);
  });

  it('is refused by the validator when it is broken, so the validation above means something', async () => {
    const broken = openApiDocument() as unknown as {
      paths: Record<string, Record<string, { parameters: { in?: string }[] }>>;
    };
    delete broken.paths['/api/v1/t/{tenant}/quota']!.get!.parameters[0]!.in;
    await expect(validateOpenApi(broken)).rejects.toThrow(/not a valid OpenAPI document/);
  });

  it('has only schemas a strict JSON Schema 2020-12 validator compiles', async () => {
    const ajv = jsonSchemaValidator();
    const operations = await validateOpenApi(openApiDocument());
    for (const op of operations) {
      const schemas: [string, JsonSchema][] = [
        ...op.parameters.map((p): [string, JsonSchema] => [`parameter ${p.name}`, p.schema]),
        ...(op.body ? [['body', op.body] as [string, JsonSchema]] : []),
        ...Object.entries(op.responses).map(([status, schema]): [string, JsonSchema] => [status, schema]),
      ];
      for (const [what, schema] of schemas)
        expect(() => ajv.compile(schema), `${op.operationId} ${what}`).not.toThrow();
    }
  });

  it('names the token scope in each operation’s bearer requirement', async () => {
    for (const op of await validateOpenApi(openApiDocument())) {
      const endpoint = ENDPOINTS.find((e) => e.operationId === op.operationId)!;
      expect(op.scope, op.operationId).toBe(endpoint.scope);
      expect(TOKEN_SCOPES).toContain(op.scope);
    }
  });

  it('documents every endpoint once, with unique operation ids and every path parameter', () => {
    const doc = openApiDocument();
    const ops = operations(doc);
    expect(ops.map(([p, m]) => `${m.toUpperCase()} ${p}`).sort()).toEqual(
      ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort(),
    );
    expect(new Set(ops.map(([, , op]) => op.operationId)).size).toBe(ops.length);
    for (const [p, , op] of ops) {
      const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(op.parameters.filter((q) => q.in === 'path').map((q) => q.name)).toEqual(inPath);
      for (const status of ['401', '403', '429']) expect(op.responses[status], `${p} ${status}`).toBeDefined();
    }
  });

  it('has a route file for each documented path that exports that endpoint’s handler', async () => {
    for (const endpoint of ENDPOINTS) {
      const folder = endpoint.path.replace(/^\//, '').replace(/\{(\w+)\}/g, '[$1]');
      const file = path.resolve(import.meta.dirname, '../../app', folder, 'route.ts');
      const route = (await import(file)) as Record<string, unknown>;
      expect(route[endpoint.method], file).toBe(endpoint.handler);
    }
  });

  it('resolves every $ref inside the document', () => {
    const doc = openApiDocument();
    const all = refs(doc, doc);
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter(([, ok]) => !ok)).toEqual([]);
  });

  it('describes the promotion request body by the server action’s own schema', () => {
    const doc = openApiDocument();
    const op = doc.paths['/api/v1/t/{tenant}/promotions']!.post as Operation;
    const schema = op.requestBody!.content['application/json']!.schema;
    // The tenant comes from the path; notes and model card URL have defaults.
    expect(schema.required).toEqual(['model', 'version']);
    expect(Object.keys(schema.properties!).sort()).toEqual(['model', 'modelCardUrl', 'notes', 'pipeline', 'version']);
    expect(JSON.stringify(op.responses['201'])).toContain('#/components/schemas/PromotionRequest');
    expect(doc.components.schemas).toHaveProperty('PromotionRequest.properties.gates');
  });

  it('documents the list filter as an optional query parameter', () => {
    const op = openApiDocument().paths['/api/v1/t/{tenant}/promotions']!.get as Operation & {
      parameters: { schema: { enum?: string[]; default?: string } }[];
    };
    const status = op.parameters.find((p) => p.name === 'status')!;
    expect(status).toMatchObject({
      in: 'query',
      required: false,
      schema: { enum: ['open', 'pending', 'all'], default: 'open' },
    });
  });
});

describe('/api/v1/openapi.json: rollouts and runs', () => {
  const operation = (path: string, method: 'get' | 'post') =>
    (openApiDocument().paths[path] as Record<string, Operation & { parameters: Record<string, unknown>[] }>)[method]!;

  it('requires the Idempotency-Key header of rollback and promote, and keeps the key out of the body', () => {
    for (const action of ['rollback', 'promote', 'rollback-to-version']) {
      const op = operation(`/api/v1/t/{tenant}/rollouts/{endpoint}/${action}`, 'post');
      expect(op.parameters.find((p) => p.in === 'header')).toMatchObject({
        name: 'Idempotency-Key',
        required: true,
        schema: { type: 'string', format: 'uuid' },
      });
      const body = op.requestBody!.content['application/json']!.schema;
      expect(Object.keys(body.properties!)).not.toContain('idempotencyKey');
      expect(body.required).toContain('rolloutId');
      expect(op.responses['422']).toBeDefined();
    }
  });

  it('documents the runs page’s parameters as optional query parameters', () => {
    const op = operation('/api/v1/t/{tenant}/experiments/{experimentId}/runs', 'get');
    expect(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.required])).toEqual([
      ['filter', false],
      ['sort', false],
      ['dir', false],
      ['size', false],
      ['page', false],
    ]);
    expect(op.parameters.find((p) => p.name === 'size')).toMatchObject({ schema: { enum: ['10', '25', '50', '100'] } });
  });
});
