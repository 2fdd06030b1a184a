/**
 * For integration tests against the local platform (never imported by the product): the local platform's
 * settings, health and seed, and servers that misbehave the way a real upstream can.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { UpstreamError } from '../lib/integrations/upstream';
import type { SeededModels, SeededTenant } from '../stack/seed/mlflow';

export type { SeededModels, SeededTenant };

/** The seeded tenants' endpoints (stack/seed/inference-services.ts), by tenant name. */
export const SEEDED_ENDPOINTS = [
  { tenant: 'forecast', service: 'demand-forecast' },
  { tenant: 'fraud', service: 'fraud-detector' },
  { tenant: 'pricing', service: 'price-elasticity' },
] as const;

/** Every endpoint the seed makes: the tenants' own above and platform health's cases (stack/seed/health-cases.ts). */
export const ALL_SEEDED_ENDPOINTS = [
  ...SEEDED_ENDPOINTS,
  { tenant: 'forecast', service: 'demand-forecast-legacy' },
  { tenant: 'forecast', service: 'demand-forecast-lite' },
] as const;

/** Loads the local platform's stack.env (`npm run stack -- up` writes it); variables already set win. */
export function loadStackEnv(): void {
  const file = process.env.PORTAL_ENV_FILE ?? path.resolve(import.meta.dirname, '../.data/stack/stack.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** A setting the test cannot run without; missing, the test fails naming the component. */
export function requireSetting(name: string, component: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${component}: ${name} is not set — start the local platform (npm run stack -- up) or set it to a real ${component}`,
    );
  return value;
}

/** Fails naming the component unless `url` answers 2xx within 5 s. */
export async function requireHealthy(component: string, url: string): Promise<void> {
  const healthy = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
    (response) => response.ok,
    () => false,
  );
  if (!healthy)
    throw new Error(`${component} is not reachable at ${url} — start the local platform (npm run stack -- up)`);
}

/** MLflow's tracking URI, once MLflow answers its health check. */
export async function requireMlflow(): Promise<string> {
  const url = requireSetting('MLFLOW_TRACKING_URI', 'MLflow');
  await requireHealthy('MLflow', `${url}/health`);
  return url;
}

/** The object storage endpoint, once MinIO says it is ready. */
export async function requireObjectStorage(): Promise<string> {
  const endpoint = requireSetting('S3_ENDPOINT', 'Object storage (MinIO)');
  await requireHealthy('Object storage (MinIO)', `${endpoint}/minio/health/ready`);
  return endpoint;
}

/** The UpstreamError `promise` rejects with; anything else (fulfilling, another error) fails the test. */
export async function upstreamRejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UpstreamError)) throw new Error(`expected an UpstreamError, got ${String(error)}`);
  return error;
}

export interface SilentServer {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Accepts connections and never answers (not even a TLS handshake): an upstream that hangs. */
export async function silentServer(): Promise<SilentServer> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => sockets.length,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens. */
export async function closedPort(): Promise<number> {
  const server = await silentServer();
  await server.close();
  return server.port;
}

/** What the local platform's seeder registered in MLflow (`.data/stack/seed/mlflow.json`). */
export function seededModels(): SeededModels {
  const file = path.resolve(import.meta.dirname, '../.data/stack/seed/mlflow.json');
  if (!existsSync(file))
    throw new Error(`MLflow: the seed summary ${file} is missing — seed the local platform (npm run stack -- seed)`);
  return JSON.parse(readFileSync(file, 'utf8')) as SeededModels;
}

export function seededTenant(tenant: string): SeededTenant {
  const found = seededModels().tenants.find((t) => t.tenant === tenant);
  if (!found)
    throw new Error(
      `MLflow: tenant ${tenant} is not in the seed summary — reseed the local platform (npm run stack -- reset)`,
    );
  return found;
}

/** Polls `check` until it is done, or fails saying what did not happen and what was last seen. */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<{ done: boolean; value: T }>,
  pollMs = 2000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { done, value } = await check();
    if (done) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs / 1000} s; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A kubeconfig for an API server at 127.0.0.1:`port` (e.g. a closed port: an API server that is down). */
export function kubeconfigAt(port: number): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kubeconfig-')), 'kubeconfig');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'test' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return file;
}
