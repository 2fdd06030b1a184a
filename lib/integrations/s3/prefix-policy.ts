/**
 * A per-tenant access policy limited to the tenant's prefix. The S3 API itself has no way to
 * make one (bucket policies name principals the S3 server must already know, and plain S3 has no
 * user or group management); MinIO has, through its admin API (`/minio/admin/v3/...`, signed with
 * SigV4 like S3 calls). So:
 *
 * - on MinIO, the portal keeps a canned policy `mlp-tenant-<tenant>` allowing read and write under
 *   `<bucket>/<prefix>` only (read-only once the tenant is archived). It is a policy, not a grant:
 *   attach it to the tenant's storage users or IdP group in MinIO (e.g. an OIDC `policy` claim)
 *   to give people direct S3 access that stops at the prefix;
 * - on any other S3 server (or a MinIO whose key may not manage policies) the step says so and the
 *   prefix is reachable only through the portal, whose presigned links are scoped to it.
 */
import { z } from 'zod';
import { UpstreamError } from '../upstream';
import { formatDuration } from '../../format';
import { sha256Hex, signV4 } from './sigv4';
import { loadS3Config, type S3Config } from './storage';

export type PolicyAccess = 'read-write' | 'read-only';

export interface PolicyDocument {
  Version: string;
  Statement: {
    Sid?: string;
    Effect: 'Allow' | 'Deny';
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string[]>>;
  }[];
}

export function tenantPolicyName(tenant: string): string {
  return `mlp-tenant-${tenant}`;
}

/** The policy document for one prefix (pure). */
export function prefixPolicy(bucket: string, prefix: string, access: PolicyAccess): PolicyDocument {
  const objectActions =
    access === 'read-write'
      ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']
      : ['s3:GetObject'];
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'TenantObjects', Effect: 'Allow', Action: objectActions, Resource: [`arn:aws:s3:::${bucket}/${prefix}*`] },
      {
        Sid: 'TenantListing',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [`arn:aws:s3:::${bucket}`],
        Condition: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } },
      },
      {
        Sid: 'BucketLocation',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation'],
        Resource: [`arn:aws:s3:::${bucket}`],
      },
    ],
  };
}

/**
 * A comparable form of a policy as MinIO gives it back: statements without ids, actions, resources
 * and condition values as sorted lists (MinIO may reorder them, and writes a one-element list as a
 * string), statements sorted. Pure.
 */
export function canonicalPolicy(document: unknown): string {
  const asList = (value: unknown): string[] =>
    (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]).sort();
  const statements = z
    .object({ Statement: z.array(z.record(z.string(), z.unknown())).default([]) })
    .safeParse(document);
  if (!statements.success) return JSON.stringify(document);
  const normalized = statements.data.Statement.map((s) => {
    const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
    const conditions = Object.keys(condition)
      .sort()
      .map((operator) => [
        operator,
        Object.keys(condition[operator] ?? {})
          .sort()
          .map((key) => [key, asList(condition[operator]![key])]),
      ]);
    return JSON.stringify([s.Effect, asList(s.Action), asList(s.Resource), conditions]);
  }).sort();
  return JSON.stringify(normalized);
}

export type PolicyOutcome =
  { kind: 'created' | 'updated' | 'unchanged'; name: string } | { kind: 'unsupported'; reason: string };

export interface PrefixPolicies {
  /** Makes the tenant's canned policy say `access` on its prefix; idempotent (no write when it already does). */
  ensure(tenant: string, prefix: string, access: PolicyAccess): Promise<PolicyOutcome>;
  /** The policy as stored, or null; `unsupported` when the server has no MinIO admin API. */
  read(tenant: string): Promise<{ document: unknown } | null | { unsupported: string }>;
}

const minioError = z.object({ Code: z.string(), Message: z.string().optional() });

interface AdminAnswer {
  status: number;
  text: string;
}

