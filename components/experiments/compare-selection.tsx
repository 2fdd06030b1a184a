'use client';

import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { buttonClass } from '@/components/ui/styles';

function checkedRunIds(form: HTMLFormElement): string[] {
  return new FormData(form).getAll('runs').map(String);
}

/**
 * The runs table's selection: row checkboxes named `runs` inside this form. Submitting opens the
 * comparison (`?runs=a,b,c`); without JavaScript the form still works as a plain GET. At most
 * `max` runs can be ticked.
 */
export function CompareSelection({ action, max, children }: { action: string; max: number; children: ReactNode }) {
  const router = useRouter();
  const [count, setCount] = useState(0);
  const [message, setMessage] = useState<string | null>(null);

  const onChange = (event: ChangeEvent<HTMLFormElement>) => {
    const target = event.target as EventTarget;
    if (!(target instanceof HTMLInputElement) || target.name !== 'runs') return;
    if (target.checked && checkedRunIds(event.currentTarget).length > max) {
      target.checked = false;
      setMessage(`You can compare at most ${max} runs at a time.`);
    } else {
      setMessage(null);
    }
    setCount(checkedRunIds(event.currentTarget).length);
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const ids = checkedRunIds(event.currentTarget);
    if (ids.length < 2) {
      setMessage('Select at least two runs to compare.');
      return;
    }
    router.push(`${action}?runs=${ids.join(',')}`);
  };

  return (
    <form action={action} method="get" onChange={onChange} onSubmit={onSubmit} aria-label="Select runs to compare">
      <div className="mb-2 flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass.primary}>
          Compare
        </button>
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
          {count} of at most {max} runs selected
        </p>
        {message ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {message}
          </p>
        ) : null}
      </div>
      {children}
    </form>
  );
}
