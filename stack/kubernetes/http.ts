/**
 * A minimal HTTPS client for the control plane: readiness probes (etcd and the API server want
 * client certificates), status subresources, and tests that need the exact status code of a
 * request made as a given identity (token, certificate, impersonation).
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { StackContext } from '../lib/context';
import { apiServerUrl } from './identities';
import { pkiFile } from './pki';

export type Identity = { certName: string } | { token: string };

export interface KubeResponse {
  status: number;
  text: string;
  /** The parsed body, or null when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string | string[]>;
  contentType?: string;
  timeoutMs?: number;
}

export function httpsRequest(
  ctx: StackContext,
  url: string,
  identity: Identity,
  options: RequestOptions = {},
): Promise<KubeResponse> {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const tls =
    'certName' in identity
      ? {
          cert: readFileSync(pkiFile(ctx, `${identity.certName}.crt`)),
          key: readFileSync(pkiFile(ctx, `${identity.certName}.key`)),
        }
      : {};
  const headers: Record<string, string | string[]> = { Accept: 'application/json', ...options.headers };
  if ('token' in identity) headers.Authorization = `Bearer ${identity.token}`;
  if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: readFileSync(pkiFile(ctx, 'ca.crt')),
        ...tls,
        headers,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON (e.g. /readyz answers "ok")
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A request to the API server; `path` starts with `/`. */
export function kubeRequest(
  ctx: StackContext,
  identity: Identity,
  path: string,
  options: RequestOptions = {},
): Promise<KubeResponse> {
  return httpsRequest(ctx, `${apiServerUrl(ctx)}${path}`, identity, options);
}

export const ADMIN: Identity = { certName: 'admin' };

/** True when the API server's /readyz answers `ok` to the admin. */
export async function apiServerReady(ctx: StackContext): Promise<boolean> {
  try {
    const response = await kubeRequest(ctx, ADMIN, '/readyz', { timeoutMs: 3_000 });
    return response.status === 200 && response.text.trim() === 'ok';
  } catch {
    return false;
  }
}
