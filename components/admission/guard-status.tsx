import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import type { GuardStatus } from '@/lib/admission/guard';

const STATE: Record<GuardStatus['state'], { tone: BadgeTone; label: string }> = {
  'in-force': { tone: 'good', label: 'In force' },
  'not-in-force': { tone: 'bad', label: 'Not in force' },
  unknown: { tone: 'warn', label: 'Unknown' },
};

/** Whether the cluster's admission guard protects the tenant's endpoints, in words, with each check behind the answer. */
export function AdmissionGuardCard({ status }: { status: GuardStatus }) {
  const state = STATE[status.state];
  return (
    <Card title="Admission guard">
      <p
        className="flex flex-wrap items-center gap-2 text-sm"
        data-testid="admission-guard-state"
        data-state={status.state}
      >
        <Badge tone={state.tone}>{state.label}</Badge>
        <span>{status.headline}</span>
      </p>
      {status.checks.length > 0 ? (
        <ul className="mt-2 space-y-1 text-sm">
          {status.checks.map((check) => (
            <li key={check.text} className="flex gap-2">
              <span aria-hidden="true">{check.ok ? '✓' : '✗'}</span>
              <span>
                <span className="sr-only">{check.ok ? 'Holds: ' : 'Missing: '}</span>
                {check.text}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
