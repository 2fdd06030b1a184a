import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, NoValue, rowClass, type Column } from '@/components/ui/table';
import { promotionRequestHref, runHref } from '@/lib/models/links';
import type { ModelDetail, ModelVersionDetail } from '@/lib/models/service';
import { formatNumber } from '@/lib/format';
import { type ArtifactCheck, type SignatureState } from '@/lib/models/versions';
import { AliasBadges } from './alias-badges';
import { Time } from '@/components/ui/time';

function SourceRunCell({ tenant, version }: { tenant: string; version: ModelVersionDetail }) {
  if (version.run) {
    const shortId = version.run.runId.slice(0, 8);
    return (
      <>
        <Link href={runHref(tenant, version.run.runId)} className={buttonClass.link}>
          {version.run.runName || `run ${shortId}`}
        </Link>
        {version.run.runName ? (
          <span className="block font-mono text-xs text-slate-600 dark:text-slate-400">{shortId}</span>
        ) : null}
      </>
    );
  }
  if (!version.runId) return <NoValue reason="no source run recorded" />;
  return (
    <span>
      <span className="font-mono text-xs" title={version.runId}>
        {version.runId.slice(0, 8)}
      </span>{' '}
      <Badge tone="warn">run not found</Badge>
    </span>
  );
}

function MetricCell({ version, metric }: { version: ModelVersionDetail; metric: string }) {
  const value = version.run?.metrics[metric];
  if (value === undefined) return <NoValue reason={version.run ? 'not logged' : 'run not found'} />;
  return <span title={String(value)}>{formatNumber(value)}</span>;
}

const SIGNATURE_BADGE: Record<SignatureState, [BadgeTone, string]> = {
  logged: ['good', 'logged'],
  missing: ['bad', 'missing'],
  unknown: ['neutral', 'unknown'],
};
const ARTIFACT_BADGE: Record<ArtifactCheck['state'], [BadgeTone, string]> = {
  found: ['good', 'MLmodel found'],
  missing: ['bad', 'missing'],
  unreadable: ['warn', 'unknown'],
};

function SignatureCell({ version }: { version: ModelVersionDetail }) {
  const [tone, label] = SIGNATURE_BADGE[version.signature];
  return (
    <>
      <Badge tone={tone}>{label}</Badge>
      {version.signature === 'unknown' ? (
        <span className="block text-xs text-slate-600 dark:text-slate-400">
          {version.artifact.state === 'missing' ? 'no MLmodel to read' : 'storage unreadable'}
        </span>
      ) : null}
    </>
  );
}

function ArtifactCell({ artifact }: { artifact: ArtifactCheck }) {
  const [tone, label] = ARTIFACT_BADGE[artifact.state];
  // Where the file was looked for, or why it could not be; the panel above the table repeats the why.
  return (
    <span title={artifact.state === 'unreadable' ? artifact.problem : artifact.mlmodelUri}>
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}

export function VersionsTable({
  tenant,
  model,
  canRequestPromotion,
}: {
  tenant: string;
  model: ModelDetail;
  canRequestPromotion: boolean;
}) {
  const columns: Column[] = [
    'Version',
    'Aliases',
    'Created',
    'Source run',
    ...model.metricColumns.map((metric) => ({
      key: `metric-${metric}`,
      label: <span className="font-mono normal-case">{metric}</span>,
    })),
    'Signature',
    'Artifact',
    ...(canRequestPromotion ? ['Promotion'] : []),
  ];
  return (
    <DataTable caption={`Versions of ${model.name}, newest first`} columns={columns}>
      {model.versions.map((version) => (
        <tr key={version.version} className={`${rowClass} align-top`} data-testid={`version-${version.version}`}>
          <th scope="row" className={`${cellClass} whitespace-nowrap font-semibold`}>
            v{version.version}
            {version.status !== 'READY' ? (
              <span className="block">
                <Badge tone="warn">{version.status || 'no status'}</Badge>
              </span>
            ) : null}
          </th>
          <td className={cellClass}>
            <AliasBadges aliases={version.aliases.map((alias) => ({ alias }))} />
          </td>
          <td className={`${cellClass} whitespace-nowrap`}>
            <Time at={version.createdAt} />
          </td>
          <td className={cellClass}>
            <SourceRunCell tenant={tenant} version={version} />
          </td>
          {model.metricColumns.map((metric) => (
            <td key={metric} className={`${cellClass} tabular-nums`}>
              <MetricCell version={version} metric={metric} />
            </td>
          ))}
          <td className={cellClass}>
            <SignatureCell version={version} />
          </td>
          <td className={`${cellClass} whitespace-nowrap`}>
            <ArtifactCell artifact={version.artifact} />
          </td>
          {canRequestPromotion ? (
            <td className={`${cellClass} whitespace-nowrap`}>
              {/* A version whose registration is pending or failed has no model to deploy yet. */}
              {version.status === 'READY' ? (
                <Link href={promotionRequestHref(tenant, model.name, version.version)} className={buttonClass.link}>
                  Request promotion<span className="sr-only"> of v{version.version}</span>
                </Link>
              ) : (
                <NoValue reason="not ready for promotion" />
              )}
            </td>
          ) : null}
        </tr>
      ))}
    </DataTable>
  );
}
