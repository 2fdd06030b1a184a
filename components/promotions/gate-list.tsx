import type { GateResult } from '@/lib/promotion/gates';

/** Each gate as pass or fail in words (not colour alone), with the numbers behind it. */
export function GateList({ gates }: { gates: readonly GateResult[] }) {
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Approval gates">
      {gates.map((gate) => {
        const status = gate.passed ? 'Pass' : gate.blocking ? 'Fail' : 'Warning';
        const tone = gate.passed
          ? 'bg-green-100 text-green-900 dark:bg-green-900/60 dark:text-green-100'
          : gate.blocking
            ? 'bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-100'
            : 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100';
        return (
          <li
            key={gate.id}
            className="flex items-start gap-3 py-2"
            data-testid={`gate-${gate.id}`}
            data-passed={gate.passed}
          >
            <span
              className={`mt-0.5 inline-flex w-16 shrink-0 justify-center rounded px-2 py-0.5 text-xs font-semibold ${tone}`}
            >
              {status}
            </span>
            <div className="min-w-0">
              <p className="text-sm font-medium">{gate.label}</p>
              <p className="text-sm text-slate-700 dark:text-slate-300">{gate.detail}</p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
