'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, useTransition } from 'react';
import { FormStatus } from '@/components/ui/form-status';
import { buttonClass } from '@/components/ui/styles';
import type { ActionResult } from '@/lib/actions/define-action';
import { markReadAction } from './actions';
import { UNREAD_QUERY_KEY } from './inbox-link';

/** Marks one inbox item read, or all of them; the shell's unread badge follows at once. */
export function MarkReadButton({ itemId, title }: { itemId?: string; title?: string }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const queryClient = useQueryClient();
  const all = itemId === undefined;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={buttonClass.secondary}
        disabled={pending}
        aria-label={all ? undefined : `Mark read: ${title}`}
        onClick={() =>
          startTransition(async () => {
            const answer = await markReadAction(null, all ? { all: true } : { ids: [itemId] });
            setResult(answer);
            await queryClient.invalidateQueries({ queryKey: UNREAD_QUERY_KEY });
          })
        }
      >
        {pending ? 'Marking…' : all ? 'Mark all read' : 'Mark read'}
      </button>
      {/* A success re-renders the list (a read item loses its button); a refusal, or how many were marked, is said here. */}
      {result && (all || !result.ok) ? <FormStatus state={result} /> : null}
    </span>
  );
}
