'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

/**
 * Fetches a live route's JSON, accepting it when `isData` recognises the body; otherwise throws
 * the route's own `error` message, or names the status it answered with.
 */
async function fetchLive<T>(url: string, isData: (body: object) => boolean, signal: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, cache: 'no-store', headers: { accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => null);
  if (response.ok && body && typeof body === 'object' && isData(body)) return body as T;
  const error =
    body && typeof body === 'object' && 'error' in body && typeof body.error === 'string'
      ? body.error
      : `the portal answered ${response.status}`;
  throw new Error(error);
}

/**
 * Data rendered on the server (`initial`) and then kept live by polling `url` every `refreshMs`
 * with React Query. `refresh` asks for fresh data at once (e.g. after an action succeeded).
 */
export function useLiveData<T>({
  queryKey,
  url,
  initial,
  refreshMs,
  isData,
}: {
  queryKey: readonly unknown[];
  url: string;
  initial: T;
  refreshMs: number;
  isData: (body: object) => boolean;
}) {
  const queryClient = useQueryClient();
  const { data, error } = useQuery({
    queryKey,
    queryFn: ({ signal }) => fetchLive<T>(url, isData, signal),
    initialData: initial,
    refetchInterval: refreshMs,
  });
  const key = JSON.stringify(queryKey);
  const refresh = useCallback(
    () => queryClient.invalidateQueries({ queryKey: JSON.parse(key) as unknown[] }),
    [queryClient, key],
  );
  // `initialData` means there always is data; the generic `T` hides that from useQuery's types.
  return { data: data ?? initial, error, refresh };
}
