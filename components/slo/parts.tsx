import { Badge } from '@/components/ui/badge';
import type { BurnRateView } from '@/lib/slo/view';
import { BUDGET_LEVELS, budgetLevel, budgetText, BURN_VERDICTS, burnVerdict } from './format';

// Spans only: these sit inside paragraphs (a Stat's detail) as well as table cells.

/** Error budget left as a bar; the words beside it carry the same number and level. */
export function BudgetBar({ budget }: { budget: number | null }) {
  const level = BUDGET_LEVELS[budgetLevel(budget)];
  const width = budget === null ? 0 : Math.round(Math.min(1, Math.max(0, budget)) * 100);
  return (
    <span
      aria-hidden="true"
      className="block h-2.5 w-full min-w-24 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
    >
      <span className={`block h-full ${level.bar}`} style={{ width: `${width}%` }} />
    </span>
  );
}

/** "58.2 %" (unless shown elsewhere) with a Healthy/Low/Spent badge and the bar. */
export function BudgetSummary({ budget, showNumber = true }: { budget: number | null; showNumber?: boolean }) {
  const levelKey = budgetLevel(budget);
  const level = BUDGET_LEVELS[levelKey];
  return (
    <span className="block space-y-1" data-budget-level={levelKey}>
      <span className="flex flex-wrap items-center gap-2">
        {showNumber ? <span className="font-mono tabular-nums">{budgetText(budget)}</span> : null}
        <Badge tone={level.tone}>{level.label}</Badge>
      </span>
      <BudgetBar budget={budget} />
    </span>
  );
}

/** Whether a window pair's alert would fire, in colour and words. */
export function BurnBadge({ burn }: { burn: Pick<BurnRateView, 'firing' | 'longRate' | 'shortRate'> }) {
  const verdict = BURN_VERDICTS[burnVerdict(burn)];
  return <Badge tone={verdict.tone}>{verdict.label}</Badge>;
}
