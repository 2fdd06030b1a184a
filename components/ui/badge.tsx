import type { ReactNode } from 'react';

const tones = {
  neutral: 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200',
  good: 'bg-green-100 text-green-900 dark:bg-green-900/60 dark:text-green-100',
  warn: 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100',
  bad: 'bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-100',
  info: 'bg-blue-100 text-blue-900 dark:bg-blue-900/60 dark:text-blue-100',
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return (
    <span className={`inline-flex items-center rounded px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>
      {children}
    </span>
  );
}

export const tenantStatusTone: Record<string, BadgeTone> = {
  active: 'good',
  provisioning: 'info',
  incomplete: 'warn',
  archived: 'neutral',
};
