import { inferenceServices } from '../integrations/kubernetes';

/** The label that ties an InferenceService to the registered model it serves. */
export const MODEL_LABEL = 'mlp.example.com/model';

/** A registered model name as a Kubernetes object name (DNS-1123 label). */
function endpointNameFor(modelName: string): string {
  const name = modelName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 45)
    .replace(/-+$/, '');
  return name || 'model';
}

/**
 * The tenant's InferenceService for a model: the one labelled with it, else one named after it;
 * `exists` is false before the first deployment onto it.
 */
export async function resolveEndpoint(tenant: string, modelName: string): Promise<{ name: string; exists: boolean }> {
  const services = await inferenceServices(tenant, { kind: 'portal' }).list();
  const name =
    services.find((s) => s.metadata.labels[MODEL_LABEL] === modelName)?.metadata.name ?? endpointNameFor(modelName);
  return { name, exists: services.some((s) => s.metadata.name === name) };
}
