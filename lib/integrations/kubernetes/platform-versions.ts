/**
 * The versions the cluster tells about itself, as the portal reads them: the API server's
 * (`GET /version`, open to every authenticated identity) and the labels of a
 * CustomResourceDefinition (`apiextensions.k8s.io/v1`; the portal needs `get` on
 * customresourcedefinitions), whose installers (KServe's Helm chart, for one) may stamp their
 * release there.
 */
import { z } from 'zod';
import { defaultKubeConnection, kubeRequest, PORTAL_ACTOR, type KubeConnection } from './client';
import { clusterObjectMetaSchema, clusterResource, type ClusterResourceKind } from './cluster-resource';

const versionInfoSchema = z.looseObject({ gitVersion: z.string() });

/** The API server's version, as it reports it ("v1.37.2"). */
export async function apiServerVersion(connection: KubeConnection = defaultKubeConnection()): Promise<string> {
  const info = await kubeRequest(connection, PORTAL_ACTOR, {
    method: 'GET',
    path: '/version',
    schema: versionInfoSchema,
    operation: { verb: 'get', kind: 'version', kindPlural: 'versions', namespace: '', name: 'of the API server' },
  });
  return info.gitVersion;
}

const customResourceDefinitionSchema = z.looseObject({ metadata: clusterObjectMetaSchema });

export type CustomResourceDefinition = z.output<typeof customResourceDefinitionSchema>;

const CUSTOM_RESOURCE_DEFINITION: ClusterResourceKind<CustomResourceDefinition> = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  kindPlural: 'CustomResourceDefinitions',
  schema: customResourceDefinitionSchema,
};

/** A CustomResourceDefinition's metadata by name ("inferenceservices.serving.kserve.io"), or null when absent. */
export function customResourceDefinition(
  name: string,
  connection: KubeConnection = defaultKubeConnection(),
): Promise<CustomResourceDefinition | null> {
  return clusterResource(CUSTOM_RESOURCE_DEFINITION, PORTAL_ACTOR, connection).get(name);
}
