'use client';

import { useState } from 'react';
import { buttonClass } from './styles';

/**
 * Copies `text` to the clipboard and says so (to screen readers too). Where the browser refuses
 * (no clipboard permission, an insecure origin) it says that, and the text stays on screen to copy by hand.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [outcome, setOutcome] = useState<'copied' | 'refused' | null>(null);
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={buttonClass.secondary}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setOutcome('copied');
          } catch {
            setOutcome('refused');
          }
        }}
      >
        {label}
      </button>
      <span role="status" className="text-sm text-slate-700 dark:text-slate-300">
        {outcome === 'copied'
          ? 'Copied.'
          : outcome === 'refused'
            ? 'The browser did not allow copying: select the text and copy it.'
            : ''}
      </span>
    </span>
  );
}
