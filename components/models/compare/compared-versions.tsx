import Link from 'next/link';
import { AliasBadges } from '@/components/models/alias-badges';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/styles';
import { Time } from '@/components/ui/time';
import type { ComparedVersion } from '@/lib/models/compare-service';
import { runHref } from '@/lib/models/links';

function SourceRun({ tenant, version }: { tenant: string; version: ComparedVersion }) {
  if (version.run)
    return (
      <Link href={runHref(tenant, version.run.runId)} className={buttonClass.link}>
        {version.run.runName || `run ${version.run.runId.slice(0, 8)}`}
      </Link>
    );
  return <span>{version.runId ? 'its run is gone from MLflow' : 'no source run recorded'}</span>;
}

/** The two versions compared: which is A and which is B, their aliases, age and source run. */
export function ComparedVersions({ tenant, a, b }: { tenant: string; a: ComparedVersion; b: ComparedVersion }) {
  return (
    <dl className="mb-6 grid gap-4 sm:grid-cols-2">
      {(
        [
          ['A (baseline)', a],
          ['B (compared with A)', b],
        ] as const
      ).map(([role, version]) => (
        <div
          key={role}
          className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm dark:border-slate-700 dark:bg-slate-900"
          data-testid={`compared-${role[0]!.toLowerCase()}`}
        >
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">{role}</dt>
          <dd className="mt-1 space-y-1">
            <p className="flex flex-wrap items-center gap-2">
              <span className="text-2xl font-semibold">v{version.version}</span>
              <AliasBadges aliases={version.aliases.map((alias) => ({ alias }))} />
              {version.status !== 'READY' ? <Badge tone="warn">{version.status || 'no status'}</Badge> : null}
            </p>
            <p className="text-slate-600 dark:text-slate-300">
              Registered <Time at={version.createdAt} /> · from <SourceRun tenant={tenant} version={version} />
            </p>
          </dd>
        </div>
      ))}
    </dl>
  );
}
