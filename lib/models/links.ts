/**
 * Addresses of the registry pages and the pages they link to. Model names may hold spaces, `%`,
 * `#`, `?` and non-ASCII letters, so every name is percent-encoded on the way out and decoded
 * on the way in.
 */

export function modelsHref(tenant: string, pageToken?: string): string {
  return pageToken ? `/t/${tenant}/models?${new URLSearchParams({ page: pageToken })}` : `/t/${tenant}/models`;
}

export function modelHref(tenant: string, modelName: string): string {
  return `/t/${tenant}/models/${encodeURIComponent(modelName)}`;
}

/** The comparison of two versions; without versions, the default pair (champion vs newest). */
export function compareVersionsHref(
  tenant: string,
  modelName: string,
  { a, b, differencesOnly }: { a?: string; b?: string; differencesOnly?: boolean } = {},
): string {
  const query = new URLSearchParams();
  if (a) query.set('a', a);
  if (b) query.set('b', b);
  if (differencesOnly) query.set('diff', '1');
  const search = query.size > 0 ? `?${query}` : '';
  return `${modelHref(tenant, modelName)}/compare${search}`;
}

export function runHref(tenant: string, runId: string): string {
  return `/t/${tenant}/runs/${encodeURIComponent(runId)}`;
}

export function promotionRequestHref(tenant: string, modelName: string, version: string): string {
  return `/t/${tenant}/promotions/new?${new URLSearchParams({ model: modelName, version })}`;
}

/** The model name in a `[name]` route segment; a malformed escape is taken literally rather than failing the page. */
export function modelNameFromParam(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}
