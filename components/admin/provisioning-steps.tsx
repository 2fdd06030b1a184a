import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { StepProgress, StepState, TenantProgress } from '@/lib/tenancy/progress';
import { formatDuration } from '@/lib/format';

const stateLabel: Record<StepState, { text: string; tone: BadgeTone }> = {
  done: { text: 'done', tone: 'good' },
  running: { text: 'running…', tone: 'info' },
  failed: { text: 'failed', tone: 'bad' },
  pending: { text: 'pending', tone: 'neutral' },
};

/** One tenant's provisioning (or archiving) steps, each with its state and what it did or why it failed. */
export function StepList({
  tenant,
  steps,
  operation,
}: {
  tenant: string;
  steps: readonly StepProgress[];
  operation: TenantProgress['operation'];
}) {
  return (
    <ol
      aria-label={`${operation === 'archive' ? 'Archiving' : 'Provisioning'} steps of ${tenant}`}
      className="space-y-1.5"
    >
      {steps.map((step, index) => (
        <li key={step.key} data-testid={`step-${tenant}-${step.key}`} data-state={step.state} className="text-sm">
          <span className="inline-flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{index + 1}.</span>
            <span className="font-medium">{step.title}</span>
            <Badge tone={stateLabel[step.state].tone}>{stateLabel[step.state].text}</Badge>
            {step.durationMs !== null && step.state === 'done' ? (
              <span className="text-xs text-slate-600 dark:text-slate-400">{formatDuration(step.durationMs)}</span>
            ) : null}
          </span>
          {step.detail ? <p className="ml-5 text-xs text-slate-700 dark:text-slate-300">{step.detail}</p> : null}
          {step.error ? <p className="ml-5 text-xs text-red-700 dark:text-red-300">{step.error}</p> : null}
        </li>
      ))}
    </ol>
  );
}

/** The steps of a tenant's latest run, open when something needs attention, folded when all went well. */
export function TenantSteps({ tenant, progress }: { tenant: string; progress: TenantProgress }) {
  if (progress.steps.length === 0) {
    return (
      <span className="text-xs text-slate-600 dark:text-slate-400">
        No steps recorded (created before provisioning was tracked)
      </span>
    );
  }
  const done = progress.steps.filter((s) => s.state === 'done').length;
  const what = progress.operation === 'archive' ? 'Archiving' : 'Provisioning';
  const summary = `${what}: ${done} of ${progress.steps.length} steps done${progress.running ? ', running' : ''}`;
  const allDone = done === progress.steps.length;
  return (
    <details open={!allDone || progress.running} className="group">
      <summary className="cursor-pointer text-xs font-medium text-slate-700 dark:text-slate-300">{summary}</summary>
      <div className="mt-2">
        <StepList tenant={tenant} steps={progress.steps} operation={progress.operation} />
      </div>
    </details>
  );
}
