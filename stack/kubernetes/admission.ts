/**
 * The admission guard on the local platform: the policies an organisation applies from
 * `deploy/admission/` (inference-service-guard.yaml, params-guard.yaml), with the one spot marked
 * CONFIGURE that differs here — the portal's identity is the user `ml-platform-portal` (a client
 * certificate), not a service account. The RBAC they need is in manifests/platform-rbac.yaml.
 */
import path from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { StackContext } from '../lib/context';
import { loadManifests } from './apply';
import { PORTAL_USER } from './identities';

export const ADMISSION_FILES = ['inference-service-guard.yaml', 'params-guard.yaml'];

interface PolicyVariable {
  name: string;
  expression: string;
}

/** Sets the `portalUsers` variable of each ValidatingAdmissionPolicy to `users`; other objects pass unchanged. */
export function withPortalUsers(objects: KubernetesObject[], users: readonly string[]): KubernetesObject[] {
  return objects.map((object) => {
    if (object.kind !== 'ValidatingAdmissionPolicy') return object;
    const spec = (object as { spec?: { variables?: PolicyVariable[] } }).spec;
    const variables = spec?.variables ?? [];
    if (!variables.some((v) => v.name === 'portalUsers'))
      throw new Error(`${object.metadata?.name}: no portalUsers variable to configure`);
    const expression = `[${users.map((u) => `'${u.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
    return {
      ...object,
      spec: { ...spec, variables: variables.map((v) => (v.name === 'portalUsers' ? { ...v, expression } : v)) },
    } as KubernetesObject;
  });
}

/** The guard's policies and bindings as the local platform applies them. */
export async function admissionObjects(ctx: StackContext): Promise<KubernetesObject[]> {
  const objects: KubernetesObject[] = [];
  for (const file of ADMISSION_FILES)
    objects.push(...(await loadManifests(path.join(ctx.root, 'deploy', 'admission', file))));
  return withPortalUsers(objects, [PORTAL_USER]);
}
