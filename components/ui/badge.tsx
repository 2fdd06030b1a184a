import type { ReactNode } from 'react';

/** The tones; each one's colours are the `badge-<tone>` class in app/globals.css. */
export type BadgeTone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

/**
 * A short state in colour. Styled by two class names defined in app/globals.css rather than by a
 * list of utilities: a board at 500 tenants shows hundreds of badges per page.
 */
export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export const tenantStatusTone: Record<string, BadgeTone> = {
  active: 'good',
  provisioning: 'info',
  incomplete: 'warn',
  archived: 'neutral',
};
