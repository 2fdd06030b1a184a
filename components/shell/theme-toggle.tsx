'use client';

import { useTheme } from 'next-themes';
import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};
const NEXT: Record<string, string> = { system: 'light', light: 'dark', dark: 'system' };

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  // The stored theme is only known in the browser; render 'system' on the server to match.
  const mounted = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const current = mounted ? (theme ?? 'system') : 'system';
  return (
    <button
      type="button"
      onClick={() => setTheme(NEXT[current] ?? 'system')}
      className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"
      aria-label={`Colour theme: ${current}. Switch to ${NEXT[current]}`}
    >
      Theme: {current}
    </button>
  );
}
