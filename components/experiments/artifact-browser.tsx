import Link from 'next/link';
import { cellClass, DataTable, numericCellClass, rowClass, type Column } from '@/components/ui/table';
import type { ArtifactListing } from '@/lib/experiments/artifacts';
import { formatBytes, formatTime } from '@/lib/format';

const ARTIFACT_COLUMNS: Column[] = [
  'Name',
  { label: 'Size', numeric: true },
  'Modified',
  { key: 'download', label: <span className="sr-only">Download</span> },
];

/**
 * One folder of a run's artifacts: folders open with `?path=`, files download through the
 * download route, which authorizes, audits and redirects to a short-lived presigned URL.
 */
export function ArtifactBrowser({
  listing,
  runPath,
  canDownload,
}: {
  listing: ArtifactListing;
  runPath: string;
  canDownload: boolean;
}) {
  const folderHref = (path: string) =>
    path ? `${runPath}?path=${encodeURIComponent(path)}#artifacts` : `${runPath}#artifacts`;
  const empty = listing.folders.length === 0 && listing.files.length === 0;
  return (
    <div className="space-y-3" data-testid="artifact-browser">
      <nav aria-label="Artifact folder" className="text-sm">
        <ol className="flex flex-wrap items-center gap-1">
          <li>
            {listing.path === '' ? (
              <span aria-current="page" className="font-medium">
                artifacts
              </span>
            ) : (
              <Link href={folderHref('')} className="text-blue-700 hover:underline dark:text-blue-300">
                artifacts
              </Link>
            )}
          </li>
          {listing.breadcrumbs.map((crumb) => (
            <li key={crumb.path} className="flex items-center gap-1">
              <span aria-hidden="true">/</span>
              {crumb.path === listing.path ? (
                <span aria-current="page" className="font-medium">
                  {crumb.name}
                </span>
              ) : (
                <Link href={folderHref(crumb.path)} className="text-blue-700 hover:underline dark:text-blue-300">
                  {crumb.name}
                </Link>
              )}
            </li>
          ))}
        </ol>
      </nav>
      {empty ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">This folder is empty.</p>
      ) : (
        <DataTable caption={`Artifacts in ${listing.path || 'the run’s root folder'}`} columns={ARTIFACT_COLUMNS}>
          {listing.folders.map((folder) => (
            <tr key={folder.path} className={rowClass} data-testid={`artifact-folder-${folder.name}`}>
              <th scope="row" className={`${cellClass} font-normal`}>
                <Link href={folderHref(folder.path)} className="text-blue-700 hover:underline dark:text-blue-300">
                  {folder.name}/
                </Link>
              </th>
              <td className={numericCellClass}>—</td>
              <td className={cellClass}>—</td>
              <td className={cellClass} />
            </tr>
          ))}
          {listing.files.map((file) => (
            <tr key={file.path} className={rowClass} data-testid={`artifact-file-${file.name}`}>
              <th scope="row" className={`${cellClass} font-mono text-xs font-normal`}>
                {file.name}
              </th>
              <td className={numericCellClass}>{formatBytes(file.size)}</td>
              <td className={`${cellClass} whitespace-nowrap`}>{formatTime(file.lastModified?.getTime())}</td>
              <td className={cellClass}>
                {canDownload ? (
                  // A plain link, not next/link: prefetching it would ask for (and audit) a download.
                  <a
                    href={`${runPath}/download?path=${encodeURIComponent(file.path)}`}
                    className="font-medium text-blue-700 hover:underline dark:text-blue-300"
                    aria-label={`Download ${file.name}`}
                  >
                    Download
                  </a>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {!canDownload ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">Members of the tenant can download artifacts.</p>
      ) : null}
    </div>
  );
}
