import { Badge, type BadgeTone } from '@/components/ui/badge';
import { cellClass, DataTable, NoValue, numericCellClass, rowClass } from '@/components/ui/table';
import { formatNumber, formatSignedNumber } from '@/lib/format';
import type { MetricComparison, MetricVerdict } from '@/lib/models/compare';
import type { ComparisonPolicy } from '@/lib/models/compare-service';
import { versionColumn } from './version-column';

/** Colour and words together, so the verdict never rests on colour alone. */
const VERDICT: Record<MetricVerdict, { tone: BadgeTone; text: string; deltaClass: string } | null> = {
  gain: { tone: 'good', text: 'better', deltaClass: 'text-green-800 dark:text-green-300' },
  unchanged: { tone: 'neutral', text: 'no change', deltaClass: '' },
  'within-tolerance': {
    tone: 'warn',
    text: 'lower, within tolerance',
    deltaClass: 'text-amber-800 dark:text-amber-300',
  },
  regression: { tone: 'bad', text: 'regression beyond tolerance', deltaClass: 'text-red-800 dark:text-red-300' },
  reported: null,
  'one-side-only': null,
  neither: null,
};

function Value({ value, version }: { value: number | null; version: string }) {
  if (value === null) return <NoValue reason={`not logged by v${version}`} />;
  return <span title={String(value)}>{formatNumber(value)}</span>;
}

function Change({ row, a, b }: { row: MetricComparison; a: string; b: string }) {
  if (row.delta === null) {
    if (row.verdict === 'neither') return <NoValue reason="logged by neither version" />;
    return <span className="text-slate-600 dark:text-slate-400">only v{row.a === null ? b : a}</span>;
  }
  const verdict = VERDICT[row.verdict];
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-2">
      <span title={String(row.delta)} className={verdict?.deltaClass || 'text-slate-700 dark:text-slate-300'}>
        {formatSignedNumber(row.delta)}
      </span>
      {verdict ? <Badge tone={verdict.tone}>{verdict.text}</Badge> : null}
    </span>
  );
}

/**
 * Both versions' run metrics side by side with B − A; the policy's primary metric first, its change
 * judged against the regression tolerance as the promotion gate judges it.
 */
export function MetricsComparison({
  rows,
  a,
  b,
  policy,
}: {
  rows: readonly MetricComparison[];
  a: string;
  b: string;
  policy: ComparisonPolicy;
}) {
  return (
    <>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
        A drop of the policy’s primary metric, <code className="font-mono">{policy.primaryMetric}</code>, from A to B
        larger than its regression tolerance ({policy.regressionTolerance}) is a regression (red): the promotion gate
        would refuse B against A as {policy.alias}. A smaller drop is within tolerance (amber), a rise is better
        (green). Other metrics show their change without a verdict.
      </p>
      <DataTable
        caption={`Run metrics of v${a} and v${b}, with the change from A to B`}
        columns={[
          'Metric',
          versionColumn(a, 'A', true),
          versionColumn(b, 'B', true),
          { label: 'Change (B − A)', key: 'change', numeric: true },
        ]}
        testId="metrics-comparison"
      >
        {rows.map((row) => (
          <tr key={row.metric} className={rowClass} data-testid={`metric-${row.metric}`} data-verdict={row.verdict}>
            <th scope="row" className={`${cellClass} sticky left-0 bg-white font-normal dark:bg-slate-900`}>
              <span className="font-mono">{row.metric}</span>
              {row.primary ? (
                <span className="block text-xs text-slate-600 dark:text-slate-400">primary metric (policy)</span>
              ) : null}
            </th>
            <td className={numericCellClass}>
              <Value value={row.a} version={a} />
            </td>
            <td className={numericCellClass}>
              <Value value={row.b} version={b} />
            </td>
            <td className={numericCellClass}>
              <Change row={row} a={a} b={b} />
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
