import type { ReactNode } from 'react';

const tones = {
  /** Nothing could be shown in the panel's place. */
  error: 'border-red-200 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100',
  /** The page is shown, but some of it is unknown. */
  warning: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100',
} as const;

/** What could not be loaded and the upstream's own words for why. */
export function RegistryProblem({
  title,
  tone = 'error',
  children,
}: {
  title: string;
  tone?: keyof typeof tones;
  children: ReactNode;
}) {
  return (
    <section role="alert" className={`mb-6 rounded-lg border p-4 text-sm ${tones[tone]}`}>
      <h2 className="font-semibold">{title}</h2>
      <div className="mt-1">{children}</div>
    </section>
  );
}
