import { Badge, type BadgeTone } from '@/components/ui/badge';
import { cellClass, DataTable, NoValue, rowClass } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import type { TokenSummary } from '@/lib/api-tokens/service';
import { formatAge } from '@/lib/format';
import { RevokeTokenButton } from './revoke-token-button';

const STATE_TONES: Record<TokenSummary['state'], BadgeTone> = { active: 'good', expired: 'neutral', revoked: 'bad' };

/** API tokens with what they may do, when they were made, expire and were last used; revocable while active. */
export function TokenTable({
  caption,
  tokens,
  showTenant,
  now,
}: {
  caption: string;
  tokens: readonly TokenSummary[];
  showTenant: boolean;
  now: Date;
}) {
  return (
    <DataTable
      caption={caption}
      testId="token-table"
      columns={[
        'Name',
        ...(showTenant ? ['Tenant'] : []),
        'Scopes',
        'Created',
        'Expires',
        'Last used',
        'State',
        { label: <span className="sr-only">Revoke</span>, key: 'revoke' },
      ]}
    >
      {tokens.map((token) => (
        <tr
          key={token.id}
          className={`${rowClass} align-top`}
          data-testid={`token-${token.name}`}
          data-state={token.state}
        >
          <th scope="row" className={`${cellClass} font-medium`}>
            {token.name}
            <span className="block font-mono text-xs font-normal text-slate-600 dark:text-slate-400">
              {token.prefix}…
            </span>
          </th>
          {showTenant ? <td className={cellClass}>{token.tenant}</td> : null}
          <td className={cellClass}>
            <ul>
              {token.scopes.map((scope) => (
                <li key={scope} className="font-mono text-xs">
                  {scope}
                </li>
              ))}
            </ul>
          </td>
          <td className={cellClass}>
            <Time at={token.createdAt} />
            <span className="block text-xs text-slate-600 dark:text-slate-400">by {token.createdByName}</span>
          </td>
          <td className={cellClass}>
            <Time at={token.expiresAt} />
          </td>
          <td className={cellClass}>
            {token.lastUsedAt ? (
              <>
                <Time at={token.lastUsedAt} />
                <span className="block text-xs text-slate-600 dark:text-slate-400">
                  {formatAge(token.lastUsedAt, now)} ago
                </span>
              </>
            ) : (
              <NoValue reason="never used" />
            )}
          </td>
          <td className={cellClass}>
            <Badge tone={STATE_TONES[token.state]}>{token.state}</Badge>
            {token.revokedAt ? (
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                <Time at={token.revokedAt} />
                {token.revokedByName ? ` by ${token.revokedByName}` : ''}
              </span>
            ) : null}
          </td>
          <td className={cellClass}>
            {token.state === 'active' ? (
              <RevokeTokenButton tokenId={token.id} name={token.name} prefix={token.prefix} />
            ) : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
