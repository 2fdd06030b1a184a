/**
 * Who filed a promotion request, in words: a person, a person through the API, or a pipeline run
 * with its service token — and who set that token up, since they may not approve what it filed.
 * `sentence`: the words open a sentence ("Requested by alice", "Filed by pipeline …").
 */
export interface FiledByRequest {
  requesterName: string;
  pipeline: string | null;
  filedViaToken: { name: string; kind: 'personal' | 'service'; prefix: string; createdByName: string } | null;
}

export function FiledBy({ request, sentence = false }: { request: FiledByRequest; sentence?: boolean }) {
  const token = request.filedViaToken;
  if (token?.kind === 'service')
    return (
      <span data-testid={request.pipeline ? 'filed-by-pipeline' : undefined}>
        {sentence ? 'Filed' : 'filed'}{' '}
        {request.pipeline ? (
          <>
            by pipeline <code className="font-mono text-xs">{request.pipeline}</code> with
          </>
        ) : (
          'with'
        )}{' '}
        service token <strong>{token.name}</strong> (set up by {token.createdByName})
      </span>
    );
  const who = token ? `${request.requesterName} through the API` : request.requesterName;
  return <span>{sentence ? `Requested by ${who}` : who}</span>;
}