export function prefixPolicies(config: S3Config = loadS3Config()): PrefixPolicies {
  const endpoint = new URL(config.S3_ENDPOINT);

  async function admin(
    method: 'GET' | 'PUT',
    path: string,
    query: Record<string, string>,
    body = '',
  ): Promise<AdminAnswer> {
    const url = new URL(`${endpoint.pathname.replace(/\/$/, '')}/minio/admin/v3/${path}`, endpoint);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const payloadHash = sha256Hex(body);
    const headers = signV4(
      {
        method,
        url,
        headers: { 'x-amz-content-sha256': payloadHash, ...(body ? { 'content-type': 'application/json' } : {}) },
        payloadHash,
      },
      {
        accessKeyId: config.S3_ACCESS_KEY_ID,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY,
        region: config.S3_REGION,
        service: 's3',
      },
      new Date(),
    );
    delete headers.host;
    const signal = AbortSignal.timeout(config.S3_TIMEOUT_MS);
    try {
      const response = await fetch(url, { method, headers, body: body || undefined, signal, cache: 'no-store' });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      if (signal.aborted)
        throw new UpstreamError(
          'Object storage',
          'timeout',
          `Object storage did not answer within ${formatDuration(config.S3_TIMEOUT_MS)}`,
          undefined,
          { cause: error },
        );
      throw new UpstreamError(
        'Object storage',
        'unreachable',
        `Object storage cannot be reached at ${endpoint.host}`,
        undefined,
        { cause: error },
      );
    }
  }

  /** MinIO's admin API answers errors as JSON `{Code, Message}`; anything else is not MinIO's admin API. */
  function errorOf(answer: AdminAnswer): z.output<typeof minioError> | null {
    try {
      const parsed = minioError.safeParse(JSON.parse(answer.text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  function unsupported(answer: AdminAnswer, action: string): { unsupported: string } | never {
    const error = errorOf(answer);
    if (!error)
      return {
        unsupported: 'the S3 server has no MinIO admin API, and the S3 API itself cannot make per-prefix policies',
      };
    if (answer.status === 403 || error.Code === 'AccessDenied') {
      return {
        unsupported: `MinIO did not let the portal's key ${action} (it needs admin:GetPolicy and admin:CreatePolicy)`,
      };
    }
    throw new UpstreamError(
      'Object storage',
      'rejected',
      `MinIO refused to ${action}: ${error.Message ?? error.Code}`,
      answer.status,
    );
  }

  async function read(tenant: string) {
    const answer = await admin('GET', 'info-canned-policy', { name: tenantPolicyName(tenant), v: '2' });
    if (answer.status === 200) {
      try {
        const parsed = z.object({ Policy: z.unknown() }).safeParse(JSON.parse(answer.text));
        if (parsed.success) return { document: parsed.data.Policy };
      } catch {
        // not JSON: not MinIO's admin API
      }
      return {
        unsupported: 'the S3 server has no MinIO admin API, and the S3 API itself cannot make per-prefix policies',
      };
    }
    if (errorOf(answer)?.Code === 'XMinioAdminNoSuchPolicy') return null;
    return unsupported(answer, `read the policy ${tenantPolicyName(tenant)}`);
  }

  return {
    read,

    async ensure(tenant, prefix, access) {
      const name = tenantPolicyName(tenant);
      const wanted = prefixPolicy(config.S3_BUCKET, prefix, access);
      const current = await read(tenant);
      if (current && 'unsupported' in current) return { kind: 'unsupported', reason: current.unsupported };
      if (current && canonicalPolicy(current.document) === canonicalPolicy(wanted)) return { kind: 'unchanged', name };
      const answer = await admin('PUT', 'add-canned-policy', { name }, JSON.stringify(wanted));
      if (answer.status < 200 || answer.status >= 300) {
        const outcome = unsupported(answer, `write the policy ${name}`);
        return { kind: 'unsupported', reason: outcome.unsupported };
      }
      return { kind: current ? 'updated' : 'created', name };
    },
  };
}
