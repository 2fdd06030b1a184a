import Link from 'next/link';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, NoValue, rowClass } from '@/components/ui/table';
import { modelHref } from '@/lib/models/links';
import type { ModelSummary } from '@/lib/models/service';
import { AliasBadges } from './alias-badges';
import { Time } from '@/components/ui/time';

export function ModelsTable({ tenant, models }: { tenant: string; models: readonly ModelSummary[] }) {
  return (
    <DataTable
      caption={`Registered models of ${tenant}`}
      columns={['Model', 'Aliases', 'Latest version', 'Versions', 'Last updated']}
    >
      {models.map((model) => (
        <tr key={model.name} className={`${rowClass} align-top`} data-testid={`model-${model.name}`}>
          <th scope="row" className={`${cellClass} font-normal`}>
            <Link href={modelHref(tenant, model.name)} className={buttonClass.link}>
              {model.name}
            </Link>
            {model.description ? (
              <p className="mt-0.5 max-w-prose text-xs text-slate-600 dark:text-slate-400">{model.description}</p>
            ) : null}
          </th>
          <td className={cellClass}>
            <AliasBadges aliases={model.aliases} />
          </td>
          <td className={cellClass}>
            {model.latestVersion ? `v${model.latestVersion}` : <NoValue reason="no versions" />}
          </td>
          <td className={cellClass}>{model.versionCount}</td>
          <td className={`${cellClass} whitespace-nowrap`}>
            <Time at={model.lastUpdatedAt} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
