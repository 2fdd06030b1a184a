import { AsyncLocalStorage } from 'node:async_hooks';
import { processSingleton } from '../process-singleton';

export interface RequestContext {
  requestId: string;
  /** Who is calling, as far as the portal can tell (the socket, or a trusted proxy's word): see server.ts. */
  clientAddress?: string;
  /** The request body's size in bytes, as the server read it (mutations only). */
  bodyBytes?: number;
  /**
   * Set by code answering the request (a server action refusing a caller over its rate limit)
   * when the response should carry another status than Next.js gives it; server.ts applies it.
   */
  response?: { status: number; headers?: Record<string, string> };
  /** Set once a server action's own code runs (defineAction): a 5xx before that is Next.js failing to read the request. */
  actionStarted?: boolean;
}

// One store per process: the custom server and Next's bundled code load separate copies of this module.
export const requestContext = processSingleton(
  'observability.request-context',
  () => new AsyncLocalStorage<RequestContext>(),
);

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

export function currentRequest(): RequestContext | undefined {
  return requestContext.getStore();
}

export const REQUEST_ID_HEADER = 'x-request-id';
