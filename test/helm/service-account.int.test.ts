/**
 * The chart's ServiceAccount and RBAC applied for real to the local API server, and the portal's
 * identity being that service account's token only (TokenRequest), as in a pod: what it may do
 * (read what the watch caches read, impersonate people, write InferenceServices and the guard's
 * parameters) and what it may not (delete namespaces, read Secrets, change anything else).
 * scripts/test.sh then runs the Kubernetes-using integration tests again with this identity.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_ACTOR, namespaces, type KubeConnection } from '@/lib/integrations/kubernetes';
import { createWatchCache } from '@/lib/integrations/kubernetes/watch-cache';
import { PODS_WATCHED } from '@/lib/integrations/kubernetes/pods';
import {
  SA_KUBECONFIG,
  SA_NAMESPACE,
  adminConfig,
  installPortalServiceAccount,
  type PortalServiceAccount,
} from './helm';

let sa: PortalServiceAccount;
let kc: KubeConfig;

beforeAll(async () => {
  sa = await installPortalServiceAccount(adminConfig());
  kc = new KubeConfig();
  kc.loadFromFile(SA_KUBECONFIG);
});

/** The API server's answer to a raw call made with the service account's token. */
async function call(method: string, apiPath: string, body?: unknown): Promise<{ status: number; text: string }> {
  const cluster = kc.getCurrentCluster()!;
  const url = new URL(apiPath, cluster.server);
  const options: { method: string; headers: Record<string, string>; ca?: Buffer } = {
    method,
    headers: { accept: 'application/json', authorization: `Bearer ${sa.token}`, 'content-type': 'application/json' },
    ca: Buffer.from(cluster.caData!, 'base64'),
  };
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function allowed(
  verb: string,
  resource: string,
  options: { namespace?: string; group?: string; name?: string; subresource?: string } = {},
) {
  const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb, resource, group: options.group ?? '', ...options } },
    },
  });
  return review.status!.allowed;
}

describe("the chart's service account as the portal's only identity", () => {
  it('authenticates with the TokenRequest token as the service account', async () => {
    const answer = await call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.text).status.userInfo.username).toBe(
      `system:serviceaccount:${SA_NAMESPACE}:ml-platform-portal`,
    );
    expect(readFileSync(SA_KUBECONFIG, 'utf8')).not.toMatch(/client-certificate|client-key/);
  });

  it('may read what the watch caches read, cluster-wide, and a watch cache syncs with it', async () => {
    for (const [resource, group] of [
      ['pods', ''],
      ['events', ''],
      ['nodes', ''],
      ['resourcequotas', ''],
      ['jobs', 'batch'],
      ['workflows', 'argoproj.io'],
      ['inferenceservices', 'serving.kserve.io'],
    ] as const) {
      for (const verb of ['list', 'watch'])
        expect(await allowed(verb, resource, { group }), `${verb} ${resource}`).toBe(true);
    }
    const connection: KubeConnection = { kubeConfig: kc, timeoutMs: 10_000 };
    const cache = createWatchCache(PODS_WATCHED, connection);
    try {
      const snapshot = await cache.read(undefined, 20_000);
      expect(snapshot.items.some((pod) => pod.metadata.namespace === 'fraud')).toBe(true);
    } finally {
      await cache.stop();
    }
  });

  it('may impersonate people and set the admission marker, and act as them', async () => {
    expect(await allowed('impersonate', 'users')).toBe(true);
    expect(await allowed('impersonate', 'groups')).toBe(true);
    expect(
      await allowed('impersonate', 'userextras', {
        group: 'authentication.k8s.io',
        subresource: 'mlp.example.com/via',
        name: 'portal',
      }),
    ).toBe(true);
    expect(await allowed('impersonate', 'serviceaccounts')).toBe(false);
    // As the portal it reads a tenant namespace's labels (the guard's status on the tenant page).
    const connection: KubeConnection = { kubeConfig: kc, timeoutMs: 10_000 };
    const fraud = await namespaces(PORTAL_ACTOR, connection).get('fraud');
    expect(fraud?.metadata.labels?.['mlp.example.com/tenant']).toBeDefined();
  });

  it('may not delete namespaces: asked and refused for real', async () => {
    expect(await allowed('delete', 'namespaces')).toBe(false);
    const refused = await call('DELETE', `/api/v1/namespaces/${SA_NAMESPACE}`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).message).toContain('cannot delete resource "namespaces"');
  });

  it("may not read Secrets in tenant namespaces (nor its own namespace's)", async () => {
    for (const namespace of ['fraud', 'pricing', SA_NAMESPACE]) {
      expect(await allowed('get', 'secrets', { namespace })).toBe(false);
      expect(await allowed('list', 'secrets', { namespace })).toBe(false);
    }
    const refused = await call('GET', '/api/v1/namespaces/fraud/secrets');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).message).toContain('cannot list resource "secrets"');
  });

  it('may not delete InferenceServices, change RBAC, or write pods, quotas or other ConfigMaps', async () => {
    expect(await allowed('delete', 'inferenceservices', { group: 'serving.kserve.io', namespace: 'fraud' })).toBe(
      false,
    );
    expect(await allowed('create', 'rolebindings', { group: 'rbac.authorization.k8s.io', namespace: 'fraud' })).toBe(
      false,
    );
    expect(await allowed('escalate', 'clusterroles', { group: 'rbac.authorization.k8s.io' })).toBe(false);
    expect(await allowed('create', 'pods', { namespace: 'fraud' })).toBe(false);
    expect(await allowed('update', 'resourcequotas', { namespace: 'fraud' })).toBe(false);
    expect(await allowed('update', 'configmaps', { namespace: 'fraud', name: 'kube-root-ca.crt' })).toBe(false);
    expect(await allowed('update', 'configmaps', { namespace: 'fraud', name: 'mlp-admission' })).toBe(true);
    expect(await allowed('list', 'namespaces')).toBe(false);
  });
});
