'use client';

import { buttonClass } from '@/components/ui/styles';

/** The error boundary: one broken page never takes the whole portal down. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto mt-16 max-w-md text-center">
      <h1 className="text-2xl font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        Something went wrong on our side. Try again; if it keeps happening, give the platform team this reference:{' '}
        <code>{error.digest ?? 'none'}</code>.
      </p>
      <button type="button" onClick={reset} className={`${buttonClass.primary} mt-6`}>
        Try again
      </button>
    </div>
  );
}
