/**
 * Where a promotion request comes from, and who may say it came from a pipeline. A request filed
 * in the browser is its requester's; one filed through the REST API records the token it was
 * filed with; only a tenant service token — what a pipeline is given — may name the pipeline run
 * that filed it. A person (in the browser or with their personal token) cannot claim to be a
 * pipeline: the request would read "filed by pipeline …" and mislead its approvers.
 */

/** How a filing reached the portal. */
export type FilingChannel =
  { kind: 'browser' } | { kind: 'token'; token: { id: string; kind: 'personal' | 'service' } };

/** What the request records about its origin. */
export interface FiledVia {
  tokenId: string | null;
  pipeline: string | null;
}

export function filedVia(
  channel: FilingChannel,
  pipeline: string | undefined,
): { ok: true; filedVia: FiledVia } | { ok: false; error: string } {
  const named = pipeline === undefined || pipeline === '' ? null : pipeline;
  if (channel.kind === 'browser')
    return named === null
      ? { ok: true, filedVia: { tokenId: null, pipeline: null } }
      : { ok: false, error: 'Only a pipeline’s service token names a pipeline run; a person files as themself.' };
  if (named !== null && channel.token.kind !== 'service')
    return {
      ok: false,
      error: 'A personal token files as its owner: only a tenant service token may name a pipeline run.',
    };
  return { ok: true, filedVia: { tokenId: channel.token.id, pipeline: named } };
}
