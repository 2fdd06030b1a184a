import type { ReactNode } from 'react';
import { PageHeader } from '@/components/ui/page-header';

/**
 * Says what could not be shown and why — an upstream that is down, an id that does not exist, a
 * filter that does not parse — in place of the part of the page that needed it.
 */
export function ProblemPanel({ title, message, children }: { title: string; message: string; children?: ReactNode }) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/60 dark:text-amber-100"
      data-testid="problem-panel"
    >
      <p className="font-semibold">{title}</p>
      <p className="mt-1">{message}</p>
      {children ? <div className="mt-2">{children}</div> : null}
    </div>
  );
}

/** Whether a failed load means the thing is not there (or its id cannot be one), not that loading failed. */
export const isMissing = (failure: { kind?: string }) => failure.kind === 'not-found' || failure.kind === 'invalid';

/** A whole page in place of one whose subject (an experiment, a run, a comparison) could not be loaded. */
export function ProblemPage({
  heading,
  title,
  message,
  children,
}: {
  heading: string;
  title: string;
  message: string;
  children?: ReactNode;
}) {
  return (
    <>
      <PageHeader title={heading} />
      <ProblemPanel title={title} message={message}>
        {children}
      </ProblemPanel>
    </>
  );
}
