import { cellClass, DataTable, NoValue, rowClass } from '@/components/ui/table';
import type { ColumnChange, SchemaComparison, SignatureComparison, SignatureSide } from '@/lib/models/compare';
import type { SchemaColumn } from '@/lib/integrations/mlflow';
import { versionColumn } from './version-column';

const CHANGE_ROW: Record<ColumnChange, string> = {
  same: 'bg-white dark:bg-slate-900',
  added: 'bg-amber-50 dark:bg-amber-950',
  removed: 'bg-amber-50 dark:bg-amber-950',
  'type-changed': 'bg-amber-50 dark:bg-amber-950',
};

const CHANGE_TEXT: Record<ColumnChange, string> = {
  same: 'same',
  added: 'added in B',
  removed: 'removed in B',
  'type-changed': 'type changed',
};

/** What one version's signature is, in a sentence. */
function sideSentence(side: SignatureSide, version: string): string {
  if (side.state === 'none') return `v${version} has no signature: its MLmodel file logs none.`;
  if (side.state === 'unknown') return `v${version}’s signature is unknown: ${side.problem}`;
  return `v${version} logged a signature.`;
}

function ColumnType({ column, version }: { column: SchemaColumn | null; version: string }) {
  if (!column) return <NoValue reason={`not in v${version}`} />;
  return (
    <span className="font-mono">
      {column.type}
      {column.required ? '' : ' (optional)'}
    </span>
  );
}

function SchemaTable({
  title,
  schema,
  a,
  b,
  testId,
}: {
  title: string;
  schema: SchemaComparison;
  a: string;
  b: string;
  testId: string;
}) {
  let body;
  if (!schema.comparable) {
    body = (
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Cannot be compared: the {title.toLowerCase()} of{' '}
        {schema.unknown.map((side) => `v${side === 'a' ? a : b}`).join(' and ')} could not be read.
      </p>
    );
  } else if (schema.columns.length === 0) {
    body = (
      <p className="text-sm text-slate-600 dark:text-slate-300">Neither version declares {title.toLowerCase()}.</p>
    );
  } else {
    const changed = schema.columns.filter((c) => c.change !== 'same').length;
    body = (
      <>
        <p className="mb-2 text-sm text-slate-600 dark:text-slate-300" data-testid={`${testId}-summary`}>
          {changed === 0 ? 'The same columns and types.' : `${changed} of ${schema.columns.length} columns differ.`}
        </p>
        <DataTable
          caption={`${title} schema of v${a} and v${b}, column by column`}
          columns={['Column', versionColumn(a, 'A'), versionColumn(b, 'B'), 'Change']}
          testId={testId}
        >
          {schema.columns.map((column) => (
            <tr key={column.name} className={`${rowClass} ${CHANGE_ROW[column.change]}`} data-change={column.change}>
              <th scope="row" className={`${cellClass} sticky left-0 font-normal ${CHANGE_ROW[column.change]}`}>
                <span className="font-mono">{column.name}</span>
              </th>
              <td className={cellClass}>
                <ColumnType column={column.a} version={a} />
              </td>
              <td className={cellClass}>
                <ColumnType column={column.b} version={b} />
              </td>
              <td
                className={`${cellClass} whitespace-nowrap ${column.change === 'same' ? 'text-slate-600 dark:text-slate-400' : 'font-medium'}`}
              >
                {CHANGE_TEXT[column.change]}
              </td>
            </tr>
          ))}
        </DataTable>
      </>
    );
  }
  return (
    <section aria-labelledby={`${testId}-heading`} className="mt-4">
      <h3 id={`${testId}-heading`} className="mb-1 text-sm font-semibold">
        {title}
      </h3>
      {body}
    </section>
  );
}

/** Each version's input and output schema, column by column: added, removed, type changed. */
export function SignaturesComparison({
  signatures,
  sideA,
  sideB,
  a,
  b,
}: {
  signatures: SignatureComparison;
  sideA: SignatureSide;
  sideB: SignatureSide;
  a: string;
  b: string;
}) {
  return (
    <>
      <ul className="space-y-1 text-sm" data-testid="signature-sides">
        <li>{sideSentence(sideA, a)}</li>
        <li>{sideSentence(sideB, b)}</li>
      </ul>
      <SchemaTable title="Inputs" schema={signatures.inputs} a={a} b={b} testId="signature-inputs" />
      <SchemaTable title="Outputs" schema={signatures.outputs} a={a} b={b} testId="signature-outputs" />
    </>
  );
}
