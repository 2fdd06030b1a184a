/**
 * Applying objects to the local cluster, idempotently, with server-side apply through
 * @kubernetes/client-node (field manager `ml-portal-stack`, forced: the stack owns what it applies).
 */
import { readFile } from 'node:fs/promises';
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  loadAllYaml,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { StackContext } from '../lib/context';

export const FIELD_MANAGER = 'ml-portal-stack';

export function adminKubeConfig(ctx: StackContext): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(ctx.kubeconfig);
  return kc;
}

export async function loadManifests(file: string): Promise<KubernetesObject[]> {
  return (loadAllYaml(await readFile(file, 'utf8')) as (KubernetesObject | null)[]).filter((o): o is KubernetesObject =>
    Boolean(o?.kind),
  );
}

/**
 * Server-side applies each object in order. A fresh KubernetesObjectApi per call: it caches API
 * discovery, which must see CRDs established by an earlier call.
 */
export async function applyObjects(kc: KubeConfig, objects: KubernetesObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  for (const object of objects) {
    // Server-side apply refuses managedFields, and resourceVersion would turn it into a compare-and-swap.
    const { managedFields: _managed, resourceVersion: _rv, ...metadata } = object.metadata ?? {};
    try {
      await client.patch(
        { ...object, metadata },
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      const where = `${object.kind} ${metadata.namespace ? `${metadata.namespace}/` : ''}${metadata.name}`;
      throw new Error(`applying ${where} failed: ${describeError(error)}`);
    }
  }
}

/** The API server's message from a client-node ApiException, or the error's message. */
export function describeError(error: unknown): string {
  const e = error as { code?: number; body?: unknown; message?: string };
  if (e && typeof e.code === 'number' && e.body !== undefined) {
    const body = typeof e.body === 'string' ? safeParse(e.body) : e.body;
    const message = (body as { message?: string } | null)?.message;
    return `HTTP ${e.code}${message ? `: ${message}` : ''}`;
  }
  return e?.message ?? String(error);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}

/** The HTTP status of a client-node ApiException, if it is one. */
export function errorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
