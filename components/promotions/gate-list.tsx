import Link from 'next/link';
import { buttonClass } from '@/components/ui/styles';
import type { GateResult } from '@/lib/promotion/gates';

/** Each gate as pass or fail in words (not colour alone), with the numbers behind it and its evidence. */
export function GateList({
  gates,
  label = 'Approval gates',
  testIdPrefix = 'gate',
}: {
  gates: readonly GateResult[];
  label?: string;
  /** Each gate's test id is `<prefix>-<gate id>`: another prefix where a page shows a second list. */
  testIdPrefix?: string;
}) {
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label={label}>
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
            data-testid={`${testIdPrefix}-${gate.id}`}
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
              {gate.evidence?.length ? (
                <ul className="mt-1 space-y-0.5 text-sm" aria-label={`Evidence of ${gate.label}`}>
                  {gate.evidence.map((item, i) => (
                    <li key={i} className="break-words">
                      <span className="font-medium">{item.label}:</span>{' '}
                      {item.href ? (
                        <Link className={buttonClass.link} href={item.href}>
                          {item.value}
                        </Link>
                      ) : (
                        item.value
                      )}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
